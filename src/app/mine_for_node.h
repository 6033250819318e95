// Internal to the app layer: `qpow mine` for a running node, over its JSON-RPC (rpc_client.h).
//
// Each round asks the node for a template (getblocktemplate), searches it on a thread pool while
// the calling thread polls the node's tip (getbestblockhash, every kTipPollMs), and submits a
// solved block (submitblock). A search is abandoned for a fresh template when the tip moves (the
// work would be stale) or when the template is kTemplateRefreshMs old (new transactions, a newer
// time). A block counts when the node accepted it and made it its tip; one that lost a race to
// another block is noted on the error stream and mining goes on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "app/rpc_client.h"
#include "mining/nonce_search.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/network.h"
#include "util/status.h"

namespace qpow::app {

inline constexpr std::uint64_t kTipPollMs = 1'000;
inline constexpr std::uint64_t kTemplateRefreshMs = 30'000;
// A tip poll is small; one that takes longer than this means the node is in trouble.
inline constexpr std::uint64_t kTipPollTimeoutMs = 10'000;

struct NodeMiningSetup {
  RpcEndpoint endpoint;
  primitives::Network network = primitives::Network::kRegtest;
  std::optional<primitives::Address> miner;  // unset: the node's own miner address
  std::unique_ptr<mining::NonceSearch> search;
  std::size_t threads = 1;
  std::uint64_t blocks = 1;
};

// Mines setup.blocks blocks for the node, printing mined_block_line() for each on `out`. Errors:
// the node cannot be reached or answers nonsense, runs another network than setup.network,
// refuses a solved block, or a thread cannot be started.
util::Status mine_for_node(NodeMiningSetup& setup, std::ostream& out, std::ostream& err);

// "height=1 hash=<64 hex> nonce=5 hashes=6 seconds=0.000412 hashes_per_second=14563".
std::string mined_block_line(const primitives::Block& block, std::uint64_t hashes, double seconds);

}  // namespace qpow::app
