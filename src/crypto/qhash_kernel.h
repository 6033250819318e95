// Internal: the per-nonce part of qhash's prefix path. Given the SWIFFT sum of the fixed header
// part and the nonce table (the key of the nonce block times every byte value at every byte
// position), it produces the 10 words the nonce contributes to the last cSHAKE256 block: the
// nonce itself and the packed SWIFFT digest.
//
// The code is written so compilers vectorize it (fixed-size loops over 16-bit lanes, no
// cross-lane dependencies), and it is compiled twice: for the baseline ISA in qhash.cpp and with
// -mavx2 in qhash_avx2.cpp. Like keccak_kernel.h it has internal linkage and uses only compiler
// builtins, so the AVX2 unit shares no code with the others.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak_kernel.h"

namespace qpow::crypto::qhash_internal {

inline constexpr std::size_t kPolyCoeffs = 64;
inline constexpr std::size_t kNonceWords = 10;
inline constexpr std::size_t kDigestBytes = 32;
using NonceRows = std::uint16_t[8][256][kPolyCoeffs];

// What the per-nonce code needs from a QhashPrefix.
struct PrefixView {
  const std::uint64_t* base;          // 25 words: the state at the last block, padding applied
  const std::uint16_t* swifft_fixed;  // 64 coefficients: SWIFFT of the header with nonce 0
  const NonceRows* rows;              // the nonce table
};

#if defined(QPOW_HAVE_X86_SIMD)
// nonce_words_kernel compiled for AVX2 (qhash_avx2.cpp).
void nonce_words_avx2(const std::uint16_t* fixed, const NonceRows& rows, std::uint64_t nonce,
                      std::uint64_t* out);
// qhash of 4 (8) nonces: the SWIFFT step, then the last block's permutation on lanes built in
// registers. out receives 4 (8) digests of kDigestBytes, one after another.
void hash_x4_avx2(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out);
void hash_x8_avx512(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out);
#endif

namespace {

// 16 lanes of 16 bits: compiles to one 256-bit operation with AVX2, two 128-bit ones without.
using U16x16 = std::uint16_t __attribute__((vector_size(32)));
using I16x16 = std::int16_t __attribute__((vector_size(32)));
using U8x16 = std::uint8_t __attribute__((vector_size(16)));
inline constexpr std::size_t kVectors = kPolyCoeffs / 16;

// out[0] = nonce; out[1..8] = coefficient k mod 256 as byte k; out[9] bit k = coefficient k >> 8.
inline void nonce_words_kernel(const std::uint16_t* fixed, const NonceRows& rows,
                               std::uint64_t nonce, std::uint64_t* out) {
  U16x16 sum[kVectors];
  __builtin_memcpy(sum, fixed, sizeof sum);
  for (std::size_t j = 0; j < 8; ++j) {
    const std::uint16_t* row = rows[j][(nonce >> (8 * j)) & 0xff];
    for (std::size_t k = 0; k < kVectors; ++k) {
      U16x16 v;
      __builtin_memcpy(&v, row + 16 * k, sizeof v);
      sum[k] += v;
    }
  }
  // Nine terms below 257 sum to under 2313. Since 256 = -1 (mod 257), s = 256h + l reduces to
  // l - h in [-9, 255]; adding 257 to a negative result gives the representative in [0, 256].
  alignas(16) std::uint8_t top[kPolyCoeffs];
  out[0] = nonce;
  for (std::size_t k = 0; k < kVectors; ++k) {
    const I16x16 s = reinterpret_cast<I16x16>(sum[k]);
    I16x16 r = (s & 0xff) - (s >> 8);
    r += (r >> 15) & 257;
    const U8x16 low = __builtin_convertvector(r, U8x16);
    const U8x16 high = __builtin_convertvector(r >> 8, U8x16);
    __builtin_memcpy(reinterpret_cast<std::uint8_t*>(out + 1) + 16 * k, &low, 16);
    __builtin_memcpy(top + 16 * k, &high, 16);
  }
  // Gather the 0/1 bytes of each group of eight into one byte: multiplying by
  // 0x0102040810204080 moves byte k's bit to bit 56 + k with no carries between terms.
  std::uint64_t high_bits = 0;
  for (std::size_t g = 0; g < 8; ++g) {
    std::uint64_t bytes;
    __builtin_memcpy(&bytes, top + 8 * g, 8);
    high_bits |= ((bytes * 0x0102'0408'1020'4080ULL) >> 56) << (8 * g);
  }
  out[9] = high_bits;
}

// qhash of N nonces on the lane-vector type V (keccak_kernel.h) with N elements: the SWIFFT step
// per nonce, then the last block's permutation on lanes assembled directly from the prefix
// state (the first kNonceWords lanes differ per nonce, the rest are the same for all).
template <class V, std::size_t N>
[[gnu::flatten]] inline void hash_nonces(const PrefixView& prefix, const std::uint64_t* nonces,
                                         std::uint8_t* out) {
  std::uint64_t words[N][kNonceWords];
  for (std::size_t j = 0; j < N; ++j) {
    nonce_words_kernel(prefix.swifft_fixed, *prefix.rows, nonces[j], words[j]);
  }
  for (std::size_t j = 0; j < N; ++j) {
    for (std::size_t i = 0; i < kNonceWords; ++i) words[j][i] ^= prefix.base[i];
  }
  typename V::Lane a[25];
  for (std::size_t i = 0; i < kNonceWords; ++i) a[i] = V::gather(&words[0][i], kNonceWords);
  for (std::size_t i = kNonceWords; i < 25; ++i) a[i] = V::broadcast(prefix.base[i]);
  keccak_internal::permute_lanes<V>(a);
  alignas(64) std::uint64_t digest[4][N];  // digest[w][j]: word w of nonce j's digest
  for (std::size_t w = 0; w < 4; ++w) V::store(digest[w], a[w]);
  for (std::size_t j = 0; j < N; ++j) {
    for (std::size_t w = 0; w < 4; ++w) {
      __builtin_memcpy(out + kDigestBytes * j + 8 * w, &digest[w][j], 8);  // little-endian
    }
  }
}

}  // namespace
}  // namespace qpow::crypto::qhash_internal
