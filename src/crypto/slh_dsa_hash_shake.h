// Internal: SLH-DSA's hash functions for the SHAKE parameter sets (FIPS 205 §11.1), every one
// SHAKE256:
//   PRF(PK.seed, SK.seed, ADRS)      = SHAKE256(PK.seed || ADRS || SK.seed, 8n)
//   F, H, T_l(PK.seed, ADRS, M)      = SHAKE256(PK.seed || ADRS || M, 8n)
//   PRF_msg(SK.prf, opt_rand, M)     = SHAKE256(SK.prf || opt_rand || M, 8n)
//   H_msg(R, PK.seed, PK.root, M)    = SHAKE256(R || PK.seed || PK.root || M, 8m)
// PRF, F and H fit one Keccak block and run on the kernels of slh_dsa_shake_x4.h: on the portable
// path one state at a time, on the AVX2 (and AVX-512) path four states per permutation.
#pragma once

#include <memory>

#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

std::unique_ptr<TweakableHash> make_shake_hash(const Params& p, util::ByteSpan pk_seed,
                                               util::ByteSpan sk_seed, CpuPath path);

}  // namespace qpow::crypto::slhdsa::internal
