#include "chain/mempool_entry.h"

#include "util/assert.h"

namespace qpow::chain {
namespace {

__extension__ using u128 = unsigned __int128;

}  // namespace

std::weak_ordering compare_fee_rates(const FeeRate& a, const FeeRate& b) {
  QPOW_ASSERT(a.bytes > 0 && b.bytes > 0);
  // a.fee / a.bytes <=> b.fee / b.bytes with both sides multiplied by a.bytes * b.bytes; each
  // product is below 2^128.
  const u128 lhs = static_cast<u128>(a.fee) * b.bytes;
  const u128 rhs = static_cast<u128>(b.fee) * a.bytes;
  if (lhs < rhs) return std::weak_ordering::less;
  if (lhs > rhs) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

bool fee_rate_at_least(const FeeRate& candidate, const FeeRate& base, std::uint32_t bump_percent) {
  QPOW_ASSERT(candidate.bytes > 0 && candidate.bytes <= primitives::kTxBytesMax);
  QPOW_ASSERT(base.bytes > 0 && base.bytes <= primitives::kTxBytesMax);
  // candidate.fee * base.bytes * 100 >= base.fee * candidate.bytes * (100 + bump): at most
  // 2^64 * 2^17 * 2^33 on the right, well inside 128 bits.
  const u128 lhs = static_cast<u128>(candidate.fee) * base.bytes * 100u;
  const u128 rhs = static_cast<u128>(base.fee) * candidate.bytes * (100u + u128{bump_percent});
  return lhs >= rhs;
}

bool entry_fits(const MempoolEntry& entry, const consensus::SenderState& state,
                consensus::AccountKey& key) {
  if (!consensus::check_tx_against_sender(entry.tx, state, key).is_ok()) return false;
  return key == entry.signing_key || consensus::check_tx_signature(entry.tx, key).is_ok();
}

bool ranks_above(const RankKey& a, const RankKey& b) {
  const std::weak_ordering by_rate = compare_fee_rates(a.rate, b.rate);
  if (by_rate != std::weak_ordering::equivalent) return by_rate == std::weak_ordering::greater;
  return a.txid < b.txid;
}

}  // namespace qpow::chain
