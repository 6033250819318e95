// qhash of eight nonces at once with AVX-512 (see qhash_avx2.cpp for the four-way form). Called
// only after CPUID says AVX-512 is usable; includes nothing that other units share.
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"
#include "crypto/qhash_kernel.h"

namespace qpow::crypto::qhash_internal {

void hash_x8_avx512(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out) {
  constexpr std::size_t kN = 8;
  std::uint64_t words[kN][kNonceWords];
  for (std::size_t j = 0; j < kN; ++j) {
    nonce_words_kernel(prefix.swifft_fixed, *prefix.rows, nonces[j], words[j]);
  }
  const std::uint64_t* b = prefix.base;
  __m512i a[25];
  for (std::size_t i = 0; i < kNonceWords; ++i) {
    alignas(64) std::uint64_t lane[kN];
    for (std::size_t j = 0; j < kN; ++j) lane[j] = b[i] ^ words[j][i];
    a[i] = _mm512_load_si512(lane);
  }
  for (std::size_t i = kNonceWords; i < 25; ++i) {
    a[i] = _mm512_set1_epi64(static_cast<long long>(b[i]));
  }
  keccak_internal::permute_lanes<keccak_internal::Avx512Lanes>(a);
  alignas(64) std::uint64_t digest[4][kN];  // digest[w][j]: word w of nonce j's digest
  for (std::size_t w = 0; w < 4; ++w) _mm512_store_si512(digest[w], a[w]);
  for (std::size_t j = 0; j < kN; ++j) {
    for (std::size_t w = 0; w < 4; ++w) {
      __builtin_memcpy(out + kDigestBytes * j + 8 * w, &digest[w][j], 8);  // little-endian
    }
  }
}

}  // namespace qpow::crypto::qhash_internal
