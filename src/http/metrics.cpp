#include "http/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace qpow::http {
namespace {

// Doubles hold integers exactly up to 2^53, which no counter here reaches.
void add_counter(prometheus::Registry& registry, const std::string& name, const std::string& help,
                 std::uint64_t value) {
  prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({}).Increment(
      static_cast<double>(value));
}

void add_gauge(prometheus::Registry& registry, const std::string& name, const std::string& help,
               double value) {
  prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({}).Set(value);
}

void add_counters(prometheus::Registry& r, const node::NodeCounters& c) {
  add_counter(r, "qpow_blocks_connected_total", "Blocks connected as new tips", c.blocks_connected);
  add_counter(r, "qpow_blocks_mined_total", "Blocks this node mined", c.blocks_mined);
  add_counter(r, "qpow_blocks_invalid_total", "Blocks found invalid", c.blocks_invalid);
  add_counter(r, "qpow_txs_accepted_total", "Transactions admitted to the mempool", c.txs_accepted);
  add_counter(r, "qpow_txs_rejected_total", "Transactions refused by the mempool", c.txs_rejected);
  add_counter(r, "qpow_peers_banned_total", "Peers banned for misbehaviour", c.peers_banned);
  add_counter(r, "qpow_messages_received_total", "P2P messages received", c.messages_received);
  add_counter(r, "qpow_messages_sent_total", "P2P messages sent", c.messages_sent);
}

void add_gauges(prometheus::Registry& r, const MetricsSnapshot& s) {
  add_gauge(r, "qpow_tip_height", "Height of the active chain's tip",
            static_cast<double>(s.sync.tip_height));
  add_gauge(r, "qpow_best_header_height", "Height of the most-work header known",
            static_cast<double>(s.sync.best_header_height));
  add_gauge(r, "qpow_initial_block_download", "1 while the node is far behind the best header",
            s.sync.initial_download ? 1 : 0);
  add_gauge(r, "qpow_sync_progress", "Tip height over best header height (0..1)", s.sync.progress);
  add_gauge(r, "qpow_blocks_in_flight", "Blocks requested from peers and not yet received",
            static_cast<double>(s.sync.blocks_in_flight));
  add_gauge(r, "qpow_peers", "Connected peers", static_cast<double>(s.peers));
  add_gauge(r, "qpow_mining", "1 while this node mines", s.mining.mining ? 1 : 0);
  add_gauge(r, "qpow_hashes_per_second", "Recent qhash rate of this node's miners",
            s.mining.hashes_per_second);
  add_gauge(r, "qpow_mempool_transactions", "Transactions in the mempool",
            static_cast<double>(s.mempool.count));
  add_gauge(r, "qpow_mempool_bytes", "Encoded bytes of the mempool's transactions",
            static_cast<double>(s.mempool.bytes));
  add_gauge(r, "qpow_mempool_bytes_max", "The mempool's byte limit",
            static_cast<double>(s.mempool.bytes_max));
  add_gauge(r, "qpow_mempool_transactions_max", "The mempool's transaction count limit",
            static_cast<double>(s.mempool.count_max));
}

}  // namespace

std::string render_metrics(const MetricsSnapshot& snapshot) {
  // A fresh registry per scrape: the values are a snapshot, nothing accumulates here.
  prometheus::Registry registry;
  add_counters(registry, snapshot.counters);
  add_gauges(registry, snapshot);
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

util::Result<std::string> node_metrics_text(node::NodeAccess& access) {
  MetricsSnapshot snapshot;
  QPOW_RETURN_IF_ERROR(access.call(
      [&snapshot](node::Node& node) {
        snapshot.counters = node.counters();
        snapshot.sync = node.sync_info();
        snapshot.mining = node.mining_info();
        snapshot.peers = node.peer_info().size();
        snapshot.mempool = node.mempool().info();
      },
      node::kDefaultNodeCallTimeoutMs));
  return render_metrics(snapshot);
}

}  // namespace qpow::http
