// Internal: the lane-vector types that keccak_kernel.h is instantiated with. Each SIMD type is
// only defined when the translation unit is compiled for its instruction set (__AVX2__,
// __AVX512F__), so a unit gets exactly the types it may execute. Internal linkage throughout, for
// the reason given in keccak_kernel.h.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace qpow::crypto::keccak_internal {
namespace {

// One state per 64-bit word. Built for the AVX2 level, the compiler turns chi into ANDN and the
// rotations into RORX.
struct ScalarLanes {
  using Lane = std::uint64_t;
  static Lane load(const std::uint64_t* p) { return *p; }
  static Lane broadcast(std::uint64_t w) { return w; }
  static Lane gather(const std::uint64_t* p, std::size_t) { return *p; }
  static void store(std::uint64_t* p, Lane v) { *p = v; }
  static Lane xor2(Lane a, Lane b) { return a ^ b; }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) { return a ^ b ^ c ^ d ^ e; }
  static Lane chi(Lane a, Lane b, Lane c) { return a ^ (~b & c); }
  static Lane xor_word(Lane a, std::uint64_t w) { return a ^ w; }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else {
      return (v << n) | (v >> (64 - n));
    }
  }
};

#if defined(__AVX2__)
// Four states: lane i of each in one 256-bit register.
struct Avx2Lanes {
  using Lane = __m256i;
  static Lane load(const std::uint64_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  static void store(std::uint64_t* p, Lane v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
  }
  static Lane broadcast(std::uint64_t w) { return _mm256_set1_epi64x(static_cast<long long>(w)); }
  // Element j is p[j * stride], assembled in registers (no store-to-load forwarding stall).
  static Lane gather(const std::uint64_t* p, std::size_t stride) {
    return _mm256_setr_epi64x(static_cast<long long>(p[0]), static_cast<long long>(p[stride]),
                              static_cast<long long>(p[2 * stride]),
                              static_cast<long long>(p[3 * stride]));
  }
  static Lane xor2(Lane a, Lane b) { return _mm256_xor_si256(a, b); }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) {
    return _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(a, b), _mm256_xor_si256(c, d)), e);
  }
  // _mm256_andnot_si256(b, c) is ~b & c.
  static Lane chi(Lane a, Lane b, Lane c) { return _mm256_xor_si256(a, _mm256_andnot_si256(b, c)); }
  static Lane xor_word(Lane a, std::uint64_t w) {
    return _mm256_xor_si256(a, _mm256_set1_epi64x(static_cast<long long>(w)));
  }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else if constexpr (n == 8) {
      // A whole-byte rotation is one byte shuffle: result byte k = source byte (k - 1) mod 8.
      const __m256i mask = _mm256_setr_epi8(7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7,
                                            0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14);
      return _mm256_shuffle_epi8(v, mask);
    } else if constexpr (n == 56) {
      // Result byte k = source byte (k + 1) mod 8.
      const __m256i mask = _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1,
                                            2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8);
      return _mm256_shuffle_epi8(v, mask);
    } else {
      return _mm256_or_si256(_mm256_slli_epi64(v, n), _mm256_srli_epi64(v, 64 - n));
    }
  }
};
#endif  // __AVX2__

#if defined(__AVX512F__)
// Eight states: lane i of each in one 512-bit register. Rotations are single instructions
// (VPROLQ), and θ's five-way XOR and χ are three-input logic operations (VPTERNLOGQ).
// VPTERNLOGQ's immediate is the truth table of f(a, b, c) evaluated on the bit patterns
// a = 0xF0, b = 0xCC, c = 0xAA, so each immediate is written as the function it computes.
constexpr int kTernXor3 = (0xF0 ^ 0xCC ^ 0xAA) & 0xFF;    // a ^ b ^ c
constexpr int kTernChi = (0xF0 ^ (~0xCC & 0xAA)) & 0xFF;  // a ^ (~b & c)

struct Avx512Lanes {
  using Lane = __m512i;
  static Lane load(const std::uint64_t* p) { return _mm512_loadu_si512(p); }
  static void store(std::uint64_t* p, Lane v) { _mm512_storeu_si512(p, v); }
  static Lane broadcast(std::uint64_t w) { return _mm512_set1_epi64(static_cast<long long>(w)); }
  // Element j is p[j * stride], assembled in registers (no store-to-load forwarding stall).
  static Lane gather(const std::uint64_t* p, std::size_t stride) {
    return _mm512_setr_epi64(
        static_cast<long long>(p[0]), static_cast<long long>(p[stride]),
        static_cast<long long>(p[2 * stride]), static_cast<long long>(p[3 * stride]),
        static_cast<long long>(p[4 * stride]), static_cast<long long>(p[5 * stride]),
        static_cast<long long>(p[6 * stride]), static_cast<long long>(p[7 * stride]));
  }
  static Lane xor2(Lane a, Lane b) { return _mm512_xor_si512(a, b); }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) {
    return _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(a, b, c, kTernXor3), d, e,
                                     kTernXor3);
  }
  static Lane chi(Lane a, Lane b, Lane c) { return _mm512_ternarylogic_epi64(a, b, c, kTernChi); }
  static Lane xor_word(Lane a, std::uint64_t w) {
    return _mm512_xor_si512(a, _mm512_set1_epi64(static_cast<long long>(w)));
  }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else {
      // The zero-masking form with every lane selected is VPROLQ itself; the plain intrinsic
      // trips g++ 12's -Wuninitialized on its internal undefined-register idiom.
      return _mm512_maskz_rol_epi64(0xFF, v, n);
    }
  }
};
#endif  // __AVX512F__

}  // namespace
}  // namespace qpow::crypto::keccak_internal
