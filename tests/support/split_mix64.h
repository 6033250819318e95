// A seeded SplitMix64 generator (util/splitmix64.h) for tests: its sequence is fixed by this code,
// not by a standard library's <random> engines.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/splitmix64.h"

namespace qpow::test {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() { return util::splitmix64_next(state_); }
  // Uniform enough in [0, bound) for tests.
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

 private:
  std::uint64_t state_;
};

}  // namespace qpow::test
