// Recorder: what a simulation measures while it runs. The network reports every found block,
// every message and, after every event a node handled, the node's tip; the recorder turns that
// into block records (who found it when, and when each node adopted it as part of its active
// chain), reorganisations, message and byte counts, and per-node traffic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "chain/chainstate.h"
#include "crypto/sha3.h"
#include "primitives/block.h"

namespace qpow::sim {

inline constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

struct BlockRecord {
  crypto::Hash256 hash{};
  crypto::Hash256 parent{};
  std::uint64_t height = 0;
  std::size_t miner = 0;
  std::uint64_t found_us = 0;
  std::size_t tx_count = 0;  // without the miner's reward (there is no coinbase transaction)
  std::vector<std::uint64_t> adopted_us;  // per node: first time in its active chain, or kNever
};

struct Reorg {
  std::uint64_t time_us = 0;
  std::size_t node = 0;
  std::uint64_t depth = 0;  // blocks disconnected
};

struct Traffic {
  std::uint64_t messages_sent = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t messages_received = 0;
  std::uint64_t bytes_received = 0;
};

class Recorder {
 public:
  void reset(std::size_t nodes);

  void block_found(std::size_t miner, const primitives::Block& block, std::uint64_t time_us);
  // Called after node i handled an event: notes a new tip, the blocks it adopted and any reorg.
  void check_tip(std::size_t node, const chain::Chainstate& chain, std::uint64_t time_us);
  // Forgets node i's remembered tip (it crashed; its next tip is compared afresh).
  void forget_tip(std::size_t node);
  void message_sent(std::size_t from, const std::string& command, std::size_t bytes);
  void message_received(std::size_t to, std::size_t bytes);

  const std::vector<BlockRecord>& blocks() const { return blocks_; }
  const BlockRecord* find(const crypto::Hash256& hash) const;
  const std::vector<Reorg>& reorgs() const { return reorgs_; }
  const std::vector<Traffic>& traffic() const { return traffic_; }
  // Messages and bytes sent, by command.
  const std::map<std::string, std::pair<std::uint64_t, std::uint64_t>>& by_command() const {
    return by_command_;
  }
  std::uint64_t messages_total() const { return messages_total_; }
  std::uint64_t bytes_total() const { return bytes_total_; }

 private:
  std::vector<BlockRecord> blocks_;
  std::map<crypto::Hash256, std::size_t> index_;
  std::vector<crypto::Hash256> tips_;  // per node; all zero when unknown
  std::vector<Reorg> reorgs_;
  std::vector<Traffic> traffic_;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_command_;
  std::uint64_t messages_total_ = 0;
  std::uint64_t bytes_total_ = 0;
};

}  // namespace qpow::sim
