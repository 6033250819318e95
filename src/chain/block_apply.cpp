#include "chain/block_apply.h"

#include <atomic>
#include <map>

#include <fmt/format.h>

#include "consensus/block_rules.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::Verdict;

// The parent's state with this block's changes layered on top.
class Working {
 public:
  explicit Working(const state::AccountState& base) : base_(base) {}

  util::Result<consensus::SenderState> load(const primitives::Address& address) {
    auto it = current_.find(address);
    if (it != current_.end()) return to_sender_state(it->second);
    QPOW_ASSIGN_OR_RETURN(std::optional<state::Account> before, base_.get(address));
    before_.emplace(address, before);
    current_.emplace(address, before);
    return to_sender_state(before);
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
                                         std::vector<consensus::AccountKeyView>& signing_keys) {
  signing_keys.resize(block.txs.size());
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const primitives::Transaction& tx = block.txs[i];
    QPOW_ASSIGN_OR_RETURN(const consensus::SenderState sender, working.load(tx.sender));
    Verdict v = consensus::check_tx_against_sender(tx, sender, signing_keys[i]);
    if (!v.is_ok()) return at_tx(i, v);
    working.store(tx.sender, consensus::sender_after(tx, sender, signing_keys[i]));
    if (tx.kind == primitives::TxKind::kTransfer) {
      QPOW_ASSIGN_OR_RETURN(consensus::SenderState recipient, working.load(tx.recipient));
      v = consensus::credit(recipient.balance, tx.amount);
      if (!v.is_ok()) return at_tx(i, v);
      working.store(tx.recipient, recipient);
    }
  }
  return Verdict::ok();
}

// Pass 2: all signatures at once; the verdict names the first bad one in block order.
Verdict verify_signatures(const primitives::Block& block,
                          const std::vector<consensus::AccountKeyView>& signing_keys,
                          util::Executor& executor) {
  std::vector<std::uint8_t> bad(block.txs.size(), 0);
  executor.parallel_for(block.txs.size(), [&](std::size_t i) {
    bad[i] = consensus::check_tx_signature(block.txs[i], signing_keys[i]).is_ok() ? 0 : 1;
  });
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
  if (account->key) {
    s.key = consensus::AccountKeyView{.scheme = account->key->scheme,
                                      .public_key = account->key->public_key};
  }
  s.next_key_commitment = account->next_key_commitment;
  return s;
}

state::Account to_account(const consensus::SenderState& sender) {
  state::Account a;
  a.balance = sender.balance;
  a.nonce = sender.nonce;
  if (sender.key) {
    a.key = state::AccountKey{.scheme = sender.key->scheme, .public_key = sender.key->public_key};
  }
  a.next_key_commitment = sender.next_key_commitment;
  return a;
}

util::Result<ApplyOutcome> apply_block(const primitives::Block& block,
                                       const state::AccountState& state,
                                       const consensus::ChainParams& params,
                                       util::Executor& executor) {
  ApplyOutcome out;
  Working working(state);
  std::vector<consensus::AccountKeyView> signing_keys;
  QPOW_ASSIGN_OR_RETURN(out.verdict, apply_transactions(block, working, signing_keys));
  if (!out.verdict.is_ok()) return out;
  out.verdict = verify_signatures(block, signing_keys, executor);
  if (!out.verdict.is_ok()) return out;

  std::uint64_t reward = 0;
  out.verdict = consensus::miner_reward(block, params, reward);
  if (!out.verdict.is_ok()) return out;
  QPOW_ASSIGN_OR_RETURN(consensus::SenderState miner, working.load(block.header.miner));
  out.verdict = consensus::credit(miner.balance, reward);
  if (!out.verdict.is_ok()) return out;
  // A block that pays nothing to a miner account that does not exist creates no empty account.
  if (reward != 0 || miner != consensus::SenderState{}) working.store(block.header.miner, miner);

  out.effects = std::move(working).finish();
  // An account that did not exist and ends empty is not created.
  for (auto& [address, after] : out.effects.changes) {
    if (after && *after == state::Account{}) after.reset();
  }
  QPOW_ASSIGN_OR_RETURN(state::StateUpdate update, state.apply(out.effects.changes));
  out.effects.state_root = update.root;
  out.effects.writes = std::move(update.writes);
  return out;
}

}  // namespace qpow::chain
