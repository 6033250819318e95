// Internal: the Merkle trees of SLH-DSA, XMSS (FIPS 205 §6, Algorithms 9-10) and FORS (§8,
// Algorithms 15-16), computed bottom-up with four hashes per call. A tree of 2^height leaves is
// built in chunks of 2^kChunkHeight leaves, each reduced level by level to its root, and the
// chunk roots are then reduced the same way, so memory stays at a few kilobytes whatever the
// height. The authentication path of one leaf (the sibling of its path at every height) is
// collected on the way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

inline constexpr std::size_t kChunkHeight = 5;

// Where the leaves come from: a tree's leaves first .. first+3 (indices within the tree) written
// one after another (4n bytes) to out.
class LeafSource {
 public:
  virtual void leaves_x4(std::uint32_t first, std::uint8_t* out) = 0;

 protected:
  ~LeafSource() = default;
};

struct TreeJob {
  std::size_t height;
  // The address of inner nodes: layer and tree set and type TREE (XMSS), or type FORS_TREE with
  // the key pair (FORS). Tree height and index are set here.
  Address node_adrs;
  // Node i at height z has tree index (index_base >> z) + i: 0 for XMSS, i 2^a for FORS tree i
  // (Algorithm 16 line 7 numbers the nodes of all k FORS trees consecutively).
  std::uint32_t index_base;
  std::optional<std::uint32_t> auth_leaf;  // collect this leaf's authentication path
  std::uint8_t* auth;                      // height * n bytes, when auth_leaf is set
};

// The tree's root (n bytes), and job.auth filled when job.auth_leaf is set.
void tree_root(const TweakableHash& hash, const TreeJob& job, LeafSource& leaves,
               std::uint8_t* root);

}  // namespace qpow::crypto::slhdsa::internal
