// qhash of eight nonces at once with AVX-512 (see qhash_kernel.h). Called only after CPUID says
// AVX-512 is usable; includes nothing that other units share.
#include "crypto/keccak_lanes.h"
#include "crypto/qhash_kernel.h"

namespace qpow::crypto::qhash_internal {

void hash_x8_avx512(const PrefixView& prefix, const std::uint64_t* nonces, std::uint8_t* out) {
  hash_nonces<keccak_internal::Avx512Lanes, 8>(prefix, nonces, out);
}

}  // namespace qpow::crypto::qhash_internal
