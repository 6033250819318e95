// Merkle roots and inclusion proofs over a list of 32-byte item ids, with the tree shape and
// domain tags of RFC 6962 §2.1 (Certificate Transparency), hashed with SHA3-256:
//
//   MTH({})        = SHA3-256("")
//   MTH({d0})      = SHA3-256(0x00 || d0)                       (leaf)
//   MTH(D[0..n))   = SHA3-256(0x01 || MTH(D[0..k)) || MTH(D[k..n)))   (node)
//
// where k is the largest power of two smaller than n. A leaf can never be read as a node (the
// tags differ), and an odd item is never duplicated, so the duplicate-last mutation of Bitcoin's
// tree (CVE-2012-2459) cannot produce two item lists with one root.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/sha3.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::primitives {

using crypto::Hash256;

// The deepest proof any list of at most 2^32 items needs.
inline constexpr std::size_t kMerkleProofDepthMax = 32;

Hash256 merkle_leaf_hash(const Hash256& item);
Hash256 merkle_node_hash(const Hash256& left, const Hash256& right);
Hash256 merkle_root(std::span<const Hash256> items);

// The audit path of RFC 6962 §2.1.1 for items[index]: sibling hashes from the leaf upwards.
struct MerkleProof {
  std::uint64_t index = 0;
  std::uint64_t count = 0;
  std::vector<Hash256> siblings;
};

// The proof that items[index] is in the tree (index < items.size() is the caller's duty).
MerkleProof merkle_prove(std::span<const Hash256> items, std::size_t index);
// True if `item` at proof.index of a list of proof.count items hashes to `root` along the proof.
bool merkle_verify(const Hash256& root, const Hash256& item, const MerkleProof& proof);

// Canonical encoding: index u64, count u64, CompactSize sibling count, siblings.
util::Bytes encode_merkle_proof(const MerkleProof& proof);
util::Result<MerkleProof> decode_merkle_proof(util::ByteSpan data);

}  // namespace qpow::primitives
