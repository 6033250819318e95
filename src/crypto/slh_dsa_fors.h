// Internal: FORS, the few-time signature that signs the message digest (FIPS 205 §8,
// Algorithms 14-17). Its k trees of 2^a leaves are built four leaves per call; verification
// walks four trees' authentication paths in lock-step.
#pragma once

#include <cstdint>

#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

// Algorithm 16 (fors_sign) on md (ceil(k a / 8) bytes): writes SIG_FORS (k (a + 1) n bytes) to
// sig and, from the tree roots the same pass yields, PK_FORS (n bytes; Algorithm 17's result) to
// pk. adrs has the tree address, type FORS_TREE and the key pair address set (Algorithm 19
// lines 13-15).
void fors_sign(const TweakableHash& hash, const std::uint8_t* md, const Address& adrs,
               std::uint8_t* sig, std::uint8_t* pk);

// Algorithm 17 (fors_pkFromSig).
void fors_pk_from_sig(const TweakableHash& hash, const std::uint8_t* sig, const std::uint8_t* md,
                      const Address& adrs, std::uint8_t* pk);

}  // namespace qpow::crypto::slhdsa::internal
