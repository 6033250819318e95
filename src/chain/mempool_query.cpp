// Read-only views of the pool: lookups, the deterministic listing, and block-template selection.
#include <queue>

#include "chain/mempool.h"

namespace qpow::chain {

std::vector<primitives::Transaction> Mempool::select(std::size_t bytes_max,
                                                     std::size_t count_max) const {
  using ChainIt = std::map<std::uint64_t, Hash256>::const_iterator;
  // Each sender's next eligible transaction. Chains are per sender, so a transaction's only
  // ancestors are its sender's lower nonces and the frontier of one cursor per sender is exact.
  struct Cursor {
    RankKey rank;
    ChainIt next;
    ChainIt end;
  };
  const auto ranks_lower = [](const Cursor& a, const Cursor& b) {
    return ranks_above(b.rank, a.rank);
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(ranks_lower)> frontier(ranks_lower);
  const auto cursor_at = [this](ChainIt it, ChainIt end) {
    return Cursor{.rank = rank_of(entries_.at(it->second)), .next = it, .end = end};
  };
  for (const auto& [sender, chain] : chains_) {
    frontier.push(cursor_at(chain.begin(), chain.end()));
  }

  std::vector<primitives::Transaction> selected;
  std::size_t used = 0;
  while (!frontier.empty() && selected.size() < count_max) {
    Cursor cursor = frontier.top();
    frontier.pop();
    const MempoolEntry& entry = entries_.at(cursor.next->second);
    // Too big for what is left: this sender's later nonces cannot follow it either.
    if (entry.size > bytes_max - used) continue;
    selected.push_back(entry.tx);
    used += entry.size;
    if (++cursor.next != cursor.end) frontier.push(cursor_at(cursor.next, cursor.end));
  }
  return selected;
}

const primitives::Transaction* Mempool::get(const Hash256& txid) const {
  const auto it = entries_.find(txid);
  return it == entries_.end() ? nullptr : &it->second.tx;
}

std::vector<primitives::Transaction> Mempool::pending_for(const primitives::Address& sender) const {
  std::vector<primitives::Transaction> txs;
  const auto chain = chains_.find(sender);
  if (chain == chains_.end()) return txs;
  for (const auto& [nonce, id] : chain->second) txs.push_back(entries_.at(id).tx);
  return txs;
}

std::vector<Hash256> Mempool::txids() const {
  std::vector<Hash256> ids;
  ids.reserve(by_rank_.size());
  for (auto it = by_rank_.rbegin(); it != by_rank_.rend(); ++it) ids.push_back(it->txid);
  return ids;
}

MempoolInfo Mempool::info() const {
  MempoolInfo info{.count = entries_.size(),
                   .bytes = bytes_,
                   .count_max = limits_.count_max,
                   .bytes_max = limits_.bytes_max,
                   .min_fee_rate = std::nullopt};
  if (!by_rank_.empty()) info.min_fee_rate = by_rank_.begin()->rate;
  return info;
}

}  // namespace qpow::chain
