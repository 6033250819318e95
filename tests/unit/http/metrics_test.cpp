// /metrics text: names, types and values in the Prometheus text format 0.0.4.
#include "http/metrics.h"

#include <string>

#include <gtest/gtest.h>

namespace qpow::http {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, RendersEveryValueUnderQpowNames) {
  MetricsSnapshot s;
  s.counters.blocks_connected = 12;
  s.counters.txs_rejected = 3;
  s.sync.tip_height = 42;
  s.sync.best_header_height = 50;
  s.sync.initial_download = false;
  s.mining.mining = true;
  s.mining.hashes_per_second = 1500.5;
  s.peers = 7;
  s.mempool.count = 9;
  s.mempool.bytes = 12345;
  const std::string text = render_metrics(s);
  EXPECT_TRUE(has_line(text, "# TYPE qpow_blocks_connected_total counter")) << text;
  EXPECT_TRUE(has_line(text, "qpow_blocks_connected_total 12")) << text;
  EXPECT_TRUE(has_line(text, "qpow_txs_rejected_total 3")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE qpow_tip_height gauge")) << text;
  EXPECT_TRUE(has_line(text, "qpow_tip_height 42")) << text;
  EXPECT_TRUE(has_line(text, "qpow_best_header_height 50")) << text;
  EXPECT_TRUE(has_line(text, "qpow_initial_block_download 0")) << text;
  EXPECT_TRUE(has_line(text, "qpow_mining 1")) << text;
  EXPECT_TRUE(has_line(text, "qpow_hashes_per_second 1500.5")) << text;
  EXPECT_TRUE(has_line(text, "qpow_peers 7")) << text;
  EXPECT_TRUE(has_line(text, "qpow_mempool_transactions 9")) << text;
  EXPECT_TRUE(has_line(text, "qpow_mempool_bytes 12345")) << text;
  // Every sample line names a qpow_ metric.
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (!line.empty() && line[0] != '#') {
      EXPECT_EQ(line.rfind("qpow_", 0), 0u) << line;
    }
    start = end == std::string::npos ? text.size() : end + 1;
  }
}

class UnavailableNode final : public node::NodeAccess {
 public:
  util::Status call(const std::function<void(node::Node&)>&, std::uint64_t) override {
    return util::Status::unavailable("node stopping");
  }
};

TEST(Metrics, NodeMetricsFailWhenTheNodeIsUnavailable) {
  UnavailableNode access;
  const auto text = node_metrics_text(access);
  ASSERT_FALSE(text.is_ok());
  EXPECT_EQ(text.status().code(), util::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace qpow::http
