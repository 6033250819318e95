// The tree half of AccountState::apply (sparse_merkle_tree.h): given the new leaves of the changed
// accounts, it reads the stored nodes on their paths (smt_node.h), works out the new shape of the
// tree, and returns the new root with every node record to write or delete.
//
// It is written for blocks that change thousands of accounts at once:
//   - the walk over the stored nodes only decides shapes. The hashes of the new internal nodes
//     come afterwards, bottom up by height (the nodes of one height do not depend on each
//     other), four at a time on the multi-state permutation; so does the check of every stored
//     node read against the hash its parent holds for it.
//   - the outcome is the one a walk that checked each node as it read it would have had: the
//     first failure in walk order is the error, a read that fails or a node that does not match
//     its hash alike.
//   - node writes come out in key order with no map and no sort: at one depth a depth-first
//     walk meets positions in key order, so grouping them by depth is enough.
#pragma once

#include <optional>
#include <span>

#include "crypto/sha3.h"
#include "state/node_store.h"
#include "state/smt_hash.h"
#include "state/smt_node.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

// One changed account's new leaf.
struct LeafChange {
  SmtKey key{};
  std::optional<crypto::Hash256> leaf_hash;  // nullopt: the account is removed
};

// The root of the tree under `root` after `changes`, which must be non-empty, sorted by key and
// free of duplicate keys. Every node record to write or delete is appended to `writes`, in key
// order ("n" keys: after the account records, before the root reference). Errors: a read that
// fails, or corruption (a missing or undecodable node, or one that does not match its parent's
// hash); `writes` is then partly filled.
util::Result<NodeRef> update_tree(const NodeStore& store, const NodeRef& root,
                                  std::span<const LeafChange> changes, StateWrites& writes);
// The stored internal node at (depth, path), decoded, not yet checked against any hash.
util::Result<NodeRecord> read_node_unchecked(const NodeStore& store, std::size_t depth,
                                             const SmtKey& path);

// The corruption error for the node at (depth, path) that does not match its parent's hash.
util::Status node_hash_mismatch(std::size_t depth, const SmtKey& path);

}  // namespace qpow::state
