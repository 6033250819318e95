// Internal: the constants of Keccak-f[1600], computed at compile time from their definitions in
// FIPS 202 rather than typed in, so a typo cannot hide in a table. The tests compare them with
// the Keccak team's published values (KeccakF-1600-IntermediateValues.txt).
//
// Plain arrays on purpose: this header is included by translation units compiled for AVX2 and
// AVX-512, which must not instantiate library templates that other units share.
#pragma once

#include <cstdint>

namespace qpow::crypto::keccak_internal {

inline constexpr int kRounds = 24;

// FIPS 202 Algorithm 5: bit t of the output of an 8-bit LFSR. R is held with R[i] at bit i.
constexpr bool rc_bit(int t) {
  if (t % 255 == 0) return true;
  unsigned r = 1;  // R = 10000000, i.e. R[0] = 1
  for (int i = 1; i <= t % 255; ++i) {
    r <<= 1;  // R = 0 || R, so the old R[7] is now R[8]
    const unsigned r8 = (r >> 8) & 1;
    r ^= r8 | (r8 << 4) | (r8 << 5) | (r8 << 6);  // R[0], R[4], R[5], R[6] ^= R[8]
    r &= 0xff;                                    // Trunc8
  }
  return (r & 1) != 0;
}

struct RoundConstants {
  std::uint64_t rc[kRounds];
};

// FIPS 202 Algorithm 6: RC[2^j - 1] = rc(j + 7 * i_r) for j = 0 .. 6.
constexpr RoundConstants make_round_constants() {
  RoundConstants out{};
  for (int round = 0; round < kRounds; ++round) {
    std::uint64_t value = 0;
    for (int j = 0; j <= 6; ++j) {
      if (rc_bit(j + 7 * round)) value |= std::uint64_t{1} << ((1 << j) - 1);
    }
    out.rc[round] = value;
  }
  return out;
}

struct RhoOffsets {
  int offset[25];  // lane (x, y) at index x + 5 * y
};

// FIPS 202 §3.2.2 Algorithm 2: offsets (t + 1)(t + 2) / 2 mod 64 along the orbit of (1, 0).
constexpr RhoOffsets make_rho_offsets() {
  RhoOffsets out{};
  int x = 1;
  int y = 0;
  for (int t = 0; t < 24; ++t) {
    out.offset[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    const int next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  return out;
}

inline constexpr RoundConstants kRoundConstants = make_round_constants();
inline constexpr RhoOffsets kRhoOffsets = make_rho_offsets();

}  // namespace qpow::crypto::keccak_internal
