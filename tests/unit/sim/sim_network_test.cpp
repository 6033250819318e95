// SimNetwork: real nodes over simulated links, with exact link timing, partitions, crashes and
// reproducible runs.
#include "sim/sim_network.h"

#include <variant>

#include <gtest/gtest.h>

#include "sim/simulation.h"

namespace qpow::sim {
namespace {

consensus::ChainParams test_params() {
  consensus::ChainParams p = consensus::chain_params(primitives::Network::kRegtest);
  p.genesis_bits = kSimGenesisBits;
  p.target_spacing_s = 10;
  p.asert_half_life_s = 3600;
  p.genesis_allocations.clear();
  return p;
}

// n nodes, node i links to every j > i; node 0 mines unless told otherwise.
SimNetworkConfig full_mesh(std::size_t n, double miner_power = 1) {
  SimNetworkConfig c;
  c.params = test_params();
  c.start_ms = (c.params.genesis_time + 600) * 1000;
  c.link.latency_median_ms = 100;
  c.link.latency_sigma = 0;
  c.link.latency_min_ms = 0;
  c.node_config.outbound_full_target = 0;
  c.node_config.block_relay_target = 0;
  c.nodes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) c.nodes[i].connect_to.push_back(j);
  }
  c.nodes[0].power = miner_power;
  c.seed = 5;
  return c;
}

constexpr std::uint64_t kSecond = 1'000'000;

class Arrivals final : public NodeHooks {
 public:
  bool on_receive(SimNetwork& net, std::size_t, node::PeerId, const net::Message& m) override {
    log.emplace_back(net.scheduler().now_us(), m);
    return true;
  }
  std::vector<std::pair<std::uint64_t, net::Message>> log;
};

TEST(SimNetwork, ConnectionTakesARoundTripAndMessagesPayLatencyPlusBandwidth) {
  SimNetworkConfig c = full_mesh(2, 0);
  c.link.bandwidth_mbps = 1;  // one byte per 8 microseconds
  auto net = SimNetwork::create(c);
  ASSERT_TRUE(net.is_ok()) << net.status().to_string();
  auto arrivals = std::make_shared<Arrivals>();
  (*net)->set_hooks(1, arrivals);
  (*net)->run_until(2 * kSecond);
  ASSERT_FALSE(arrivals->log.empty());
  // Connected after one round trip (200 ms); node 0's version then crosses the link.
  const auto& [time, first] = arrivals->log.front();
  ASSERT_TRUE(std::holds_alternative<net::VersionMsg>(first));
  const std::size_t bytes = net::encode_frame(net::network_magic(c.params.network), first).size();
  EXPECT_EQ(time, 200'000 + bytes * 8 + 100'000);
  EXPECT_EQ((*net)->connections_of(0).size(), 1u);
  EXPECT_EQ((*net)->connections_of(1).size(), 1u);
}

TEST(SimNetwork, MinedBlocksCarryRealProofOfWorkAndReachEveryNode) {
  auto net = SimNetwork::create(full_mesh(4));
  ASSERT_TRUE(net.is_ok());
  SimNetwork& n = **net;
  n.run_until(600 * kSecond);
  const auto& blocks = n.recorder().blocks();
  // About one block per 10 s: far more than 20 in 600 s, far fewer than 200.
  EXPECT_GT(blocks.size(), 20u);
  EXPECT_LT(blocks.size(), 200u);
  n.set_mining_paused(0, true);
  n.run_until(620 * kSecond);
  const crypto::Hash256 tip = n.node(0)->chainstate().tip().hash;
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(n.node(i)->chainstate().tip().hash, tip);
  for (const BlockRecord& b : blocks) {
    EXPECT_EQ(b.miner, 0u);
    for (std::size_t i = 1; i < 4; ++i) EXPECT_NE(b.adopted_us[i], kNever);
  }
  EXPECT_GT(n.hash_rate(0), 0);
  EXPECT_EQ(n.hash_rate(1), 0);
}

TEST(SimNetwork, PartitionSeversAndHealReconnects) {
  auto net = SimNetwork::create(full_mesh(4));
  ASSERT_TRUE(net.is_ok());
  SimNetwork& n = **net;
  n.run_until(10 * kSecond);
  EXPECT_EQ(n.connections_of(0).size(), 3u);
  n.partition({1, 1, 2, 2});
  n.run_until(20 * kSecond);
  ASSERT_EQ(n.connections_of(0).size(), 1u);
  EXPECT_EQ(n.connections_of(0).front().second, 1u);
  EXPECT_EQ(n.connections_of(2).size(), 1u);
  // Group 2 has no miner: its tip stays while group 1's grows.
  n.run_until(300 * kSecond);
  EXPECT_GT(n.node(0)->chainstate().tip().height(), n.node(2)->chainstate().tip().height());
  n.heal();
  n.set_mining_paused(0, true);
  n.run_until(700 * kSecond);  // back-off is at most five minutes
  EXPECT_EQ(n.connections_of(0).size(), 3u);
  EXPECT_EQ(n.node(2)->chainstate().tip().hash, n.node(0)->chainstate().tip().hash);
}

TEST(SimNetwork, CrashKeepsOrLosesStateAndTheNodeCatchesUp) {
  auto net = SimNetwork::create(full_mesh(3));
  ASSERT_TRUE(net.is_ok());
  SimNetwork& n = **net;
  n.run_until(200 * kSecond);
  const std::uint64_t height = n.node(2)->chainstate().tip().height();
  ASSERT_GT(height, 0u);
  n.crash(2);
  EXPECT_FALSE(n.up(2));
  EXPECT_EQ(n.node(2), nullptr);
  n.run_until(201 * kSecond);
  EXPECT_EQ(n.connections_of(0).size(), 1u);  // node 0 heard of the crash
  ASSERT_TRUE(n.restart(2, true).is_ok());
  EXPECT_GE(n.node(2)->chainstate().tip().height(), height);  // kept its chain
  n.crash(2);
  ASSERT_TRUE(n.restart(2, false).is_ok());
  EXPECT_EQ(n.node(2)->chainstate().tip().height(), 0u);  // a fresh store
  n.set_mining_paused(0, true);
  n.run_until(320 * kSecond);
  EXPECT_EQ(n.node(2)->chainstate().tip().hash, n.node(0)->chainstate().tip().hash);
}

TEST(SimNetwork, SameSeedSameEventLogOtherSeedOther) {
  auto run = [](std::uint64_t seed) {
    SimNetworkConfig c = full_mesh(4);
    c.seed = seed;
    c.link.latency_sigma = 0.5;
    c.link.loss = 0.05;
    c.nodes[1].power = 2;
    auto net = SimNetwork::create(c);
    EXPECT_TRUE(net.is_ok());
    (*net)->run_until(300 * kSecond);
    return (*net)->event_log_hash();
  };
  const crypto::Hash256 a = run(1);
  EXPECT_EQ(a, run(1));
  EXPECT_NE(a, run(2));
}

TEST(SimNetwork, RejectsBadConfigurations) {
  SimNetworkConfig c = full_mesh(2);
  c.nodes[0].connect_to = {5};
  EXPECT_FALSE(SimNetwork::create(c).is_ok());
  c.nodes[0].connect_to = {0};
  EXPECT_FALSE(SimNetwork::create(c).is_ok());
  SimNetworkConfig big = full_mesh(2);
  big.nodes.resize(kSimNodesMax + 1);
  EXPECT_EQ(SimNetwork::create(big).status().code(), util::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace qpow::sim
