// Internal: 8-lane helpers for the ML-DSA AVX2 kernels (ml_dsa_ntt_avx2.cpp,
// ml_dsa_poly_avx2.cpp). Include only from *_avx2.cpp files. Everything has internal linkage,
// for the reason given in keccak_kernel.h: a shared inline function compiled with -mavx2 could
// be the copy the linker keeps for every caller.
#pragma once

#include <cstdint>

#include <immintrin.h>

#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa::avx2 {
namespace {

constexpr int kVectors = static_cast<int>(kN / 8);  // 32 registers per polynomial

inline __m256i load(const std::int32_t* p) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(p));
}
inline void store(std::int32_t* p, __m256i v) {
  _mm256_store_si256(reinterpret_cast<__m256i*>(p), v);
}
inline __m256i splat(std::int32_t x) {
  return _mm256_set1_epi32(x);
}

// The high halves of the 64-bit lanes of `even` (results for lanes 0, 2, 4, 6) and of `odd`
// (lanes 1, 3, 5, 7) merged into one vector of 8 results.
inline __m256i merge_high_halves(__m256i even, __m256i odd) {
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// Montgomery multiplication a · z · 2^-32 for z the same in every lane, with zq = z · q^-1 mod
// 2^32 precomputed. Products are 64-bit (VPMULDQ takes the even lanes, so the odd lanes of a are
// shifted down); m = lo(a · zq) makes a·z - m·q divisible by 2^32, and since the low halves of
// a·z and m·q agree the result is the difference of the high halves. For |a · z| < 2^31 · q the
// result is in (-q, q).
inline __m256i montmul_splat(__m256i a, __m256i z, __m256i zq) {
  const __m256i q = splat(kQ);
  const __m256i a_odd = _mm256_srli_epi64(a, 32);
  const __m256i m_even = _mm256_mul_epi32(_mm256_mul_epi32(a, zq), q);
  const __m256i m_odd = _mm256_mul_epi32(_mm256_mul_epi32(a_odd, zq), q);
  const __m256i p_even = _mm256_mul_epi32(a, z);
  const __m256i p_odd = _mm256_mul_epi32(a_odd, z);
  return merge_high_halves(_mm256_sub_epi32(p_even, m_even), _mm256_sub_epi32(p_odd, m_odd));
}

// Montgomery reduction of 64-bit lanes: (t - m·q) / 2^32 with m = lo(t) · q^-1, for the even and
// odd lane products of a pointwise multiplication. |t| < 2^62 gives |result| < |t|/2^32 + q/2.
inline __m256i montgomery_reduce(__m256i t_even, __m256i t_odd) {
  const __m256i q = splat(kQ);
  const __m256i qinv = splat(static_cast<std::int32_t>(kQInv));
  const __m256i m_even = _mm256_mul_epi32(_mm256_mul_epi32(t_even, qinv), q);
  const __m256i m_odd = _mm256_mul_epi32(_mm256_mul_epi32(t_odd, qinv), q);
  return merge_high_halves(_mm256_sub_epi32(t_even, m_even), _mm256_sub_epi32(t_odd, m_odd));
}

// a · q without a multiplier: q = 2^23 - 2^13 + 1.
inline __m256i times_q(__m256i a) {
  return _mm256_add_epi32(_mm256_sub_epi32(_mm256_slli_epi32(a, 23), _mm256_slli_epi32(a, 13)), a);
}

// a - round(a / 2^23) · q, in [-6283009, 6283008] for |a| < 2^31 - 2^22.
inline __m256i reduce32(__m256i a) {
  const __m256i t = _mm256_srai_epi32(_mm256_add_epi32(a, splat(1 << 22)), 23);
  return _mm256_sub_epi32(a, times_q(t));
}

inline __m256i add_q_if_negative(__m256i a) {
  return _mm256_add_epi32(a, _mm256_and_si256(_mm256_srai_epi32(a, 31), splat(kQ)));
}

// floor(x / (2γ2)) for 0 <= x < q + γ2 (see scalar::divide_by_2gamma2).
inline __m256i divide_by_2gamma2(__m256i x, std::int32_t gamma2) {
  if (gamma2 == (kQ - 1) / 88) {
    return _mm256_srli_epi32(_mm256_mullo_epi32(_mm256_srli_epi32(x, 11), splat(11276)), 20);
  }
  return _mm256_srli_epi32(_mm256_mullo_epi32(_mm256_srli_epi32(x, 9), splat(32801)), 25);
}

// Algorithm 36 on 8 lanes of [0, q): the high part, and the low part if wanted.
inline __m256i decompose8(__m256i r, std::int32_t gamma2, __m256i* low) {
  const std::int32_t m = (kQ - 1) / (2 * gamma2);
  const __m256i r1 = divide_by_2gamma2(_mm256_add_epi32(r, splat(gamma2 - 1)), gamma2);
  const __m256i wrap = _mm256_cmpeq_epi32(r1, splat(m));
  if (low != nullptr) {
    const __m256i r0 = _mm256_sub_epi32(r, _mm256_mullo_epi32(r1, splat(2 * gamma2)));
    *low = _mm256_add_epi32(r0, wrap);
  }
  return _mm256_andnot_si256(wrap, r1);
}

}  // namespace
}  // namespace qpow::crypto::mldsa::avx2
