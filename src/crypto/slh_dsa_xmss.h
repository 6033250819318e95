// Internal: XMSS, the Merkle trees of WOTS+ public keys that make up the hypertree (FIPS 205 §6,
// Algorithms 9-11).
#pragma once

#include <cstdint>

#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

// What Algorithm 10 (xmss_sign) signs: the n-byte msg with leaf `leaf`'s WOTS+ key; sig receives
// SIG_XMSS = WOTS+ signature (len * n bytes) || AUTH (h' * n bytes).
struct XmssSignRequest {
  std::uint32_t leaf;
  const std::uint8_t* msg;
  std::uint8_t* sig;
};

// The root of the XMSS tree at tree_adrs's layer and tree address (Algorithm 9,
// xmss_node(SK.seed, 0, h', PK.seed, ADRS)), computing the whole tree. With `sign`, also
// Algorithm 10 for that leaf: the authentication path and WOTS+ signature come from the same pass.
void xmss_tree(const TweakableHash& hash, const Address& tree_adrs, const XmssSignRequest* sign,
               std::uint8_t* root);

// Algorithm 11 (xmss_pkFromSig): the root implied by SIG_XMSS for leaf idx on the n-byte msg.
void xmss_pk_from_sig(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t idx,
                      const std::uint8_t* sig, const std::uint8_t* msg, std::uint8_t* root);

}  // namespace qpow::crypto::slhdsa::internal
