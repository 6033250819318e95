// The node's Prometheus metrics (GET /metrics), rendered in the text exposition format 0.0.4 by
// prometheus-cpp's core library. Every name starts with "qpow_"; counters end in "_total".
// Values are copied out of the node first (NodeAccess), so rendering never touches the node.
#pragma once

#include <cstddef>
#include <string>

#include "chain/mempool.h"
#include "node/node.h"
#include "node/node_access.h"
#include "util/result.h"

namespace qpow::http {

struct MetricsSnapshot {
  node::NodeCounters counters{};
  node::SyncInfo sync{};
  node::MiningInfo mining{};
  std::size_t peers = 0;
  chain::MempoolInfo mempool{};
};

std::string render_metrics(const MetricsSnapshot& snapshot);

// Takes a snapshot on the node's thread (node::kDefaultNodeCallTimeoutMs) and renders it: what
// ServerHooks::metrics_text of a node's server calls. Errors: those of NodeAccess::call.
util::Result<std::string> node_metrics_text(node::NodeAccess& access);

}  // namespace qpow::http
