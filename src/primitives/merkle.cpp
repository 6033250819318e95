#include "primitives/merkle.h"

#include <algorithm>
#include <bit>
#include <string>

#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::primitives {
namespace {

constexpr std::uint8_t kLeafTag = 0x00;
constexpr std::uint8_t kNodeTag = 0x01;

// The largest power of two strictly smaller than n (n >= 2).
std::size_t split_point(std::size_t n) {
  QPOW_ASSERT(n >= 2);
  return std::bit_floor(n - 1);
}

Hash256 subtree_root(std::span<const Hash256> items) {
  if (items.size() == 1) return merkle_leaf_hash(items[0]);
  const std::size_t k = split_point(items.size());
  return merkle_node_hash(subtree_root(items.first(k)), subtree_root(items.subspan(k)));
}

}  // namespace

Hash256 merkle_leaf_hash(const Hash256& item) {
  return crypto::Sha3_256().absorb({&kLeafTag, 1}).absorb(item).finalize();
}

Hash256 merkle_node_hash(const Hash256& left, const Hash256& right) {
  return crypto::Sha3_256().absorb({&kNodeTag, 1}).absorb(left).absorb(right).finalize();
}

Hash256 merkle_root(std::span<const Hash256> items) {
  if (items.empty()) return crypto::Sha3_256::hash({});
  return subtree_root(items);
}

MerkleProof merkle_prove(std::span<const Hash256> items, std::size_t index) {
  QPOW_ASSERT(index < items.size());
  MerkleProof proof{.index = index, .count = items.size(), .siblings = {}};
  // Walk down collecting siblings top-first, then reverse to leaf-first order.
  std::span<const Hash256> range = items;
  std::size_t i = index;
  while (range.size() > 1) {
    const std::size_t k = split_point(range.size());
    if (i < k) {
      proof.siblings.push_back(subtree_root(range.subspan(k)));
      range = range.first(k);
    } else {
      proof.siblings.push_back(subtree_root(range.first(k)));
      range = range.subspan(k);
      i -= k;
    }
  }
  std::reverse(proof.siblings.begin(), proof.siblings.end());
  return proof;
}

bool merkle_verify(const Hash256& root, const Hash256& item, const MerkleProof& proof) {
  if (proof.index >= proof.count) return false;
  // Recompute the path top-down to learn at each level whether we are the left or right child
  // (and so how many siblings the proof must have), then fold the siblings leaf-first.
  std::vector<bool> is_right;
  std::uint64_t index = proof.index;
  std::uint64_t count = proof.count;
  while (count > 1) {
    const std::uint64_t k = std::bit_floor(count - 1);
    is_right.push_back(index >= k);
    if (index < k) {
      count = k;
    } else {
      index -= k;
      count -= k;
    }
  }
  if (proof.siblings.size() != is_right.size()) return false;
  Hash256 h = merkle_leaf_hash(item);
  for (std::size_t level = 0; level < proof.siblings.size(); ++level) {
    const bool right = is_right[is_right.size() - 1 - level];
    h = right ? merkle_node_hash(proof.siblings[level], h)
              : merkle_node_hash(h, proof.siblings[level]);
  }
  return h == root;
}

util::Bytes encode_merkle_proof(const MerkleProof& proof) {
  util::Writer w;
  w.u64(proof.index);
  w.u64(proof.count);
  w.compact_size(proof.siblings.size());
  for (const Hash256& s : proof.siblings) w.bytes(s);
  return std::move(w).take();
}

util::Result<MerkleProof> decode_merkle_proof(util::ByteSpan data) {
  util::Reader r(data, "merkle_proof");
  MerkleProof proof;
  QPOW_ASSIGN_OR_RETURN(proof.index, r.u64("index"));
  QPOW_ASSIGN_OR_RETURN(proof.count, r.u64("count"));
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t n, r.compact_size("siblings", kMerkleProofDepthMax));
  proof.siblings.resize(n);
  for (Hash256& s : proof.siblings) QPOW_RETURN_IF_ERROR(r.bytes_into("sibling", s));
  QPOW_RETURN_IF_ERROR(r.expect_end());
  if (proof.index >= proof.count) {
    return util::Status::malformed("merkle_proof.index: " + std::to_string(proof.index) +
                                   " is not below count " + std::to_string(proof.count));
  }
  return proof;
}

}  // namespace qpow::primitives
