// Admission: the checks a transaction passes on its way into the pool, the plan of what it
// displaces, and the commit. Following the chain (blocks, reorgs) is in mempool_sync.cpp, queries
// and block-template selection in mempool_query.cpp.
#include "chain/mempool.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::chain {
namespace {

using consensus::AccountKey;
using consensus::RejectReason;
using consensus::SenderState;
using consensus::Verdict;
using primitives::Transaction;

__extension__ using u128 = unsigned __int128;

void refuse(AcceptResult& result, MempoolReject reason, std::string message) {
  result.policy = reason;
  result.policy_message = std::move(message);
}

}  // namespace

std::string_view mempool_reject_name(MempoolReject reason) {
  switch (reason) {
    case MempoolReject::kNone:
      return "none";
    case MempoolReject::kAlreadyInPool:
      return "mempool-already-in-pool";
    case MempoolReject::kBelowRelayFee:
      return "mempool-below-relay-fee";
    case MempoolReject::kSenderLimit:
      return "mempool-sender-limit";
    case MempoolReject::kReplacementFeeTooLow:
      return "mempool-replacement-fee-too-low";
    case MempoolReject::kPoolFull:
      return "mempool-full";
  }
  QPOW_UNREACHABLE();
}

std::string AcceptResult::to_string() const {
  if (!verdict.is_ok()) return verdict.to_string();
  if (policy != MempoolReject::kNone) {
    return std::string(mempool_reject_name(policy)) + ": " + policy_message;
  }
  return "accepted";
}

Mempool::Mempool(const consensus::ChainParams& params, MempoolLimits limits)
    : params_(params), limits_(limits) {
  limits_.min_fee_per_byte = std::max(limits_.min_fee_per_byte, params.min_fee_per_byte);
}

util::Result<AcceptResult> Mempool::accept(const Transaction& tx, const SenderStateSource& tip) {
  AcceptResult result;
  Candidate c;
  if (!make_candidate(tx, c, result) || !precheck(c, result)) return result;
  QPOW_ASSIGN_OR_RETURN(const SenderState state, tip.sender_state(tx.sender));
  Projection projection = reconcile_chain(tx.sender, state, result.evicted);
  admit(std::move(c), projection, result);
  return result;
}

bool Mempool::make_candidate(const Transaction& tx, Candidate& c, AcceptResult& result) const {
  result.verdict = consensus::check_tx_standalone(tx, params_);
  if (!result.verdict.is_ok()) return false;
  // Only what decodes may enter: a block template must never carry a transaction that peers
  // cannot read back (memo or key sizes, unknown kinds or schemes).
  const util::Bytes encoded = primitives::encode_tx(tx);
  auto decoded = primitives::decode_tx(encoded);
  if (!decoded.is_ok() || *decoded != tx) {
    result.verdict =
        Verdict::reject(RejectReason::kMalformed,
                        decoded.is_ok() ? std::string("the transaction decodes to a different one")
                                        : decoded.status().message());
    return false;
  }
  c.entry.tx = tx;
  c.entry.txid = primitives::txid(tx);
  c.entry.size = encoded.size();
  result.txid = c.entry.txid;
  return true;
}

bool Mempool::precheck(const Candidate& c, AcceptResult& result) const {
  if (entries_.contains(c.entry.txid)) {
    refuse(result, MempoolReject::kAlreadyInPool, "the transaction is already pending");
    return false;
  }
  const u128 floor = static_cast<u128>(limits_.min_fee_per_byte) * c.entry.size;
  if (c.entry.tx.fee < floor) {
    refuse(result, MempoolReject::kBelowRelayFee,
           fmt::format("tx.fee {} is below the relay floor of {} per byte for {} bytes",
                       c.entry.tx.fee, limits_.min_fee_per_byte, c.entry.size));
    return false;
  }
  return true;
}

void Mempool::admit(Candidate c, Projection& projection, AcceptResult& result) {
  std::size_t position = 0;
  if (!check_position(c, projection, position, result)) return;
  AccountKey key;
  result.verdict = consensus::check_tx_against_sender(c.entry.tx, projection[position], key);
  if (!result.verdict.is_ok()) return;
  Plan plan;
  const bool replacing = position + 1 < projection.size();
  if (replacing && !plan_replacement(c, projection, position, key, plan, result)) return;
  if (!plan_space(c, plan)) {
    refuse(result, MempoolReject::kPoolFull,
           fmt::format("the pool is full ({} txs, {} bytes) and the transaction ranks below "
                       "what it would displace",
                       entries_.size(), bytes_));
    return;
  }
  // The signature last: the most expensive check runs only for a transaction that would enter.
  if (!c.key_verified || !(c.entry.signing_key == key)) {
    result.verdict = consensus::check_tx_signature(c.entry.tx, key);
    if (!result.verdict.is_ok()) return;
  }
  commit(std::move(c), key, position, plan, projection);
  result.replaced = plan.replaced;
  result.evicted.insert(result.evicted.end(), plan.dropped.begin(), plan.dropped.end());
  result.evicted.insert(result.evicted.end(), plan.evicted.begin(), plan.evicted.end());
}

bool Mempool::check_position(const Candidate& c, const Projection& projection,
                             std::size_t& position, AcceptResult& result) const {
  const std::uint64_t nonce = c.entry.tx.nonce;
  const std::uint64_t next = projection.front().nonce;
  const std::size_t pending = projection.size() - 1;
  if (nonce < next) {
    result.verdict = Verdict::reject(
        RejectReason::kTxBadNonce,
        fmt::format("tx.nonce {} is already used: the sender's next nonce is {}", nonce, next));
    return false;
  }
  if (nonce - next > pending) {
    result.verdict = Verdict::reject(
        RejectReason::kTxBadNonce,
        fmt::format("tx.nonce {} leaves a gap: the sender's next nonce is {} and {} are pending",
                    nonce, next, pending));
    return false;
  }
  position = static_cast<std::size_t>(nonce - next);
  if (position == pending && pending >= limits_.per_sender_max) {
    refuse(result, MempoolReject::kSenderLimit,
           fmt::format("the sender already has {} pending transactions, the limit",
                       limits_.per_sender_max));
    return false;
  }
  return true;
}

bool Mempool::plan_replacement(const Candidate& c, const Projection& projection,
                               std::size_t position, const AccountKey& key, Plan& plan,
                               AcceptResult& result) const {
  const auto& chain = chains_.at(c.entry.tx.sender);
  auto it = chain.find(c.entry.tx.nonce);
  QPOW_ASSERT(it != chain.end());
  const MempoolEntry& old = entries_.at(it->second);
  if (!fee_rate_at_least(c.entry.fee_rate(), old.fee_rate(), limits_.replace_bump_percent)) {
    refuse(result, MempoolReject::kReplacementFeeTooLow,
           fmt::format("tx.fee {} for {} bytes does not raise the pending fee {} for {} bytes "
                       "by {}%",
                       c.entry.tx.fee, c.entry.size, old.tx.fee, old.size,
                       limits_.replace_bump_percent));
    return false;
  }
  plan.replaced = old.txid;
  plan.leaving.insert(old.txid);
  // The later transactions were checked against the old projection; check them against the new.
  SenderState state = consensus::sender_after(c.entry.tx, projection[position], key);
  for (++it; it != chain.end(); ++it) {
    const MempoolEntry& later = entries_.at(it->second);
    AccountKey later_key;
    if (plan.dropped.empty() && entry_fits(later, state, later_key)) {
      state = consensus::sender_after(later.tx, state, later_key);
      plan.kept_states.push_back(state);
    } else {
      plan.dropped.push_back(later.txid);
      plan.leaving.insert(later.txid);
    }
  }
  return true;
}

bool Mempool::plan_space(const Candidate& c, Plan& plan) const {
  std::size_t bytes = bytes_ + c.entry.size;
  std::size_t count = entries_.size() + 1;
  for (const Hash256& id : plan.leaving) {
    bytes -= entries_.at(id).size;
    count -= 1;
  }
  const RankKey incoming = rank_of(c.entry);
  for (auto it = by_rank_.begin(); bytes > limits_.bytes_max || count > limits_.count_max; ++it) {
    if (it == by_rank_.end()) return false;  // it does not fit even alone
    if (plan.leaving.contains(it->txid)) continue;
    if (ranks_above(*it, incoming)) return false;  // the newcomer is the lowest-ranked
    const MempoolEntry& victim = entries_.at(it->txid);
    // Evicting a predecessor of the newcomer would leave the newcomer behind a gap.
    if (victim.tx.sender == c.entry.tx.sender && victim.tx.nonce < c.entry.tx.nonce) return false;
    const auto& chain = chains_.at(victim.tx.sender);
    for (auto tail = chain.find(victim.tx.nonce); tail != chain.end(); ++tail) {
      if (!plan.leaving.insert(tail->second).second) continue;
      plan.evicted.push_back(tail->second);
      bytes -= entries_.at(tail->second).size;
      count -= 1;
    }
  }
  return true;
}

void Mempool::commit(Candidate c, const AccountKey& key, std::size_t position, const Plan& plan,
                     Projection& projection) {
  const primitives::Address sender = c.entry.tx.sender;
  SenderState after = consensus::sender_after(c.entry.tx, projection[position], key);
  if (plan.replaced) erase_entry(*plan.replaced);
  for (const Hash256& id : plan.dropped) erase_entry(id);
  for (const Hash256& id : plan.evicted) erase_entry(id);
  c.entry.signing_key = key;
  insert_entry(std::move(c.entry));

  projection.resize(position + 1);
  projection.push_back(std::move(after));
  projection.insert(projection.end(), plan.kept_states.begin(), plan.kept_states.end());
  // Space evictions may have cut this sender's tail (only ever after the new transaction).
  const std::size_t chain_length = chains_.at(sender).size();
  QPOW_ASSERT(chain_length > position && chain_length + 1 <= projection.size());
  projection.resize(chain_length + 1);
}

void Mempool::insert_entry(MempoolEntry entry) {
  const Hash256 id = entry.txid;
  const bool chained = chains_[entry.tx.sender].emplace(entry.tx.nonce, id).second;
  QPOW_ASSERT_MSG(chained, "two pending transactions at one (sender, nonce)");
  by_rank_.insert(rank_of(entry));
  bytes_ += entry.size;
  const bool inserted = entries_.emplace(id, std::move(entry)).second;
  QPOW_ASSERT(inserted);
}

MempoolEntry Mempool::erase_entry(const Hash256& txid) {
  const auto it = entries_.find(txid);
  QPOW_ASSERT(it != entries_.end());
  MempoolEntry entry = std::move(it->second);
  entries_.erase(it);
  const std::size_t ranked = by_rank_.erase(rank_of(entry));
  QPOW_ASSERT(ranked == 1);
  const auto chain = chains_.find(entry.tx.sender);
  QPOW_ASSERT(chain != chains_.end());
  const std::size_t unchained = chain->second.erase(entry.tx.nonce);
  QPOW_ASSERT(unchained == 1);
  if (chain->second.empty()) chains_.erase(chain);
  QPOW_ASSERT(bytes_ >= entry.size);
  bytes_ -= entry.size;
  return entry;
}

}  // namespace qpow::chain
