// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
// its 64-bit mixing function and the generator built on it. Not cryptographic: for spreading keys
// over a hash table, deterministic streams in tests and the simulator, and stretching one random
// word into several.
#pragma once

#include <cstdint>

namespace qpow::util {

// The generator's increment (2^64 divided by the golden ratio, odd).
inline constexpr std::uint64_t kSplitMix64Gamma = 0x9e3779b97f4a7c15ULL;

// The finalizer: a bijection on 64-bit words in which every input bit affects every output bit.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The generator's next output: advances `state` by the gamma and mixes it.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += kSplitMix64Gamma;
  return splitmix64_mix(state);
}

}  // namespace qpow::util
