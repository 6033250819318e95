// The coefficientwise kernels of ML-DSA in plain C++: additions, reductions, the infinity-norm
// test and the rounding functions of FIPS 204 §7.4 applied to whole polynomials.
#include "crypto/ml_dsa_portable.h"
#include "crypto/ml_dsa_rounding.h"
#include "util/bytes.h"

namespace qpow::crypto::mldsa::portable {

// Algorithm 14 (CoeffFromThreeBytes) and the acceptance test of Algorithm 30, without a branch
// on the value. While at least 8 coefficients are missing, 24 bytes (8 candidates) are loaded as
// three words first, so the loop does not wait on its own stores.
std::size_t rej_ntt_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes, std::size_t len) {
  std::size_t pos = 0;
  for (; pos + 24 <= len && filled + 8 <= kN; pos += 24) {
    const std::uint64_t w0 = util::load_le64(bytes + pos);
    const std::uint64_t w1 = util::load_le64(bytes + pos + 8);
    const std::uint64_t w2 = util::load_le64(bytes + pos + 16);
    const std::uint64_t candidate[8] = {w0,       w0 >> 24, (w0 >> 48) | (w1 << 16),
                                        w1 >> 8,  w1 >> 32, (w1 >> 56) | (w2 << 8),
                                        w2 >> 16, w2 >> 40};
    for (const std::uint64_t c : candidate) {
      const auto z = static_cast<std::int32_t>(c & 0x7fffff);
      a.c[filled] = z;
      filled += static_cast<std::size_t>(z < kQ);
    }
  }
  for (; pos + 3 <= len && filled < kN; pos += 3) {
    const std::int32_t z = bytes[pos] | (bytes[pos + 1] << 8) | ((bytes[pos + 2] & 0x7f) << 16);
    a.c[filled] = z;
    filled += static_cast<std::size_t>(z < kQ);
  }
  return filled;
}

// Algorithm 31's loop body with Algorithm 15 folded in: for η = 2 a nibble b < 15 gives
// 2 - (b mod 5), for η = 4 a nibble b < 9 gives 4 - b. No branch depends on a nibble's value; the
// count of accepted nibbles steers the loop, as in the standard.
std::size_t rej_bounded_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                              std::size_t len, std::int32_t eta) {
  const std::int32_t limit = eta == 2 ? 15 : 9;
  const std::int32_t eta2 = static_cast<std::int32_t>(eta == 2);
  // (b * 205) >> 10 = floor(b / 5) for b < 16.
  auto value = [eta, eta2](std::int32_t b) { return eta - b + eta2 * 5 * ((b * 205) >> 10); };
  for (std::size_t pos = 0; pos < len && filled < kN; ++pos) {
    const std::int32_t z0 = bytes[pos] & 15;
    const std::int32_t z1 = bytes[pos] >> 4;
    a.c[filled] = value(z0);
    filled += static_cast<std::size_t>(z0 < limit);
    if (filled < kN) {
      a.c[filled] = value(z1);
      filled += static_cast<std::size_t>(z1 < limit);
    }
  }
  return filled;
}

void add(Poly& out, const Poly& a, const Poly& b) {
  for (std::size_t i = 0; i < kN; ++i) out.c[i] = a.c[i] + b.c[i];
}

void sub(Poly& out, const Poly& a, const Poly& b) {
  for (std::size_t i = 0; i < kN; ++i) out.c[i] = a.c[i] - b.c[i];
}

void shift_left_d(Poly& a) {
  for (std::int32_t& x : a.c) x <<= kD;
}

void freeze(Poly& a) {
  for (std::int32_t& x : a.c) x = scalar::freeze(x);
}

void centre(Poly& a) {
  for (std::int32_t& x : a.c) x = scalar::centre(x);
}

// Accumulates a sign bit per coefficient instead of returning early, so the time does not say
// which coefficient (if any) is large.
bool norm_at_least(const Poly& a, std::int32_t bound) {
  std::int32_t over = 0;
  for (const std::int32_t x : a.c) {
    const std::int32_t sign = x >> 31;
    const std::int32_t magnitude = (x ^ sign) - sign;
    over |= (bound - 1 - magnitude);
  }
  return over < 0;
}

void power2round(Poly& t1, Poly& t0, const Poly& t) {
  for (std::size_t i = 0; i < kN; ++i) {
    const scalar::Split s = scalar::power2round(t.c[i]);
    t1.c[i] = s.high;
    t0.c[i] = s.low;
  }
}

void decompose(Poly& r1, Poly& r0, const Poly& r, std::int32_t gamma2) {
  for (std::size_t i = 0; i < kN; ++i) {
    const scalar::Split s = scalar::decompose(r.c[i], gamma2);
    r1.c[i] = s.high;
    r0.c[i] = s.low;
  }
}

std::size_t make_hint(HintBits& h, const Poly& r, const Poly& r1, const Poly& u,
                      std::int32_t gamma2) {
  std::size_t ones = 0;
  for (std::size_t w = 0; w < kN / 64; ++w) {
    std::uint64_t bits = 0;
    for (std::size_t j = 0; j < 64; ++j) {
      const std::size_t i = 64 * w + j;
      // r + u mod q, from (-q/2, 3q/2).
      const std::int32_t v =
          scalar::add_q_if_negative(scalar::add_q_if_negative(r.c[i] + u.c[i]) - kQ);
      const auto one = static_cast<std::uint64_t>(scalar::high_bits(v, gamma2) != r1.c[i]);
      bits |= one << j;
      ones += static_cast<std::size_t>(one);
    }
    h.word[w] = bits;
  }
  return ones;
}

void use_hint(Poly& w1, const HintBits& h, const Poly& r, std::int32_t gamma2) {
  for (std::size_t i = 0; i < kN; ++i) {
    const auto bit = static_cast<std::int32_t>((h.word[i / 64] >> (i % 64)) & 1);
    w1.c[i] = scalar::use_hint(bit, r.c[i], gamma2);
  }
}

}  // namespace qpow::crypto::mldsa::portable
