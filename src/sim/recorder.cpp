#include "sim/recorder.h"

#include "chain/block_index.h"

namespace qpow::sim {

void Recorder::reset(std::size_t nodes) {
  *this = Recorder();
  tips_.assign(nodes, crypto::Hash256{});
  traffic_.assign(nodes, Traffic{});
}

void Recorder::block_found(std::size_t miner, const primitives::Block& block,
                           std::uint64_t time_us) {
  BlockRecord record;
  record.hash = primitives::block_hash(block.header);
  if (index_.contains(record.hash)) return;  // the same block solved twice cannot happen
  record.parent = block.header.parent;
  record.height = block.header.height;
  record.miner = miner;
  record.found_us = time_us;
  record.tx_count = block.txs.size();
  record.adopted_us.assign(tips_.size(), kNever);
  index_.emplace(record.hash, blocks_.size());
  blocks_.push_back(std::move(record));
}

const BlockRecord* Recorder::find(const crypto::Hash256& hash) const {
  auto it = index_.find(hash);
  return it == index_.end() ? nullptr : &blocks_[it->second];
}

void Recorder::forget_tip(std::size_t node) {
  tips_[node] = crypto::Hash256{};
}

void Recorder::check_tip(std::size_t node, const chain::Chainstate& chain, std::uint64_t time_us) {
  const chain::BlockIndexEntry& tip = chain.tip();
  if (tip.hash == tips_[node]) return;
  const chain::BlockIndexEntry* old =
      tips_[node] == crypto::Hash256{} ? nullptr : chain.find(tips_[node]);
  tips_[node] = tip.hash;
  std::uint64_t stop_height = 0;
  if (old != nullptr) {
    const chain::BlockIndexEntry* fork = chain::BlockIndex::fork_point(old, &tip);
    if (fork != nullptr) {
      stop_height = fork->height();
      if (old->height() > fork->height()) {
        reorgs_.push_back(
            {.time_us = time_us, .node = node, .depth = old->height() - fork->height()});
      }
    }
  }
  // Stamp the newly active blocks, from the tip down to the fork point (or to a block this node
  // adopted before, or genesis, when the previous tip is unknown).
  for (const chain::BlockIndexEntry* e = &tip; e != nullptr && e->height() > stop_height;
       e = e->parent) {
    auto it = index_.find(e->hash);
    if (it == index_.end()) continue;  // not found by a simulated miner (cannot happen)
    std::uint64_t& adopted = blocks_[it->second].adopted_us[node];
    if (adopted != kNever && old == nullptr) break;
    if (adopted == kNever) adopted = time_us;
  }
}

void Recorder::message_sent(std::size_t from, const std::string& command, std::size_t bytes) {
  Traffic& t = traffic_[from];
  ++t.messages_sent;
  t.bytes_sent += bytes;
  auto& entry = by_command_[command];
  ++entry.first;
  entry.second += bytes;
  ++messages_total_;
  bytes_total_ += bytes;
}

void Recorder::message_received(std::size_t to, std::size_t bytes) {
  Traffic& t = traffic_[to];
  ++t.messages_received;
  t.bytes_received += bytes;
}

}  // namespace qpow::sim
