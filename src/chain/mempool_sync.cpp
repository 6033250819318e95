// Keeping the pool in line with the chain tip: after a block is connected and after a reorg.
#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "chain/mempool.h"
#include "util/assert.h"

namespace qpow::chain {
namespace {

using consensus::AccountKey;
using consensus::SenderState;
using primitives::Address;
using primitives::Transaction;

void keep_first_error(util::Status& first, const util::Status& next, const Address& sender) {
  if (first.is_ok() && !next.is_ok()) {
    first = next.with_context(fmt::format("mempool: state of sender {}", sender.to_hex()));
  }
}

}  // namespace

util::Status Mempool::remove_for_block(const primitives::Block& block,
                                       const SenderStateSource& new_tip) {
  std::set<Address> senders;
  for (const Transaction& tx : block.txs) {
    const Hash256 id = primitives::txid(tx);
    if (entries_.contains(id)) erase_entry(id);
    senders.insert(tx.sender);
  }
  // Only a sender's own transactions lower its balance or raise its nonce, so the block's
  // senders are the only chains it can invalidate.
  util::Status first_error;
  std::vector<Hash256> dropped;
  for (const Address& sender : senders) {
    if (!chains_.contains(sender)) continue;
    keep_first_error(first_error, recheck_sender(sender, new_tip, dropped), sender);
  }
  return first_error;
}

util::Status Mempool::readd_after_reorg(std::span<const Transaction> disconnected,
                                        const SenderStateSource& new_tip) {
  std::map<Address, std::vector<const Transaction*>> incoming;
  for (const Transaction& tx : disconnected) incoming[tx.sender].push_back(&tx);

  util::Status first_error;
  std::vector<Hash256> dropped;
  // First every chain the disconnected blocks did not send from: this frees what went stale
  // before the disconnected transactions compete for space.
  std::vector<Address> others;
  for (const auto& [sender, chain] : chains_) {
    if (!incoming.contains(sender)) others.push_back(sender);
  }
  for (const Address& sender : others) {
    keep_first_error(first_error, recheck_sender(sender, new_tip, dropped), sender);
  }
  for (const auto& [sender, txs] : incoming) {
    auto state = new_tip.sender_state(sender);
    if (!state.is_ok()) {
      erase_chain(sender, dropped);
      keep_first_error(first_error, state.status(), sender);
      continue;
    }
    readmit_sender(sender, *state, txs);
  }
  return first_error;
}

util::Status Mempool::recheck_sender(const Address& sender, const SenderStateSource& tip,
                                     std::vector<Hash256>& dropped) {
  auto state = tip.sender_state(sender);
  if (!state.is_ok()) {
    // Keeping transactions that may no longer fit is worse than losing them: they could reach
    // a block template.
    erase_chain(sender, dropped);
    return state.status();
  }
  reconcile_chain(sender, *state, dropped);
  return util::Status::ok();
}

void Mempool::readmit_sender(const Address& sender, const SenderState& state,
                             const std::vector<const Transaction*>& disconnected) {
  std::vector<Candidate> candidates;
  for (const Transaction* tx : disconnected) {
    Candidate c;
    AcceptResult ignored;
    if (make_candidate(*tx, c, ignored)) candidates.push_back(std::move(c));
  }
  // The pending chain comes out and goes back in behind the disconnected transactions; its
  // entries keep the key their signature was verified under.
  if (const auto chain = chains_.find(sender); chain != chains_.end()) {
    std::vector<Hash256> ids;
    for (const auto& [nonce, id] : chain->second) ids.push_back(id);
    for (const Hash256& id : ids) {
      candidates.push_back(Candidate{.entry = erase_entry(id), .key_verified = true});
    }
  }
  // Disconnected transactions come first at an equal nonce: they were mined once.
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Candidate& a, const Candidate& b) { return a.entry.tx.nonce < b.entry.tx.nonce; });
  Projection projection{state};
  for (Candidate& c : candidates) {
    AcceptResult ignored;
    if (precheck(c, ignored)) admit(std::move(c), projection, ignored);
  }
}

Mempool::Projection Mempool::reconcile_chain(const Address& sender, const SenderState& state,
                                             std::vector<Hash256>& dropped) {
  Projection projection{state};
  const auto chain = chains_.find(sender);
  if (chain == chains_.end()) return projection;
  std::vector<Hash256> ids;
  for (const auto& [nonce, id] : chain->second) ids.push_back(id);

  bool cut = false;  // once one entry fails, every later one follows a gap
  for (const Hash256& id : ids) {
    const MempoolEntry& entry = entries_.at(id);
    const bool mined = entry.tx.nonce < state.nonce;
    AccountKey key;
    if (!mined && !cut && entry_fits(entry, projection.back(), key)) {
      projection.push_back(consensus::sender_after(entry.tx, projection.back(), key));
      continue;
    }
    if (!mined) cut = true;
    erase_entry(id);
    dropped.push_back(id);
  }
  return projection;
}

void Mempool::erase_chain(const Address& sender, std::vector<Hash256>& dropped) {
  const auto chain = chains_.find(sender);
  if (chain == chains_.end()) return;
  std::vector<Hash256> ids;
  for (const auto& [nonce, id] : chain->second) ids.push_back(id);
  for (const Hash256& id : ids) {
    erase_entry(id);
    dropped.push_back(id);
  }
}

}  // namespace qpow::chain
