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
// against its parent and one for its replacement, both computed in batches on the multi-state
// permutation (smt_update.h); a subtree the changes leave as it was is not rewritten.
//
// AccountState borrows the store, which must outlive it. It holds no other state, so concurrent
// calls are as safe as concurrent reads of the store.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "crypto/sha3.h"
#include "primitives/address.h"
#include "state/account.h"
#include "state/node_store.h"
#include "state/smt_hash.h"
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

// The accounts a batch of changes will touch (a block's), read at once: their addresses in order,
// their tree keys, and the values they had. AccountState::apply(batch, values) then changes
// exactly these accounts and reuses the keys instead of hashing the addresses again. Only
// AccountState::read_batch() makes one, so each key is the key of its address.
class AccountBatch {
 public:
  AccountBatch() = default;

  std::span<const primitives::Address> addresses() const { return addresses_; }
  // The values read, one per address (nullopt: no account).
  std::span<const std::optional<Account>> accounts() const { return accounts_; }
  // Moves the values read out to the caller; accounts() is empty afterwards. The batch can still
  // be applied.
  std::vector<std::optional<Account>> take_accounts() { return std::exchange(accounts_, {}); }
  std::size_t size() const { return addresses_.size(); }

 private:
  friend class AccountState;

  std::vector<primitives::Address> addresses_;  // sorted, distinct
  std::vector<SmtKey> keys_;                    // keys_[i] = smt_key(addresses_[i])
  std::vector<std::optional<Account>> accounts_;
};

class AccountState {
 public:
  explicit AccountState(const NodeStore& store) : store_(store) {}

  // The current state root (kEmptyHash when there are no accounts).
  util::Result<crypto::Hash256> root() const;

  // The account at address, or nullopt if it does not exist.
  util::Result<std::optional<Account>> get(const primitives::Address& address) const;

  // The accounts at `addresses`, which must be sorted and distinct (asserted): their keys hashed
  // in batches, the hashing and the reads spread over `executor` (the store must allow
  // concurrent reads, as every NodeStore here does). The first failed read in address order is
  // the error.
  util::Result<AccountBatch> read_batch(std::vector<primitives::Address> addresses,
                                        util::Executor& executor) const;

  // The root and writes after `changes`. Fails for more than kMaxChangesPerApply changes, an
  // account that does not encode (check_account) or a store read that fails or finds corruption.
  util::Result<StateUpdate> apply(const AccountChanges& changes) const;
  // The same for new values of a batch's accounts: values[i] for batch.addresses()[i] (nullopt:
  // remove it); values.size() must equal batch.size() (asserted).
  util::Result<StateUpdate> apply(const AccountBatch& batch,
                                  std::span<const std::optional<Account>> values) const;

  // A proof of the address's current state (present or absent) under root().
  util::Result<Proof> prove(const primitives::Address& address) const;

 private:
  const NodeStore& store_;
};

}  // namespace qpow::state
