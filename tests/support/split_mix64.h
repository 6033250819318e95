// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", 2014): a seeded
// generator whose sequence is fixed by this code, not by a standard library's <random> engines.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qpow::test {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, bound) for tests.
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

 private:
  std::uint64_t state_;
};

}  // namespace qpow::test
