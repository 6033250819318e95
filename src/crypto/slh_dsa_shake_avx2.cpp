// SLH-DSA's one-block SHAKE256 calls (slh_dsa_shake_x4.h) compiled for the AVX2 level: four
// lanes per permutation with AVX2, and one lane with BMI1/BMI2 (ANDN, RORX). Called only after
// cpu_supports(CpuPath::kAvx2); includes nothing that other units share (see keccak_kernel.h).
#include "crypto/keccak_lanes.h"
#include "crypto/slh_dsa_shake_kernel.h"

namespace qpow::crypto::slhdsa::internal {

void shake_block_bmi2(const ShakeBlockJob& job) {
  shake_block<keccak_internal::ScalarLanes, 1>(job);
}

void shake_chain_bmi2(const ShakeChainJob& job) {
  shake_chain<keccak_internal::ScalarLanes, 1>(job);
}

void shake_block_x4_avx2(const ShakeBlockJob& job) {
  shake_block<keccak_internal::Avx2Lanes, 4>(job);
}

void shake_chain_x4_avx2(const ShakeChainJob& job) {
  shake_chain<keccak_internal::Avx2Lanes, 4>(job);
}

}  // namespace qpow::crypto::slhdsa::internal
