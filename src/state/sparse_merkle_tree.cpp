#include "state/sparse_merkle_tree.h"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "crypto/sponge_batch.h"
#include "state/smt_node.h"
#include "state/smt_update.h"
#include "util/bytes.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

Status corruption(std::string message) {
  return Status::error(util::StatusCode::kCorruption, std::move(message));
}

// The stored internal node at (depth, path), which its parent says hashes to `expected`.
Result<NodeRecord> read_node(const NodeStore& store, std::size_t depth, const SmtKey& path,
                             const crypto::Hash256& expected) {
  QPOW_ASSIGN_OR_RETURN(NodeRecord record, read_node_unchecked(store, depth, path));
  if (internal_hash(record.left.hash, record.right.hash) != expected) {
    return node_hash_mismatch(depth, path);
  }
  return record;
}

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

bool key_less(const SmtKey& a, const SmtKey& b) {
  // Keys are hashes: their first eight bytes almost always decide.
  const std::uint64_t a8 = util::load_be64(a.data());
  const std::uint64_t b8 = util::load_be64(b.data());
  if (a8 != b8) return a8 < b8;
  return a < b;
}

// The accounts one update changes, in address order: address, tree key and new value (nullopt:
// removed).
struct ChangeSet {
  std::span<const primitives::Address> addresses = {};
  std::span<const SmtKey> keys = {};
  std::span<const std::optional<Account>* const> values = {};
};

// Each change's new leaf hash (nullopt for a removal), or the first account in address order that
// does not encode. The value and leaf hashes of different accounts are independent, so they go
// through the multi-state permutation in batches.
Result<std::vector<std::optional<crypto::Hash256>>> new_leaf_hashes(const ChangeSet& set) {
  std::vector<AccountValue> values;
  values.reserve(set.values.size());
  for (std::size_t i = 0; i < set.values.size(); ++i) {
    const std::optional<Account>& account = *set.values[i];
    if (!account) continue;
    Status encodable = check_account(*account);
    if (!encodable.is_ok()) return encodable.with_context("account " + set.addresses[i].to_hex());
    values.push_back(encode_account_value(*account));
  }
  std::vector<util::ByteSpan> inputs;
  inputs.reserve(values.size());
  for (const AccountValue& v : values) inputs.push_back(v.span());
  std::vector<crypto::Hash256> value_hashes(values.size());
  crypto::sha3_256_many_one_block(inputs, value_hashes);

  std::vector<LeafPreimage> preimages;
  preimages.reserve(values.size());
  for (std::size_t i = 0; i < set.values.size(); ++i) {
    if (*set.values[i]) {
      preimages.push_back(leaf_preimage(set.keys[i], value_hashes[preimages.size()]));
    }
  }
  std::vector<crypto::Hash256> hashes(preimages.size());
  hash_preimages(preimages, hashes);
  std::vector<std::optional<crypto::Hash256>> out(set.values.size());
  for (std::size_t i = 0, v = 0; i < set.values.size(); ++i) {
    if (*set.values[i]) out[i] = hashes[v++];
  }
  return out;
}

// The changes' new leaves sorted by key; each account's record write is appended to `writes` in
// the same order, which is key order.
std::vector<LeafChange> sorted_leaves(const ChangeSet& set,
                                      std::span<const std::optional<crypto::Hash256>> leaf_hashes,
                                      StateWrites& writes) {
  std::vector<std::uint32_t> order(set.keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key_less(set.keys[a], set.keys[b]); });
  std::vector<LeafChange> leaves;
  leaves.reserve(order.size());
  for (const std::uint32_t i : order) {
    const SmtKey& key = set.keys[i];
    QPOW_ASSERT_MSG(leaves.empty() || leaves.back().key != key, "two addresses with one SHA3-256");
    leaves.push_back({.key = key, .leaf_hash = leaf_hashes[i]});
    const StateKeyBuffer record_key = account_record_key_buffer(key);
    const std::optional<Account>& account = *set.values[i];
    if (account) {
      encode_account_into(*account,
                          writes.append_value(record_key.span(), account_encoding_bytes(*account)));
    } else {
      writes.append(record_key.span(), std::nullopt);
    }
  }
  return leaves;
}

// AccountState::apply() of either form.
Result<StateUpdate> apply_changes(const NodeStore& store, const ChangeSet& set) {
  if (set.values.size() > kMaxChangesPerApply) {
    return Status::out_of_range(fmt::format("state update: {} account changes, the limit is {}",
                                            set.values.size(), kMaxChangesPerApply));
  }
  QPOW_ASSIGN_OR_RETURN(const std::vector<std::optional<crypto::Hash256>> leaf_hashes,
                        new_leaf_hashes(set));
  StateUpdate update;
  // Keys arrive in order: the account records ("a"), the tree's nodes ("n"), the root ("r").
  update.writes.reserve(3 * set.values.size() + 1);
  const std::vector<LeafChange> leaves = sorted_leaves(set, leaf_hashes, update.writes);
  QPOW_ASSIGN_OR_RETURN(NodeRef root, read_root(store));
  if (!leaves.empty()) {
    QPOW_ASSIGN_OR_RETURN(root, update_tree(store, root, leaves, update.writes));
    // The empty state stores nothing at all, exactly like a store that never held an account.
    if (root.is_empty()) {
      update.writes.append(root_record_key(), std::nullopt);
    } else {
      update.writes.append(root_record_key(), encode_node_ref(root));
    }
  }
  update.root = root.hash;
  return update;
}

}  // namespace

Result<crypto::Hash256> AccountState::root() const {
  QPOW_ASSIGN_OR_RETURN(const NodeRef root, read_root(store_));
  return root.hash;
}

namespace {

Result<std::optional<Account>> read_account(const NodeStore& store, const SmtKey& key,
                                            const primitives::Address& address) {
  QPOW_ASSIGN_OR_RETURN(std::optional<util::Bytes> bytes,
                        store.get(account_record_key_buffer(key).span()));
  if (!bytes) return std::optional<Account>();
  Result<Account> account = decode_account(std::move(*bytes));
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

Result<AccountBatch> AccountState::read_batch(std::vector<primitives::Address> addresses,
                                              util::Executor& executor) const {
  for (std::size_t i = 1; i < addresses.size(); ++i) {
    QPOW_ASSERT_MSG(addresses[i - 1] < addresses[i],
                    "read_batch: addresses not sorted and distinct");
  }
  // Each item hashes a chunk of keys in one batch and reads them, so that on several threads the
  // hashing is spread as well as the reads. A chunk stops at its first failed read, so the first
  // chunk with an error holds the first failure in address order.
  constexpr std::size_t kChunk = 32;
  const std::size_t n = addresses.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  AccountBatch batch;
  batch.keys_.resize(n);
  batch.accounts_.resize(n);
  std::vector<Status> errors(chunks);
  executor.parallel_for(chunks, [&](std::size_t chunk) {
    const std::size_t begin = chunk * kChunk;
    const std::size_t count = std::min(kChunk, n - begin);
    std::array<util::ByteSpan, kChunk> inputs;
    for (std::size_t i = 0; i < count; ++i) inputs[i] = addresses[begin + i].bytes;
    const std::span<SmtKey> keys = std::span(batch.keys_).subspan(begin, count);
    crypto::sha3_256_many_one_block(std::span(inputs).first(count), keys);
    for (std::size_t i = 0; i < count; ++i) {
      Result<std::optional<Account>> read = read_account(store_, keys[i], addresses[begin + i]);
      if (!read.is_ok()) {
        errors[chunk] = read.status();
        return;
      }
      batch.accounts_[begin + i] = std::move(read).value();
    }
  });
  for (const Status& error : errors) {
    if (!error.is_ok()) return error;
  }
  batch.addresses_ = std::move(addresses);
  return batch;
}

Result<StateUpdate> AccountState::apply(const AccountChanges& changes) const {
  std::vector<primitives::Address> addresses;
  std::vector<const std::optional<Account>*> values;
  std::vector<util::ByteSpan> inputs;
  addresses.reserve(changes.size());
  values.reserve(changes.size());
  inputs.reserve(changes.size());
  for (const auto& [address, account] : changes) {
    addresses.push_back(address);
    values.push_back(&account);
    inputs.emplace_back(address.bytes);
  }
  std::vector<SmtKey> keys(changes.size());
  crypto::sha3_256_many_one_block(inputs, keys);
  return apply_changes(store_, {.addresses = addresses, .keys = keys, .values = values});
}

Result<StateUpdate> AccountState::apply(const AccountBatch& batch,
                                        std::span<const std::optional<Account>> values) const {
  QPOW_ASSERT(values.size() == batch.size());
  std::vector<const std::optional<Account>*> pointers(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) pointers[i] = &values[i];
  return apply_changes(store_,
                       {.addresses = batch.addresses_, .keys = batch.keys_, .values = pointers});
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
