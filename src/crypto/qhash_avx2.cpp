// qhash's per-nonce SWIFFT step compiled for AVX2 (see qhash_kernel.h). Called only after CPUID
// says AVX2 is usable; includes nothing that other translation units share.
#include "crypto/qhash_kernel.h"

namespace qpow::crypto::qhash_internal {

void nonce_words_avx2(const std::uint16_t* fixed, const NonceRows& rows, std::uint64_t nonce,
                      std::uint64_t* out) {
  nonce_words_kernel(fixed, rows, nonce, out);
}

}  // namespace qpow::crypto::qhash_internal
