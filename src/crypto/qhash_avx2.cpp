// qhash's per-nonce work compiled for AVX2 (see qhash_kernel.h and keccak_kernel.h): the SWIFFT
// step, and four nonces hashed with the last block's lanes assembled directly in registers.
// Called only after CPUID says AVX2 is usable; includes nothing that other units share.
#include "crypto/keccak_lanes.h"
#include "crypto/qhash_kernel.h"

namespace qpow::crypto::qhash_internal {

void nonce_words_avx2(const std::uint16_t* fixed, const NonceRows& rows, std::uint64_t nonce,
                      std::uint64_t* out) {
  nonce_words_kernel(fixed, rows, nonce, out);
}

void hash_x4_avx2(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out) {
  hash_nonces<keccak_internal::Avx2Lanes, 4>(prefix, nonces, out);
}

}  // namespace qpow::crypto::qhash_internal
