#include "chain/block_apply.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "consensus/block_rules.h"
#include "util/assert.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::Verdict;

// The parent's state with this block's changes layered on top.
class Working {
 public:
  explicit Working(const state::AccountState& base) : base_(base) {}

  // An account prefetch() read: every address the block touches is read there.
  consensus::SenderState load(const primitives::Address& address) const {
    const auto it = current_.find(address);
    QPOW_ASSERT_MSG(it != current_.end(), "an account the block touches was not prefetched");
    return to_sender_state(it->second);
  }

  // Reads every account the block touches at once (batched key hashes, reads spread over the
  // executor), so that the rules then run on memory.
  util::Status prefetch(const primitives::Block& block, util::Executor& executor) {
    std::vector<primitives::Address> addresses;
    addresses.reserve(2 * block.txs.size() + 1);
    for (const primitives::Transaction& tx : block.txs) {
      addresses.push_back(tx.sender);
      if (tx.kind == primitives::TxKind::kTransfer) addresses.push_back(tx.recipient);
    }
    addresses.push_back(block.header.miner);
    std::sort(addresses.begin(), addresses.end());
    addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
    QPOW_ASSIGN_OR_RETURN(std::vector<std::optional<state::Account>> accounts,
                          base_.get_many(addresses, executor));
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      before_.emplace_hint(before_.end(), addresses[i], accounts[i]);
      current_.emplace_hint(current_.end(), addresses[i], std::move(accounts[i]));
    }
    return util::Status::ok();
  }

  void store(const primitives::Address& address, const consensus::SenderState& s) {
    current_[address] = to_account(s);
  }

  BlockEffects finish() && {
    BlockEffects e;
    e.changes = std::move(current_);
    e.undo.assign(before_.begin(), before_.end());
    return e;
  }

 private:
  const state::AccountState& base_;
  std::map<primitives::Address, std::optional<state::Account>> before_;
  std::map<primitives::Address, std::optional<state::Account>> current_;
};

Verdict at_tx(std::size_t i, const Verdict& v) {
  return Verdict::reject(v.reason(), fmt::format("txs[{}]: {}", i, v.message()));
}

// Pass 1: state rules in block order. Fills signing_keys.
util::Result<Verdict> apply_transactions(const primitives::Block& block, Working& working,
                                         std::vector<consensus::AccountKey>& signing_keys) {
  signing_keys.resize(block.txs.size());
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const primitives::Transaction& tx = block.txs[i];
    const consensus::SenderState sender = working.load(tx.sender);
    Verdict v = consensus::check_tx_against_sender(tx, sender, signing_keys[i]);
    if (!v.is_ok()) return at_tx(i, v);
    working.store(tx.sender, consensus::sender_after(tx, sender, signing_keys[i]));
    if (tx.kind == primitives::TxKind::kTransfer) {
      consensus::SenderState recipient = working.load(tx.recipient);
      v = consensus::credit(recipient.balance, tx.amount);
      if (!v.is_ok()) return at_tx(i, v);
      working.store(tx.recipient, recipient);
    }
  }
  return Verdict::ok();
}

// The verdict naming the first bad signature in block order, given which ones failed.
Verdict first_bad_signature(const primitives::Block& block,
                            const std::vector<consensus::AccountKey>& signing_keys,
                            const std::vector<std::uint8_t>& bad) {
  for (std::size_t i = 0; i < bad.size(); ++i) {
    if (bad[i]) return at_tx(i, consensus::check_tx_signature(block.txs[i], signing_keys[i]));
  }
  return Verdict::ok();
}

}  // namespace

consensus::SenderState to_sender_state(const std::optional<state::Account>& account) {
  consensus::SenderState s;
  if (!account) return s;
  s.balance = account->balance;
  s.nonce = account->nonce;
  s.key = account->key;
  s.next_key_commitment = account->next_key_commitment;
  return s;
}

state::Account to_account(const consensus::SenderState& sender) {
  state::Account a;
  a.balance = sender.balance;
  a.nonce = sender.nonce;
  a.key = sender.key;
  a.next_key_commitment = sender.next_key_commitment;
  return a;
}

util::Result<ApplyOutcome> apply_block(const primitives::Block& block,
                                       const state::AccountState& state,
                                       const consensus::ChainParams& params,
                                       util::Executor& executor) {
  ApplyOutcome out;
  Working working(state);
  QPOW_RETURN_IF_ERROR(working.prefetch(block, executor));
  std::vector<consensus::AccountKey> signing_keys;
  QPOW_ASSIGN_OR_RETURN(out.verdict, apply_transactions(block, working, signing_keys));
  if (!out.verdict.is_ok()) return out;

  std::uint64_t reward = 0;
  out.verdict = consensus::miner_reward(block, params, reward);
  if (!out.verdict.is_ok()) return out;
  consensus::SenderState miner = working.load(block.header.miner);
  out.verdict = consensus::credit(miner.balance, reward);
  if (!out.verdict.is_ok()) return out;
  // A block that pays nothing to a miner account that does not exist creates no empty account.
  if (reward != 0 || miner != consensus::SenderState{}) working.store(block.header.miner, miner);

  out.effects = std::move(working).finish();
  // An account that did not exist and ends empty is not created.
  for (auto& [address, after] : out.effects.changes) {
    if (after && *after == state::Account{}) after.reset();
  }

  // Pass 2: every signature, and the new state root, which does not depend on them, as items of
  // one parallel_for. The root is item 0 so that on a pool of several threads it runs beside the
  // signature checks; on one thread everything runs in turn. A block with a bad signature wastes
  // its root computation, which is the price of not making valid blocks wait for it.
  std::vector<std::uint8_t> bad(block.txs.size(), 0);
  std::optional<util::Result<state::StateUpdate>> update;
  executor.parallel_for(block.txs.size() + 1, [&](std::size_t i) {
    if (i == 0) {
      update.emplace(state.apply(out.effects.changes));
      return;
    }
    const std::size_t t = i - 1;
    bad[t] = consensus::check_tx_signature(block.txs[t], signing_keys[t]).is_ok() ? 0 : 1;
  });
  out.verdict = first_bad_signature(block, signing_keys, bad);
  if (!out.verdict.is_ok()) {
    out.effects = BlockEffects{};
    return out;
  }
  QPOW_ASSIGN_OR_RETURN(state::StateUpdate root_update, std::move(*update));
  out.effects.state_root = root_update.root;
  out.effects.writes = std::move(root_update.writes);
  return out;
}

}  // namespace qpow::chain
