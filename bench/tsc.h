// The time-stamp counter for benchmark counters in "ticks", the unit the Keccak team reports.
// Ticks count at the TSC's fixed rate, not the core's current clock; report the TSC rate with
// the figures (see docs/benchmarks.md).
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
inline std::uint64_t read_tsc() {
  return __rdtsc();
}
#else
#include <chrono>
inline std::uint64_t read_tsc() {
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}
#endif
