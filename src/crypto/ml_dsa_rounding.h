// Internal: ML-DSA's scalar modular arithmetic and the rounding functions of FIPS 204 §7.4
// (Algorithms 35-40) on one coefficient, written without data-dependent branches. The portable
// kernels and the tests use these; the AVX2 kernels compute the same formulas eight lanes at a
// time (and must not include this header: its inline functions would be shared code).
#pragma once

#include <cstdint>

#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa::scalar {

// a · 2^-32 mod q, signed Montgomery reduction. For |a| < 2^31 · q the result is in (-q, q).
constexpr std::int32_t montgomery_reduce(std::int64_t a) {
  const auto m = static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * kQInv);
  return static_cast<std::int32_t>((a - static_cast<std::int64_t>(m) * kQ) >> 32);
}

constexpr std::int32_t montgomery_mul(std::int32_t a, std::int32_t b) {
  return montgomery_reduce(static_cast<std::int64_t>(a) * b);
}

// a - round(a / 2^23) · q: for |a| < 2^31 - 2^22 the result is in [-6283009, 6283008].
constexpr std::int32_t reduce32(std::int32_t a) {
  const std::int32_t t = (a + (1 << 22)) >> 23;
  return a - t * kQ;
}

// Adds q to a negative value.
constexpr std::int32_t add_q_if_negative(std::int32_t a) {
  return a + ((a >> 31) & kQ);
}

// a mod q in [0, q), for |a| < 2^31 - 2^22.
constexpr std::int32_t freeze(std::int32_t a) {
  return add_q_if_negative(reduce32(a));
}

// a mod± q in [-(q-1)/2, (q-1)/2], for |a| < q.
constexpr std::int32_t centre(std::int32_t a) {
  a = add_q_if_negative(a);
  return a - (((kQ - 1) / 2 - a) >> 31 & kQ);
}

struct Split {
  std::int32_t high;
  std::int32_t low;
};

// Algorithm 35, Power2Round, for r in [0, q): r = r1 · 2^d + r0 with r0 in (-2^(d-1), 2^(d-1)].
constexpr Split power2round(std::int32_t r) {
  const std::int32_t r1 = (r + (1 << (kD - 1)) - 1) >> kD;
  return {r1, r - (r1 << kD)};
}

// floor(x / (2γ2)) for 0 <= x < q + γ2, by multiplication: 2γ2 = 2^11 · 93 for γ2 = (q-1)/88
// and 2^9 · 1023 for γ2 = (q-1)/32, so x is shifted by the power of two and the quotient by the
// odd part taken as (x' · ceil(2^s / odd)) >> s. Both were checked exhaustively over the input
// range (ml_dsa_rounding_test.cpp).
constexpr std::int32_t divide_by_2gamma2(std::int32_t x, std::int32_t gamma2) {
  if (gamma2 == (kQ - 1) / 88) return ((x >> 11) * 11276) >> 20;
  return ((x >> 9) * 32801) >> 25;
}

// Algorithm 36, Decompose, for r in [0, q): r = r1 · 2γ2 + r0 with r0 in (-γ2, γ2], except that
// r1 = m = (q-1)/(2γ2) becomes 0 and r0 then is r - q (the standard's special case, line 4).
// With r1' = floor((r + γ2 - 1) / (2γ2)) the low part is r - r1' · 2γ2 in (-γ2, γ2].
constexpr Split decompose(std::int32_t r, std::int32_t gamma2) {
  const std::int32_t m = (kQ - 1) / (2 * gamma2);
  const std::int32_t r1 = divide_by_2gamma2(r + gamma2 - 1, gamma2);
  const std::int32_t wrap = -static_cast<std::int32_t>(r1 == m);  // all ones in the special case
  return {r1 & ~wrap, r - r1 * 2 * gamma2 + wrap};
}

// Algorithm 37, HighBits, and Algorithm 38, LowBits.
constexpr std::int32_t high_bits(std::int32_t r, std::int32_t gamma2) {
  return decompose(r, gamma2).high;
}
constexpr std::int32_t low_bits(std::int32_t r, std::int32_t gamma2) {
  return decompose(r, gamma2).low;
}

// Algorithm 39, MakeHint(z, r) = [HighBits(r) != HighBits(r + z)], for r in [0, q) and
// |z| <= (q-1)/2.
constexpr std::int32_t make_hint(std::int32_t z, std::int32_t r, std::int32_t gamma2) {
  // r + z is in (-q/2, 3q/2): add q if negative, then subtract q unless that goes negative.
  const std::int32_t v = add_q_if_negative(add_q_if_negative(r + z) - kQ);
  return static_cast<std::int32_t>(high_bits(r, gamma2) != high_bits(v, gamma2));
}

// Algorithm 40, UseHint, for h in {0, 1} and r in [0, q).
constexpr std::int32_t use_hint(std::int32_t h, std::int32_t r, std::int32_t gamma2) {
  const std::int32_t m = (kQ - 1) / (2 * gamma2);
  const Split s = decompose(r, gamma2);
  const std::int32_t step = static_cast<std::int32_t>(s.low > 0) * 2 - 1;  // +1 or -1
  std::int32_t v = s.high + h * step;
  v += m & -static_cast<std::int32_t>(v < 0);
  v -= m & -static_cast<std::int32_t>(v >= m);
  return v;
}

}  // namespace qpow::crypto::mldsa::scalar
