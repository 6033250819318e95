#include "chain/block_apply.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "consensus/block_rules.h"
#include "util/assert.h"
#include "util/bytes.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::Verdict;

// The first eight bytes of an address as a big-endian number: comparing them orders addresses as
// std::map<Address, ...> does, and almost always decides, since addresses are hashes.
std::uint64_t address_prefix(const primitives::Address& a) {
  return util::load_be64(a.bytes.data());
}

// The parent's state with this block's changes layered on top: one slot per address the block
// touches, in address order, so that the new values line up with the batch they were read in.
// Which slot each transaction's sender and recipient use is worked out once, in prefetch(), so
// the rules pass does no searching.
class Working {
 public:
  explicit Working(const state::AccountState& base) : base_(base) {}

  // Reads every account the block touches at once (batched key hashes, reads spread over the
  // executor), so that the rules then run on memory.
  util::Status prefetch(const primitives::Block& block, util::Executor& executor) {
    QPOW_ASSIGN_OR_RETURN(batch_, base_.read_batch(assign_slots(block), executor));
    current_.assign(batch_.accounts().begin(), batch_.accounts().end());
    return util::Status::ok();
  }

  std::size_t sender_slot(std::size_t tx) const { return slots_[2 * tx]; }
  // Only for a transfer.
  std::size_t recipient_slot(std::size_t tx) const {
    QPOW_ASSERT(slots_[2 * tx + 1] != kNoSlot);
    return slots_[2 * tx + 1];
  }
  std::size_t miner_slot() const { return slots_.back(); }

  consensus::SenderState load(std::size_t index) const { return to_sender_state(current_[index]); }
  void store(std::size_t index, const consensus::SenderState& s) {
    current_[index] = to_account(s);
  }

  // An account that did not exist and ends empty is not created.
  void drop_empty_accounts() {
    for (std::optional<state::Account>& after : current_) {
      if (after && *after == state::Account{}) after.reset();
    }
  }

  const state::AccountBatch& batch() const { return batch_; }
  std::span<const std::optional<state::Account>> current() const { return current_; }

  // The block's effects on the accounts: every touched account's value after it, and the same
  // accounts' values before it. Moves the values read out of the batch, which apply() does not
  // look at, so it may run while the root is computed from the batch and current().
  void fill_changes_and_undo(BlockEffects& e) {
    const std::span<const primitives::Address> addresses = batch_.addresses();
    std::vector<std::optional<state::Account>> before = batch_.take_accounts();
    e.undo.reserve(addresses.size());
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      // In address order, so every insertion goes at the end.
      e.changes.emplace_hint(e.changes.end(), addresses[i], current_[i]);
      e.undo.emplace_back(addresses[i], std::move(before[i]));
    }
  }

 private:
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  // The block's addresses, sorted and distinct, and the slot of every mention of one: mention
  // 2i is transaction i's sender, 2i + 1 its recipient (kNoSlot unless it is a transfer), and
  // the last is the miner.
  std::vector<primitives::Address> assign_slots(const primitives::Block& block) {
    struct Mention {
      std::uint64_t prefix = 0;
      std::uint32_t index = 0;
      const primitives::Address* address = nullptr;
    };
    QPOW_ASSERT(block.txs.size() < kNoSlot / 2);  // block limits keep blocks far smaller
    std::vector<Mention> mentions;
    mentions.reserve(2 * block.txs.size() + 1);
    const auto mention = [&](const primitives::Address& a, std::size_t index) {
      mentions.push_back({address_prefix(a), static_cast<std::uint32_t>(index), &a});
    };
    for (std::size_t i = 0; i < block.txs.size(); ++i) {
      mention(block.txs[i].sender, 2 * i);
      if (block.txs[i].kind == primitives::TxKind::kTransfer) {
        mention(block.txs[i].recipient, 2 * i + 1);
      }
    }
    mention(block.header.miner, 2 * block.txs.size());
    std::sort(mentions.begin(), mentions.end(), [](const Mention& a, const Mention& b) {
      return a.prefix != b.prefix ? a.prefix < b.prefix : *a.address < *b.address;
    });
    std::vector<primitives::Address> addresses;
    addresses.reserve(mentions.size());
    slots_.assign(2 * block.txs.size() + 1, kNoSlot);
    for (const Mention& m : mentions) {
      if (addresses.empty() || addresses.back() != *m.address) addresses.push_back(*m.address);
      slots_[m.index] = static_cast<std::uint32_t>(addresses.size() - 1);
    }
    return addresses;
  }

  const state::AccountState& base_;
  std::vector<std::uint32_t> slots_;  // see assign_slots()
  state::AccountBatch batch_;
  std::vector<std::optional<state::Account>> current_;  // one per batch_.addresses()
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
    const std::size_t from = working.sender_slot(i);
    const consensus::SenderState sender = working.load(from);
    Verdict v = consensus::check_tx_against_sender(tx, sender, signing_keys[i]);
    if (!v.is_ok()) return at_tx(i, v);
    working.store(from, consensus::sender_after(tx, sender, signing_keys[i]));
    if (tx.kind == primitives::TxKind::kTransfer) {
      const std::size_t to = working.recipient_slot(i);
      consensus::SenderState recipient = working.load(to);
      v = consensus::credit(recipient.balance, tx.amount);
      if (!v.is_ok()) return at_tx(i, v);
      working.store(to, recipient);
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
  const std::size_t miner_slot = working.miner_slot();
  consensus::SenderState miner = working.load(miner_slot);
  out.verdict = consensus::credit(miner.balance, reward);
  if (!out.verdict.is_ok()) return out;
  // A block that pays nothing to a miner account that does not exist creates no empty account.
  if (reward != 0 || miner != consensus::SenderState{}) working.store(miner_slot, miner);
  working.drop_empty_accounts();

  // Pass 2: every signature, the new state root and the block's effects, none of which depends
  // on the others, as items of one parallel_for. The root is item 0 and the effects item 1, so
  // that on a pool of several threads they run beside the signature checks; on one thread
  // everything runs in turn. A block with a bad signature wastes its root computation, which is
  // the price of not making valid blocks wait for it.
  std::vector<std::uint8_t> bad(block.txs.size(), 0);
  std::optional<util::Result<state::StateUpdate>> update;
  executor.parallel_for(block.txs.size() + 2, [&](std::size_t i) {
    if (i == 0) {
      update.emplace(state.apply(working.batch(), working.current()));
      return;
    }
    if (i == 1) {
      working.fill_changes_and_undo(out.effects);
      return;
    }
    const std::size_t t = i - 2;
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
