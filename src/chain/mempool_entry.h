// One pending transaction of the mempool, and the exact fee-rate arithmetic that orders them.
//
// A fee rate is fee / encoded size. Rates are compared by integer cross-multiplication in 128
// bits, never as floating point, so every node orders the same transactions the same way
// (DESIGN §1: no floating point in consensus layers). The pool's total order ranks a higher fee
// rate first and breaks equal rates by the lower txid, so nothing depends on insertion order.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

#include "consensus/tx_rules.h"
#include "crypto/sha3.h"
#include "primitives/transaction.h"

namespace qpow::chain {

using crypto::Hash256;

struct FeeRate {
  std::uint64_t fee = 0;
  std::uint64_t bytes = 1;  // > 0
};

// fee_a / bytes_a against fee_b / bytes_b, exactly. Equivalent rates (1/2 and 2/4) compare
// equivalent, hence a weak ordering.
std::weak_ordering compare_fee_rates(const FeeRate& a, const FeeRate& b);

// True if `candidate` is at least `base` raised by bump_percent percent:
// candidate.fee / candidate.bytes >= base.fee / base.bytes * (100 + bump_percent) / 100.
// Both sizes must be at most primitives::kTxBytesMax (so the products fit in 128 bits).
bool fee_rate_at_least(const FeeRate& candidate, const FeeRate& base, std::uint32_t bump_percent);

struct MempoolEntry {
  primitives::Transaction tx;
  Hash256 txid{};
  std::size_t size = 0;  // tx_size(tx)
  // A key the witness signature is known to verify under. When a later state makes another key
  // the signing key (a reorg, a replaced rotation), the signature is verified again.
  consensus::AccountKey signing_key;

  FeeRate fee_rate() const { return FeeRate{.fee = tx.fee, .bytes = size}; }
};

// True if `entry` is valid as the sender's next transaction in `state`: the consensus rules
// against the sender, and the signature, verified again only when the signing key differs from
// the one it was verified under. Sets key to the signing key.
bool entry_fits(const MempoolEntry& entry, const consensus::SenderState& state,
                consensus::AccountKey& key);

// The position of an entry in the pool's total order.
struct RankKey {
  FeeRate rate;
  Hash256 txid{};
};

// True if a ranks above b: a higher fee rate, or an equal rate and a lower txid.
bool ranks_above(const RankKey& a, const RankKey& b);

// Orders a std::set of RankKeys lowest rank first: begin() is the first to evict.
struct LowestRankFirst {
  bool operator()(const RankKey& a, const RankKey& b) const { return ranks_above(b, a); }
};

inline RankKey rank_of(const MempoolEntry& e) {
  return RankKey{.rate = e.fee_rate(), .txid = e.txid};
}

}  // namespace qpow::chain
