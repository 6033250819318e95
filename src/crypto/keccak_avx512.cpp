// Keccak-f[1600] on eight states at once with AVX-512. Compiled with -mavx512f -mavx512vl;
// called only after CPUID says AVX-512 is usable. Includes nothing that other translation units
// share (see keccak_kernel.h).
#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"

namespace qpow::crypto::keccak_internal {

void permute_x8_avx512(std::uint64_t* lanes) {
  permute<Avx512Lanes>(lanes, 8);
}

}  // namespace qpow::crypto::keccak_internal
