// The coefficientwise kernels of ML-DSA with AVX2: the same formulas as ml_dsa_rounding.h
// (FIPS 204 §7.4), eight coefficients per instruction. Compiled with -mavx2; reached only through
// the kernel table after a CPU check.
#include "crypto/ml_dsa_avx2.h"
#include "crypto/ml_dsa_avx2_vec.h"

namespace qpow::crypto::mldsa::avx2 {
namespace {

// Bits set in an 8-bit value, by arithmetic (no table: the hint pattern is secret until the
// signature is released).
inline std::size_t popcount8(int x) {
  auto v = static_cast<unsigned>(x);
  v = v - ((v >> 1) & 0x55u);
  v = (v & 0x33u) + ((v >> 2) & 0x33u);
  return (v + (v >> 4)) & 0x0fu;
}

}  // namespace

void add(Poly& out, const Poly& a, const Poly& b) {
  for (int i = 0; i < kVectors; ++i) {
    store(out.c + 8 * i, _mm256_add_epi32(load(a.c + 8 * i), load(b.c + 8 * i)));
  }
}

void sub(Poly& out, const Poly& a, const Poly& b) {
  for (int i = 0; i < kVectors; ++i) {
    store(out.c + 8 * i, _mm256_sub_epi32(load(a.c + 8 * i), load(b.c + 8 * i)));
  }
}

void shift_left_d(Poly& a) {
  for (int i = 0; i < kVectors; ++i) store(a.c + 8 * i, _mm256_slli_epi32(load(a.c + 8 * i), kD));
}

void freeze(Poly& a) {
  for (int i = 0; i < kVectors; ++i) {
    store(a.c + 8 * i, add_q_if_negative(reduce32(load(a.c + 8 * i))));
  }
}

void centre(Poly& a) {
  const __m256i half = splat((kQ - 1) / 2);
  const __m256i q = splat(kQ);
  for (int i = 0; i < kVectors; ++i) {
    const __m256i x = add_q_if_negative(load(a.c + 8 * i));
    const __m256i over = _mm256_cmpgt_epi32(x, half);
    store(a.c + 8 * i, _mm256_sub_epi32(x, _mm256_and_si256(over, q)));
  }
}

// Every coefficient is compared; the answer is taken once at the end.
bool norm_at_least(const Poly& a, std::int32_t bound) {
  const __m256i limit = splat(bound - 1);
  __m256i over = _mm256_setzero_si256();
  for (int i = 0; i < kVectors; ++i) {
    const __m256i magnitude = _mm256_abs_epi32(load(a.c + 8 * i));
    over = _mm256_or_si256(over, _mm256_cmpgt_epi32(magnitude, limit));
  }
  return _mm256_testz_si256(over, over) == 0;
}

void power2round(Poly& t1, Poly& t0, const Poly& t) {
  const __m256i round = splat((1 << (kD - 1)) - 1);
  for (int i = 0; i < kVectors; ++i) {
    const __m256i x = load(t.c + 8 * i);
    const __m256i high = _mm256_srai_epi32(_mm256_add_epi32(x, round), kD);
    store(t1.c + 8 * i, high);
    store(t0.c + 8 * i, _mm256_sub_epi32(x, _mm256_slli_epi32(high, kD)));
  }
}

void decompose(Poly& r1, Poly& r0, const Poly& r, std::int32_t gamma2) {
  for (int i = 0; i < kVectors; ++i) {
    __m256i low;
    store(r1.c + 8 * i, decompose8(load(r.c + 8 * i), gamma2, &low));
    store(r0.c + 8 * i, low);
  }
}

// h = [HighBits(r + u mod q) != r1]; r + u is in (-q/2, 3q/2). Eight hint bits per register,
// from the sign bits of the comparison.
std::size_t make_hint(HintBits& h, const Poly& r, const Poly& r1, const Poly& u,
                      std::int32_t gamma2) {
  const __m256i q = splat(kQ);
  std::size_t ones = 0;
  for (int w = 0; w < kVectors / 8; ++w) {
    std::uint64_t bits = 0;
    for (int k = 0; k < 8; ++k) {
      const int i = 8 * w + k;
      __m256i v = add_q_if_negative(_mm256_add_epi32(load(r.c + 8 * i), load(u.c + 8 * i)));
      v = add_q_if_negative(_mm256_sub_epi32(v, q));
      const __m256i same = _mm256_cmpeq_epi32(decompose8(v, gamma2, nullptr), load(r1.c + 8 * i));
      const int differ = ~_mm256_movemask_ps(_mm256_castsi256_ps(same)) & 0xff;
      bits |= static_cast<std::uint64_t>(differ) << (8 * k);
      ones += popcount8(differ);
    }
    h.word[w] = bits;
  }
  return ones;
}

// Algorithm 40: r1 + 1 if h = 1 and r0 > 0, r1 - 1 if h = 1 and r0 <= 0, both mod m.
void use_hint(Poly& w1, const HintBits& h, const Poly& r, std::int32_t gamma2) {
  const std::int32_t m = (kQ - 1) / (2 * gamma2);
  const __m256i modulus = splat(m);
  const __m256i top = splat(m - 1);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i two = splat(2);
  const __m256i one = splat(1);
  const __m256i lane_bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  for (int i = 0; i < kVectors; ++i) {
    __m256i low;
    const __m256i high = decompose8(load(r.c + 8 * i), gamma2, &low);
    // +1 where r0 > 0, else -1; kept only where h = 1.
    const __m256i step =
        _mm256_sub_epi32(_mm256_and_si256(_mm256_cmpgt_epi32(low, zero), two), one);
    // All ones in the lanes whose hint bit is set.
    const auto byte = static_cast<std::int32_t>((h.word[i / 8] >> (8 * (i % 8))) & 0xff);
    const __m256i hint = _mm256_cmpeq_epi32(_mm256_and_si256(splat(byte), lane_bit), lane_bit);
    __m256i v = _mm256_add_epi32(high, _mm256_and_si256(hint, step));
    v = _mm256_add_epi32(v, _mm256_and_si256(_mm256_cmpgt_epi32(zero, v), modulus));
    v = _mm256_sub_epi32(v, _mm256_and_si256(_mm256_cmpgt_epi32(v, top), modulus));
    store(w1.c + 8 * i, v);
  }
}

}  // namespace qpow::crypto::mldsa::avx2
