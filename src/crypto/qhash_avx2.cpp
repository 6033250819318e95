// qhash's per-nonce work compiled for AVX2 (see qhash_kernel.h and keccak_kernel.h): the SWIFFT
// step, and four nonces hashed with the last block's lanes assembled directly in registers.
// Called only after CPUID says AVX2 is usable; includes nothing that other units share.
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"
#include "crypto/qhash_kernel.h"

namespace qpow::crypto::qhash_internal {

void nonce_words_avx2(const std::uint16_t* fixed, const NonceRows& rows, std::uint64_t nonce,
                      std::uint64_t* out) {
  nonce_words_kernel(fixed, rows, nonce, out);
}

void hash_x4_avx2(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out) {
  constexpr std::size_t kN = 4;
  std::uint64_t words[kN][kNonceWords];
  for (std::size_t j = 0; j < kN; ++j) {
    nonce_words_kernel(prefix.swifft_fixed, *prefix.rows, nonces[j], words[j]);
  }
  const std::uint64_t* b = prefix.base;
  __m256i a[25];
  for (std::size_t i = 0; i < kNonceWords; ++i) {
    a[i] = _mm256_setr_epi64x(static_cast<long long>(b[i] ^ words[0][i]),
                              static_cast<long long>(b[i] ^ words[1][i]),
                              static_cast<long long>(b[i] ^ words[2][i]),
                              static_cast<long long>(b[i] ^ words[3][i]));
  }
  for (std::size_t i = kNonceWords; i < 25; ++i) {
    a[i] = _mm256_set1_epi64x(static_cast<long long>(b[i]));
  }
  keccak_internal::permute_lanes<keccak_internal::Avx2Lanes>(a);
  alignas(32) std::uint64_t digest[4][kN];  // digest[w][j]: word w of nonce j's digest
  for (std::size_t w = 0; w < 4; ++w) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(digest[w]), a[w]);
  }
  for (std::size_t j = 0; j < kN; ++j) {
    for (std::size_t w = 0; w < 4; ++w) {
      __builtin_memcpy(out + kDigestBytes * j + 8 * w, &digest[w][j], 8);  // little-endian
    }
  }
}

}  // namespace qpow::crypto::qhash_internal
