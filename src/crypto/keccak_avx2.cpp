// Keccak-f[1600] on four states at once with AVX2, and the one-state permutation built for the
// same CPU level (BMI1's ANDN makes chi one instruction per lane, BMI2's RORX rotates without a
// copy). Compiled with -mavx2 -mbmi -mbmi2; called only after CPUID says those are usable.
// Includes nothing that other translation units share (see keccak_kernel.h).
#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"

namespace qpow::crypto::keccak_internal {

void permute_bmi2(std::uint64_t* lanes) {
  permute<ScalarLanes>(lanes, 1);
}

void permute_x4_avx2(std::uint64_t* lanes, std::size_t stride) {
  permute<Avx2Lanes>(lanes, stride);
}

}  // namespace qpow::crypto::keccak_internal
