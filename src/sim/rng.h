// The simulator's randomness: one seeded generator from which every random choice of a run
// derives, so the same seed replays the same run bit for bit on every machine.
//
// The generator is xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
// generators", 2021), seeded through splitmix64 as its authors recommend. Independent streams
// for sub-systems (a node's Env, the topology, the workload) come from fork(tag), which hashes
// the parent's seed with the tag, so adding a draw in one stream never shifts another.
//
// Real-valued draws use only IEEE-754 double arithmetic and std::log / std::sqrt / std::cos,
// which glibc computes identically on every x86-64 and arm64 machine for the same inputs.
// Nothing here is consensus code: results feed the simulation, never a block.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace qpow::sim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // A new generator for a sub-system, independent of this one's later draws.
  Rng fork(std::uint64_t tag) const;
  std::uint64_t seed() const { return seed_; }

  std::uint64_t next();
  // Uniform in [0, n) without modulo bias (Lemire's method); n == 0 gives 0.
  std::uint64_t below(std::uint64_t n);
  // Uniform in [0, 1) with 53 random bits.
  double unit();
  // Exponential with the given rate (mean 1/rate); rate <= 0 gives +infinity.
  double exponential(double rate);
  // Normal (Box-Muller; one value per call).
  double normal(double mean, double stddev);
  // Log-normal with the given median and shape sigma (the standard deviation of its logarithm).
  double lognormal(double median, double sigma);
  bool chance(double probability) { return unit() < probability; }

  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[below(i)]);
    }
  }

 private:
  std::uint64_t seed_;
  std::array<std::uint64_t, 4> s_{};
};

// splitmix64's output function: a bijective 64-bit mix, also used to derive seeds.
std::uint64_t mix64(std::uint64_t x);

}  // namespace qpow::sim
