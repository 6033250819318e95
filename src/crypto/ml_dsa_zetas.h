// Internal: the twiddle factors of ML-DSA's NTT (FIPS 204 §7.5 and Appendix B), computed at
// compile time. zetas[m] = ζ^BitRev8(m) mod q with ζ = 1753; the tables here hold them in
// Montgomery form (times 2^32 mod q, centred in (-q/2, q/2)) so that one Montgomery
// multiplication by a table entry multiplies by ζ^BitRev8(m) itself. Data only: safe to include
// from the AVX2 translation units.
#pragma once

#include <cstdint>

#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa::ntt_tables {

constexpr std::int64_t pow_mod(std::int64_t base, unsigned exp) {
  std::int64_t result = 1;
  for (; exp != 0; exp >>= 1) {
    if ((exp & 1) != 0) result = result * base % kQ;
    base = base * base % kQ;
  }
  return result;
}

constexpr unsigned bit_rev8(unsigned m) {
  unsigned r = 0;
  for (int b = 0; b < 8; ++b) r |= ((m >> b) & 1u) << (7 - b);
  return r;
}

// x * 2^32 mod q as the representative in (-q/2, q/2).
constexpr std::int32_t to_montgomery_centred(std::int64_t x) {
  std::int64_t r = ((x % kQ + kQ) % kQ) * ((std::int64_t{1} << 32) % kQ) % kQ;
  if (r > kQ / 2) r -= kQ;
  return static_cast<std::int32_t>(r);
}

// A plain array (no std::array member functions) so the AVX2 units can read it.
struct ZetaTable {
  std::int32_t v[kN];
  constexpr std::int32_t operator[](std::size_t m) const { return v[m]; }
};

// ζ^BitRev8(m) · 2^32 mod q, m = 0..255 (entry 0 is unused by the transforms).
inline constexpr ZetaTable kZetasMont = [] {
  ZetaTable z{};
  for (unsigned m = 0; m < kN; ++m) z.v[m] = to_montgomery_centred(pow_mod(kZeta, bit_rev8(m)));
  return z;
}();

// The inverse transform's scaling, 256^-1 mod q = 8347681 (FIPS 204 Algorithm 42, line 21),
// times 2^64 mod q: one Montgomery multiplication by it scales by 256^-1 and leaves one factor
// 2^32, which cancels the 2^-32 of the pointwise product that always precedes the inverse NTT.
inline constexpr std::int32_t kInvNScaleMont = [] {
  const std::int64_t r2 = (std::int64_t{1} << 32) % kQ * ((std::int64_t{1} << 32) % kQ) % kQ;
  std::int64_t f = 8347681 * r2 % kQ;
  if (f > kQ / 2) f -= kQ;
  return static_cast<std::int32_t>(f);
}();

static_assert(pow_mod(kZeta, 256) == kQ - 1, "ζ is a primitive 512th root of unity");
static_assert(8347681LL * 256 % kQ == 1, "256^-1 mod q");

}  // namespace qpow::crypto::mldsa::ntt_tables
