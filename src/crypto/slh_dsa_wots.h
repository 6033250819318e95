// Internal: WOTS+, the one-time signatures at the leaves of every XMSS tree (FIPS 205 §5,
// Algorithms 5-8). qpow computes WOTS+ keys four at a time: the four key pairs of adjacent leaves
// run their chains in lock-step on the four lanes of TweakableHash's x4 calls. Algorithm 7
// (wots_sign) needs no pass of its own: the signing leaf's chain values are captured at the
// message's digits while its public key is computed for the XMSS tree (Algorithm 10).
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

// Algorithm 7 lines 1-9 (and Algorithm 8 lines 1-9): the len base-w digits signed for the n-byte
// message: its len1 nibbles, then the len2 nibbles of the checksum.
void wots_digits(const Params& p, const std::uint8_t* msg, std::uint32_t* digits);

// Capture the WOTS+ signature (Algorithm 7) of one lane while computing its public key.
struct WotsCapture {
  std::size_t lane;             // 0 .. 3
  const std::uint32_t* digits;  // wots_digits() of the message
  std::uint8_t* sig;            // len * n bytes
};

// Algorithm 6 (wots_pkGen) for the key pairs first .. first+3 of the XMSS tree whose layer and
// tree address `tree_adrs` carries. out receives the four n-byte public keys, one after another.
void wots_pk_gen_x4(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t first,
                    const WotsCapture* capture, std::uint8_t* out);

// Algorithm 8 (wots_pkFromSig): the public key implied by sig (len * n bytes) on the n-byte msg
// for key pair `keypair` of that tree. Chains of different lengths share the x4 lanes.
void wots_pk_from_sig(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t keypair,
                      const std::uint8_t* sig, const std::uint8_t* msg, std::uint8_t* pk);

}  // namespace qpow::crypto::slhdsa::internal
