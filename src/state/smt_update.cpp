#include "state/smt_update.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "util/assert.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

constexpr std::uint32_t kNoNode = UINT32_MAX;

Status corruption(std::string message) {
  return Status::error(util::StatusCode::kCorruption, std::move(message));
}

// A subtree's reference during the walk: final, or (node != kNoNode) a new internal node whose
// hash is computed later, by height; until then ref is an internal reference holding a zero
// hash, which that pass overwrites wherever the reference was copied.
struct Pending {
  NodeRef ref{};
  std::uint32_t node = kNoNode;
};

// A new internal node. Its children's references are final except where `pending` names a new
// node; that child's hash is filled in once the child is hashed.
struct NewNode {
  NodeRecord record{};
  std::array<std::uint32_t, 2> pending{kNoNode, kNoNode};
  std::uint32_t height = 0;  // 1 + the height of its highest new child (0 for anything else)
  crypto::Hash256 hash{};
};

// A position the update writes: a new node, or a deletion (node == kNoNode).
struct PositionWrite {
  std::size_t depth = 0;
  SmtKey path{};
  std::uint32_t node = kNoNode;
};

// A stored node read on the walk, to be checked against the hash its parent holds for it.
struct ReadCheck {
  crypto::Hash256 expected{};
  std::size_t depth = 0;
  const SmtKey* path = nullptr;  // into the caller's changes, for the message
};

// An account that will be in the subtree being built.
struct Leaf {
  SmtKey key{};
  crypto::Hash256 leaf_hash{};
};

// Items sorted by key that share their first `depth` bits: the first index whose bit `depth` is 1.
template <class Item>
std::size_t split_point(std::span<const Item> items, std::size_t depth) {
  const auto it = std::partition_point(
      items.begin(), items.end(), [depth](const Item& i) { return key_bit(i.key, depth) == 0; });
  return static_cast<std::size_t>(it - items.begin());
}

// Whether a subtree is as it was. A new node always means a changed subtree: the walk returns
// the current reference of a subtree whose children are unchanged, and a rebuilt subtree with
// two or more accounts had at most one before.
bool unchanged(const Pending& now, const NodeRef& before) {
  return now.node == kNoNode && now.ref.hash == before.hash;
}

std::uint32_t height_of(const std::vector<NewNode>& nodes, const Pending& ref) {
  return ref.node == kNoNode ? 0 : nodes[ref.node].height;
}

// Indices 0..keys.size()-1 ordered by keys[i] (< buckets), stably: a counting sort.
std::vector<std::uint32_t> stable_order(std::span<const std::uint32_t> keys, std::size_t buckets) {
  std::vector<std::uint32_t> start(buckets + 1, 0);
  for (const std::uint32_t k : keys) ++start[k + 1];
  for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    order[start[keys[i]]++] = static_cast<std::uint32_t>(i);
  }
  return order;
}

// One update's walk. Not reentrant; lives for one update_tree() call.
class TreeUpdater {
 public:
  TreeUpdater(const NodeStore& store, std::size_t change_count) : store_(store) {
    // Room for a block's update without regrowth: a tree of n random keys has about 1.44 n
    // internal nodes, and a block changes about half of the accounts below the nodes it rewrites.
    nodes_.reserve(2 * change_count);
    writes_.reserve(2 * change_count);
  }

  // The new reference of the subtree at `depth` on the changes' common path, now `current`.
  Result<Pending> update(std::size_t depth, const NodeRef& current,
                         std::span<const LeafChange> changes);

  // After the walk: checks every node read, hashes the new nodes and appends their writes.
  Result<NodeRef> finish(const Pending& root, StateWrites& writes);

 private:
  Pending rebuild(std::size_t depth, const NodeRef& current, std::span<const LeafChange> changes);
  Pending build(std::size_t depth, std::span<const Leaf> leaves);
  Pending combine(std::size_t depth, const SmtKey& path, const Pending& left, const Pending& right);
  Status failed_read(const Status& status) const;
  Status check_reads() const;
  void hash_new_nodes();
  void append_node_writes(StateWrites& writes) const;

  const NodeStore& store_;
  std::vector<NewNode> nodes_;
  std::vector<PositionWrite> writes_;
  std::vector<ReadCheck> checks_;
  std::vector<InternalPreimage> check_preimages_;  // what checks_[i] hashes
  std::vector<Leaf> leaves_;                       // rebuild()'s scratch space
};

Result<Pending> TreeUpdater::update(std::size_t depth, const NodeRef& current,
                                    std::span<const LeafChange> changes) {
  QPOW_ASSERT(!changes.empty());
  if (!current.is_internal()) return rebuild(depth, current, changes);
  const SmtKey& path = changes.front().key;
  Result<NodeRecord> read = read_node_unchecked(store_, depth, path);
  if (!read.is_ok()) return failed_read(read.status());
  const NodeRecord record = *read;
  check_preimages_.push_back(internal_preimage(record.left.hash, record.right.hash));
  checks_.push_back({.expected = current.hash, .depth = depth, .path = &path});
  const std::size_t mid = split_point(changes, depth);
  Pending left{.ref = record.left, .node = kNoNode};
  Pending right{.ref = record.right, .node = kNoNode};
  if (mid > 0) {
    QPOW_ASSIGN_OR_RETURN(left, update(depth + 1, record.left, changes.first(mid)));
  }
  if (mid < changes.size()) {
    QPOW_ASSIGN_OR_RETURN(right, update(depth + 1, record.right, changes.subspan(mid)));
  }
  // Changes that leave the subtree as it was (an account set to its current value) write nothing.
  if (unchanged(left, record.left) && unchanged(right, record.right)) {
    return Pending{.ref = current, .node = kNoNode};
  }
  return combine(depth, path, left, right);
}

// A subtree that holds at most one account (`current`) has no stored nodes: build it afresh from
// that account and the changes.
Pending TreeUpdater::rebuild(std::size_t depth, const NodeRef& current,
                             std::span<const LeafChange> changes) {
  leaves_.clear();
  bool current_pending = current.is_leaf();
  for (const LeafChange& change : changes) {
    if (current_pending && current.key <= change.key) {
      // A change of the same key replaces the current account.
      if (current.key != change.key) leaves_.push_back({current.key, current.hash});
      current_pending = false;
    }
    if (change.leaf_hash) leaves_.push_back({change.key, *change.leaf_hash});
  }
  if (current_pending) leaves_.push_back({current.key, current.hash});
  return build(depth, leaves_);
}

Pending TreeUpdater::build(std::size_t depth, std::span<const Leaf> leaves) {
  if (leaves.empty()) return Pending{};
  if (leaves.size() == 1) {
    return Pending{.ref = NodeRef::leaf(leaves[0].key, leaves[0].leaf_hash), .node = kNoNode};
  }
  QPOW_ASSERT(depth < kSmtDepth);  // distinct keys part before the last bit
  const std::size_t mid = split_point(leaves, depth);
  const Pending left = build(depth + 1, leaves.first(mid));
  const Pending right = build(depth + 1, leaves.subspan(mid));
  return combine(depth, leaves.front().key, left, right);
}

// The node at (depth, path) with these children, stored or deleted as the tree's rule says.
Pending TreeUpdater::combine(std::size_t depth, const SmtKey& path, const Pending& left,
                             const Pending& right) {
  const NodeRecord record{.left = left.ref, .right = right.ref};
  if (!record.is_canonical()) {
    // At most one account is left below: the subtree is that leaf (or empty) and has no node.
    writes_.push_back({.depth = depth, .path = path, .node = kNoNode});
    return left.ref.is_empty() ? right : left;
  }
  QPOW_ASSERT(nodes_.size() < kNoNode);
  const auto index = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back({.record = record,
                    .pending = {left.node, right.node},
                    .height = 1 + std::max(height_of(nodes_, left), height_of(nodes_, right)),
                    .hash = {}});
  writes_.push_back({.depth = depth, .path = path, .node = index});
  return Pending{.ref = NodeRef::internal(crypto::Hash256{}), .node = index};
}

// A read failed: a node read before it that does not match its hash failed first.
Status TreeUpdater::failed_read(const Status& status) const {
  Status earlier = check_reads();
  return earlier.is_ok() ? status : earlier;
}

Status TreeUpdater::check_reads() const {
  std::vector<crypto::Hash256> hashes(checks_.size());
  hash_preimages(check_preimages_, hashes);
  for (std::size_t i = 0; i < checks_.size(); ++i) {
    if (hashes[i] != checks_[i].expected) {
      return node_hash_mismatch(checks_[i].depth, *checks_[i].path);
    }
  }
  return Status::ok();
}

// Bottom up by height: every child of a node of height h is of a lower height.
void TreeUpdater::hash_new_nodes() {
  std::vector<std::uint32_t> heights(nodes_.size());
  std::uint32_t max_height = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    heights[i] = nodes_[i].height;
    max_height = std::max(max_height, heights[i]);
  }
  const std::vector<std::uint32_t> order = stable_order(heights, max_height + 1);
  std::vector<InternalPreimage> preimages;
  std::vector<crypto::Hash256> hashes;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    while (end < order.size() && heights[order[end]] == heights[order[begin]]) ++end;
    preimages.clear();
    for (std::size_t k = begin; k < end; ++k) {
      NewNode& node = nodes_[order[k]];
      if (node.pending[0] != kNoNode) node.record.left.hash = nodes_[node.pending[0]].hash;
      if (node.pending[1] != kNoNode) node.record.right.hash = nodes_[node.pending[1]].hash;
      preimages.push_back(internal_preimage(node.record.left.hash, node.record.right.hash));
    }
    hashes.resize(preimages.size());
    hash_preimages(preimages, hashes);
    for (std::size_t k = begin; k < end; ++k) nodes_[order[k]].hash = hashes[k - begin];
    begin = end;
  }
}

// In key order: "n" || depth || prefix sorts by depth first, and at one depth the depth-first
// walk meets positions left to right, which is prefix order.
void TreeUpdater::append_node_writes(StateWrites& writes) const {
  std::vector<std::uint32_t> depths(writes_.size());
  for (std::size_t i = 0; i < writes_.size(); ++i) {
    depths[i] = static_cast<std::uint32_t>(writes_[i].depth);
  }
  for (const std::uint32_t i : stable_order(depths, kSmtDepth)) {
    const PositionWrite& w = writes_[i];
    const StateKeyBuffer key = node_record_key_buffer(w.depth, w.path);
    if (w.node == kNoNode) {
      writes.append(key.span(), std::nullopt);
      continue;
    }
    const NodeRecord& record = nodes_[w.node].record;
    encode_node_record_into(record, writes.append_value(key.span(), node_record_bytes(record)));
  }
}

Result<NodeRef> TreeUpdater::finish(const Pending& root, StateWrites& writes) {
  QPOW_RETURN_IF_ERROR(check_reads());
  hash_new_nodes();
  append_node_writes(writes);
  return root.node == kNoNode ? root.ref : NodeRef::internal(nodes_[root.node].hash);
}

}  // namespace

Result<NodeRecord> read_node_unchecked(const NodeStore& store, std::size_t depth,
                                       const SmtKey& path) {
  if (depth >= kSmtDepth) {
    return corruption(
        fmt::format("state node below depth {} on path {}", kSmtDepth - 1, util::to_hex(path)));
  }
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> bytes,
                        store.get(node_record_key_buffer(depth, path).span()));
  if (!bytes) {
    return corruption(
        fmt::format("state node at depth {} on path {} is missing", depth, util::to_hex(path)));
  }
  return decode_node_record(*bytes, depth, path);
}

Status node_hash_mismatch(std::size_t depth, const SmtKey& path) {
  return corruption(fmt::format("state node at depth {} on path {} does not match its hash", depth,
                                util::to_hex(path)));
}

Result<NodeRef> update_tree(const NodeStore& store, const NodeRef& root,
                            std::span<const LeafChange> changes, StateWrites& writes) {
  QPOW_ASSERT(!changes.empty());
  TreeUpdater updater(store, changes.size());
  QPOW_ASSIGN_OR_RETURN(const Pending new_root, updater.update(0, root, changes));
  return updater.finish(new_root, writes);
}

}  // namespace qpow::state
