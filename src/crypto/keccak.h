// Keccak-f[1600], the permutation under SHA-3 (FIPS 202 §3.3), on one state or on 4 or 8
// independent states at once. The multi-state forms run on the widest SIMD path the CPU has
// (cpu_features.h): AVX-512 permutes 8 states per instruction stream, AVX2 permutes 4, and the
// portable path loops over the states. Every path computes the same function.
//
// State layout: lane (x, y) of FIPS 202 is word x + 5y; byte k of the state (as FIPS 202 numbers
// them) is byte k % 8, least significant first, of word k / 8.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/cpu_features.h"

namespace qpow::crypto {

inline constexpr std::size_t kKeccakLanes = 25;
inline constexpr std::size_t kKeccakStateBytes = 200;

using KeccakState = std::array<std::uint64_t, kKeccakLanes>;

// N states interleaved by lane: lanes[i][j] is lane i of state j, so one SIMD load picks up
// lane i of every state.
template <std::size_t N>
struct alignas(64) KeccakStateN {
  std::uint64_t lanes[kKeccakLanes][N];
};
using KeccakStateX4 = KeccakStateN<4>;
using KeccakStateX8 = KeccakStateN<8>;

// Keccak-f[1600] on one state, on the active path.
void keccak_f1600(KeccakState& state);

// Keccak-f[1600] on 4 or 8 states, on the active path (active_cpu_selection()).
void keccak_f1600_x4(KeccakStateX4& states);
void keccak_f1600_x8(KeccakStateX8& states);

// One path's permutations; for tests and benchmarks that compare paths.
struct KeccakBackend {
  CpuPath path;
  void (*x1)(KeccakState&);
  void (*x4)(KeccakStateX4&);
  void (*x8)(KeccakStateX8&);
};

// The backend of `path`; the CPU must support it (cpu_supports(path)), else this aborts.
const KeccakBackend& keccak_backend(CpuPath path);
// The backend the dispatching functions above use.
const KeccakBackend& keccak_active_backend();

}  // namespace qpow::crypto
