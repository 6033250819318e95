// AccountState: every account, kept as the compact sparse Merkle tree of smt_hash.h, persisted
// through a NodeStore in the layout of smt_node.h. Its root is the state root of a block header.
//
// AccountState never writes. apply() reads what it needs through the NodeStore and returns the
// new root together with the exact set of writes that turns the stored state into the new one;
// the caller commits them atomically with the block (node_store.h) or layers them over the store
// (OverlayNodeStore) to look ahead without committing. Applying the previous values of the same
// accounts (nullopt for those that did not exist) restores the previous root and the previous set
// of stored keys exactly, which is how a block is disconnected.
//
// An update reads each internal node on the changed paths once and no siblings (a parent holds
// its children's hashes), in one pass over the changes sorted by key; with n accounts and m
// changes that is about m * (log2(n / m) + 1) reads. Each node read costs one hash to check it
// against its parent and one for its replacement; a subtree the changes leave as it was is not
// rewritten.
//
// AccountState borrows the store, which must outlive it. It holds no other state, so concurrent
// calls are as safe as concurrent reads of the store.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "crypto/sha3.h"
#include "primitives/address.h"
#include "state/account.h"
#include "state/node_store.h"
#include "state/smt_proof.h"
#include "util/executor.h"
#include "util/result.h"

namespace qpow::state {

// The new state of each changed account: a value to store, or nullopt to remove the account.
using AccountChanges = std::map<primitives::Address, std::optional<Account>>;

// The most accounts one apply() may change. It bounds a StateUpdate: at most 2^15 account records
// of under 3 KiB each plus their paths, so one update fits one storage write batch even with a
// hundred million accounts. A block touches at most two accounts per transaction, far fewer.
inline constexpr std::size_t kMaxChangesPerApply = std::size_t{1} << 15;

struct StateUpdate {
  crypto::Hash256 root{};   // the state root after the changes
  StateWrites writes = {};  // what to write to the store to get there
};

class AccountState {
 public:
  explicit AccountState(const NodeStore& store) : store_(store) {}

  // The current state root (kEmptyHash when there are no accounts).
  util::Result<crypto::Hash256> root() const;

  // The account at address, or nullopt if it does not exist.
  util::Result<std::optional<Account>> get(const primitives::Address& address) const;

  // The accounts at many addresses: their keys hashed in batches, the reads spread over
  // `executor` (the store must allow concurrent reads, as every NodeStore here does). The first
  // failed read in address order is the error.
  util::Result<std::vector<std::optional<Account>>> get_many(
      std::span<const primitives::Address> addresses, util::Executor& executor) const;

  // The root and writes after `changes`. Fails for more than kMaxChangesPerApply changes, an
  // account that does not encode (check_account) or a store read that fails or finds corruption.
  util::Result<StateUpdate> apply(const AccountChanges& changes) const;

  // A proof of the address's current state (present or absent) under root().
  util::Result<Proof> prove(const primitives::Address& address) const;

 private:
  const NodeStore& store_;
};

}  // namespace qpow::state
