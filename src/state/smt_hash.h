// The definition of qpow's state root: a compact sparse Merkle tree of depth 256 over the
// accounts. Everything needed to reproduce a root is on this page.
//
// Keys. The account at address A sits at key k = SHA3-256(A), 256 bits. Bit i of k (0 <= i < 256)
// is bit 7 - (i mod 8) of byte i / 8, most significant first; it chooses the child taken at
// depth i: 0 is left, 1 is right. Hashing the address spreads keys uniformly even when
// addresses are chosen, which keeps the tree about log2(n) deep.
//
// Values. The value hash of an account is v = SHA3-256(value part of encode_account(account))
// (account.h): balance, nonce, the key's scheme and commitment, the next-key commitment. The key's
// bytes are bound through its commitment, so v costs one permutation whatever the key's size.
//
// Node hashes. One-byte prefixes separate leaves from internal nodes (as RFC 6962 §2.1 does for
// Certificate Transparency), so no leaf can be presented as an internal node or the reverse:
//   empty          = 32 zero bytes (kEmptyHash)
//   leaf(k, v)     = SHA3-256(0x00 || k || v)
//   internal(l, r) = SHA3-256(0x01 || l || r)
//
// The tree. For a set S of (k, v) pairs whose keys share their first d bits:
//   node(S, d) = empty                                   if S is empty,
//              = leaf(k, v)                              if S = {(k, v)},
//              = internal(node(S0, d+1), node(S1, d+1))  otherwise,
// where S0 and S1 hold the pairs whose key has bit d equal to 0 and to 1. The state root is
// node(S, 0) over every account; the empty state's root is kEmptyHash.
//
// So a subtree with one account is that account's leaf, at whatever depth it begins ("compact"),
// and an internal node always has at least two accounts below it. The root depends on the set S
// alone: not on the order of insertion, and removing an account restores exactly the root the
// tree had without it. Internal nodes lie at depths 0..255 and leaves at 0..256; with hashed keys
// an update touches about log2(n) nodes, not 256.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/sha3.h"
#include "primitives/address.h"
#include "state/account.h"
#include "util/bytes.h"

namespace qpow::state {

// A key in the tree: SHA3-256 of an address.
using SmtKey = crypto::Hash256;

inline constexpr std::size_t kSmtDepth = 256;
inline constexpr std::uint8_t kLeafPrefix = 0x00;
inline constexpr std::uint8_t kInternalPrefix = 0x01;
inline constexpr crypto::Hash256 kEmptyHash{};

SmtKey smt_key(const primitives::Address& address);

// Bit `index` (< kSmtDepth) of key, most significant bit of byte 0 first: 0 left, 1 right.
inline unsigned key_bit(const SmtKey& key, std::size_t index) {
  return (key[index / 8] >> (7 - index % 8)) & 1u;
}

// How many leading bits a and b share (kSmtDepth when equal).
std::size_t common_prefix_bits(const SmtKey& a, const SmtKey& b);

// SHA3-256 of the value part of an account's encoding (encode_account_value).
crypto::Hash256 value_hash(const Account& account);
crypto::Hash256 leaf_hash(const SmtKey& key, const crypto::Hash256& value_hash);
// The bytes leaf_hash() hashes: 0x00 || k || v (for hashing many leaves in one batch).
using LeafPreimage = util::ByteArray<1 + 2 * sizeof(crypto::Hash256)>;
LeafPreimage leaf_preimage(const SmtKey& key, const crypto::Hash256& value_hash);
crypto::Hash256 internal_hash(const crypto::Hash256& left, const crypto::Hash256& right);
// The bytes internal_hash() hashes: 0x01 || l || r.
using InternalPreimage = util::ByteArray<1 + 2 * sizeof(crypto::Hash256)>;
InternalPreimage internal_preimage(const crypto::Hash256& left, const crypto::Hash256& right);

// SHA3-256 of many leaf or internal preimages (all the same length), four at a time on the
// multi-state permutation where the CPU has one: outputs[i] = SHA3-256(preimages[i]).
void hash_preimages(std::span<const InternalPreimage> preimages,
                    std::span<crypto::Hash256> outputs);

}  // namespace qpow::state
