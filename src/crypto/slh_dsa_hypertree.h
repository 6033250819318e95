// Internal: the hypertree, d layers of XMSS trees where each tree signs the root of the one below
// (FIPS 205 §7, Algorithms 12-13).
#pragma once

#include <cstdint>

#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

// Algorithm 12 (ht_sign): SIG_HT (d (len + h') n bytes) of the n-byte msg, by leaf idx_leaf of
// tree idx_tree on layer 0. Each layer's root comes from the XMSS tree built for its
// authentication path, so Algorithm 11 is not needed here.
void ht_sign(const TweakableHash& hash, const std::uint8_t* msg, std::uint64_t idx_tree,
             std::uint32_t idx_leaf, std::uint8_t* sig);

// Algorithm 13 (ht_verify).
bool ht_verify(const TweakableHash& hash, const std::uint8_t* msg, const std::uint8_t* sig,
               std::uint64_t idx_tree, std::uint32_t idx_leaf, const std::uint8_t* pk_root);

// Algorithm 18 line 3: PK.root, the root of the single tree on layer d - 1.
void ht_root(const TweakableHash& hash, std::uint8_t* root);

}  // namespace qpow::crypto::slhdsa::internal
