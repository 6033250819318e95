#include "state/sparse_merkle_tree.h"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "crypto/sponge_batch.h"
#include "state/smt_node.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

Status corruption(std::string message) {
  return Status::error(util::StatusCode::kCorruption, std::move(message));
}

// One account's new leaf hash in the tree (nullopt: removed).
struct Change {
  SmtKey key{};
  std::optional<crypto::Hash256> leaf_hash;
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

// The stored internal node at (depth, path), which its parent says hashes to `expected`.
Result<NodeRecord> read_node(const NodeStore& store, std::size_t depth, const SmtKey& path,
                             const crypto::Hash256& expected) {
  if (depth >= kSmtDepth) {
    return corruption(
        fmt::format("state node below depth {} on path {}", kSmtDepth - 1, util::to_hex(path)));
  }
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> bytes,
                        store.get(node_record_key(depth, path)));
  if (!bytes) {
    return corruption(
        fmt::format("state node at depth {} on path {} is missing", depth, util::to_hex(path)));
  }
  QPOW_ASSIGN_OR_RETURN(NodeRecord record, decode_node_record(*bytes, depth, path));
  if (internal_hash(record.left.hash, record.right.hash) != expected) {
    return corruption(fmt::format("state node at depth {} on path {} does not match its hash",
                                  depth, util::to_hex(path)));
  }
  return record;
}

// Computes a subtree's new shape in one pass over the sorted changes below it, reading each
// stored node on their paths once and recording every node write and deletion in `writes`.
class TreeUpdater {
 public:
  TreeUpdater(const NodeStore& store, StateWrites& writes) : store_(store), writes_(writes) {}

  // The new reference of the subtree at `depth` on the changes' common path, now `current`.
  Result<NodeRef> update(std::size_t depth, const NodeRef& current,
                         std::span<const Change> changes) {
    QPOW_ASSERT(!changes.empty());
    if (!current.is_internal()) return rebuild(depth, current, changes);
    const SmtKey& path = changes.front().key;
    QPOW_ASSIGN_OR_RETURN(const NodeRecord record, read_node(store_, depth, path, current.hash));
    const std::size_t mid = split_point(changes, depth);
    NodeRef left = record.left;
    NodeRef right = record.right;
    if (mid > 0) {
      QPOW_ASSIGN_OR_RETURN(left, update(depth + 1, record.left, changes.first(mid)));
    }
    if (mid < changes.size()) {
      QPOW_ASSIGN_OR_RETURN(right, update(depth + 1, record.right, changes.subspan(mid)));
    }
    // Changes that leave the subtree as it was (an account set to its current value) write nothing.
    if (left.hash == record.left.hash && right.hash == record.right.hash) return current;
    return combine(depth, path, left, right);
  }

 private:
  // A subtree that holds at most one account (`current`) has no stored nodes: build it afresh
  // from that account and the changes.
  NodeRef rebuild(std::size_t depth, const NodeRef& current, std::span<const Change> changes) {
    std::vector<Leaf> leaves;
    leaves.reserve(changes.size() + 1);
    bool current_pending = current.is_leaf();
    for (const Change& change : changes) {
      if (current_pending && current.key <= change.key) {
        // A change of the same key replaces the current account.
        if (current.key != change.key) leaves.push_back({current.key, current.hash});
        current_pending = false;
      }
      if (change.leaf_hash) leaves.push_back({change.key, *change.leaf_hash});
    }
    if (current_pending) leaves.push_back({current.key, current.hash});
    return build(depth, leaves);
  }

  NodeRef build(std::size_t depth, std::span<const Leaf> leaves) {
    if (leaves.empty()) return NodeRef::empty();
    if (leaves.size() == 1) return NodeRef::leaf(leaves[0].key, leaves[0].leaf_hash);
    QPOW_ASSERT(depth < kSmtDepth);  // distinct keys part before the last bit
    const std::size_t mid = split_point(leaves, depth);
    const NodeRef left = build(depth + 1, leaves.first(mid));
    const NodeRef right = build(depth + 1, leaves.subspan(mid));
    return combine(depth, leaves.front().key, left, right);
  }

  // The node at (depth, path) with these children, stored or deleted as the tree's rule says.
  NodeRef combine(std::size_t depth, const SmtKey& path, const NodeRef& left,
                  const NodeRef& right) {
    const NodeRecord record{.left = left, .right = right};
    util::Bytes key = node_record_key(depth, path);
    if (!record.is_canonical()) {
      // At most one account is left below: the subtree is that leaf (or empty) and has no node.
      writes_.insert_or_assign(std::move(key), std::nullopt);
      return left.is_empty() ? right : left;
    }
    writes_.insert_or_assign(std::move(key), encode_node_record(record));
    return NodeRef::internal(internal_hash(left.hash, right.hash));
  }

  const NodeStore& store_;
  StateWrites& writes_;
};

Result<NodeRef> read_root(const NodeStore& store) {
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> bytes, store.get(root_record_key()));
  if (!bytes) return NodeRef::empty();
  return decode_root_ref(*bytes);
}

// The value hash of the account whose leaf is `leaf`, from its record, checked against the leaf.
Result<crypto::Hash256> read_value_hash(const NodeStore& store, const NodeRef& leaf) {
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> record,
                        store.get(account_record_key(leaf.key)));
  if (!record) {
    return corruption(fmt::format("account record of leaf {} is missing", util::to_hex(leaf.key)));
  }
  Result<Account> account = decode_account(*record);
  if (!account.is_ok()) {
    return corruption(fmt::format("account record of leaf {}: {}", util::to_hex(leaf.key),
                                  account.status().message()));
  }
  const crypto::Hash256 value = value_hash(*account);
  if (leaf_hash(leaf.key, value) != leaf.hash) {
    return corruption(
        fmt::format("account record of leaf {} does not match the leaf", util::to_hex(leaf.key)));
  }
  return value;
}

// Every change's key, record write and new leaf hash. The three hashes of each account (key,
// value, leaf) are independent across accounts, so they go through the multi-state permutation
// in batches (crypto::sha3_256_many).
Status leaf_changes(const AccountChanges& changes, std::vector<Change>& out, StateWrites& writes) {
  const std::size_t n = changes.size();
  std::vector<util::ByteSpan> inputs;
  inputs.reserve(n);
  for (const auto& entry : changes) inputs.emplace_back(entry.first.bytes);
  std::vector<crypto::Hash256> keys(n);
  crypto::sha3_256_many(inputs, keys);

  std::vector<AccountValue> values;
  values.reserve(n);
  std::size_t i = 0;
  for (const auto& [address, account] : changes) {
    std::optional<util::Bytes> record;
    if (account) {
      Result<util::Bytes> encoded = encode_account(*account);
      if (!encoded.is_ok()) return encoded.status().with_context("account " + address.to_hex());
      record = std::move(encoded).value();
      values.push_back(encode_account_value(*account));
    }
    writes.insert_or_assign(account_record_key(keys[i++]), std::move(record));
  }
  inputs.clear();
  for (const AccountValue& v : values) inputs.push_back(v.span());
  std::vector<crypto::Hash256> value_hashes(values.size());
  crypto::sha3_256_many(inputs, value_hashes);

  std::vector<LeafPreimage> preimages;
  preimages.reserve(values.size());
  i = 0;
  std::size_t v = 0;
  for (const auto& entry : changes) {
    if (entry.second) preimages.push_back(leaf_preimage(keys[i], value_hashes[v++]));
    ++i;
  }
  inputs.clear();
  for (const LeafPreimage& p : preimages) inputs.emplace_back(p);
  std::vector<crypto::Hash256> leaf_hashes(preimages.size());
  crypto::sha3_256_many(inputs, leaf_hashes);

  out.reserve(n);
  i = 0;
  v = 0;
  for (const auto& entry : changes) {
    Change change{.key = keys[i++], .leaf_hash = std::nullopt};
    if (entry.second) change.leaf_hash = leaf_hashes[v++];
    out.push_back(change);
  }
  return Status::ok();
}

}  // namespace

Result<crypto::Hash256> AccountState::root() const {
  QPOW_ASSIGN_OR_RETURN(const NodeRef root, read_root(store_));
  return root.hash;
}

namespace {

Result<std::optional<Account>> read_account(const NodeStore& store, const SmtKey& key,
                                            const primitives::Address& address) {
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> bytes, store.get(account_record_key(key)));
  if (!bytes) return std::optional<Account>();
  Result<Account> account = decode_account(*bytes);
  if (!account.is_ok()) {
    return corruption(
        fmt::format("stored account {}: {}", address.to_hex(), account.status().message()));
  }
  return std::optional<Account>(std::move(account).value());
}

}  // namespace

Result<std::optional<Account>> AccountState::get(const primitives::Address& address) const {
  return read_account(store_, smt_key(address), address);
}

Result<std::vector<std::optional<Account>>> AccountState::get_many(
    std::span<const primitives::Address> addresses, util::Executor& executor) const {
  std::vector<util::ByteSpan> inputs;
  inputs.reserve(addresses.size());
  for (const primitives::Address& address : addresses) inputs.emplace_back(address.bytes);
  std::vector<SmtKey> keys(addresses.size());
  crypto::sha3_256_many(inputs, keys);
  std::vector<std::optional<Result<std::optional<Account>>>> reads(addresses.size());
  executor.parallel_for(addresses.size(), [&](std::size_t i) {
    reads[i].emplace(read_account(store_, keys[i], addresses[i]));
  });
  std::vector<std::optional<Account>> accounts;
  accounts.reserve(addresses.size());
  for (auto& read : reads) {
    if (!read->is_ok()) return read->status();
    accounts.push_back(std::move(*read).value());
  }
  return accounts;
}

Result<StateUpdate> AccountState::apply(const AccountChanges& changes) const {
  if (changes.size() > kMaxChangesPerApply) {
    return Status::out_of_range(fmt::format("state update: {} account changes, the limit is {}",
                                            changes.size(), kMaxChangesPerApply));
  }
  StateUpdate update;
  std::vector<Change> sorted;
  QPOW_RETURN_IF_ERROR(leaf_changes(changes, sorted, update.writes));
  std::sort(sorted.begin(), sorted.end(),
            [](const Change& a, const Change& b) { return a.key < b.key; });
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    QPOW_ASSERT_MSG(sorted[i - 1].key != sorted[i].key, "two addresses with one SHA3-256");
  }

  QPOW_ASSIGN_OR_RETURN(NodeRef root, read_root(store_));
  if (!sorted.empty()) {
    TreeUpdater updater(store_, update.writes);
    QPOW_ASSIGN_OR_RETURN(root, updater.update(0, root, sorted));
    // The empty state stores nothing at all, exactly like a store that never held an account.
    std::optional<util::Bytes> root_record;
    if (!root.is_empty()) root_record = encode_node_ref(root);
    update.writes.insert_or_assign(root_record_key(), std::move(root_record));
  }
  update.root = root.hash;
  return update;
}

Result<Proof> AccountState::prove(const primitives::Address& address) const {
  const SmtKey key = smt_key(address);
  QPOW_ASSIGN_OR_RETURN(NodeRef node, read_root(store_));
  Proof proof;
  for (std::size_t depth = 0; node.is_internal(); ++depth) {
    QPOW_ASSIGN_OR_RETURN(const NodeRecord record, read_node(store_, depth, key, node.hash));
    const unsigned bit = key_bit(key, depth);
    proof.siblings.push_back(record.child(1 - bit).hash);
    node = record.child(bit);
  }
  if (node.is_empty()) {
    proof.terminal = ProofTerminal::kEmpty;
  } else if (node.key == key) {
    proof.terminal = ProofTerminal::kLeaf;
  } else {
    proof.terminal = ProofTerminal::kOtherLeaf;
    proof.other_key = node.key;
    QPOW_ASSIGN_OR_RETURN(proof.other_value_hash, read_value_hash(store_, node));
  }
  return proof;
}

}  // namespace qpow::state
