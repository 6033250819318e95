// The node over a scripted in-process network (test_network.h): handshakes, sync from genesis,
// transaction relay, partitions that heal, misbehaving peers, restarts.
#include <gtest/gtest.h>

#include "net/frame.h"
#include "node/node.h"
#include "unit/chain/chain_fixture.h"
#include "unit/node/test_network.h"

namespace qpow::test {
namespace {

using node::LinkKind;

node::NodeConfig no_auto_outbound() {
  node::NodeConfig c;
  c.outbound_full_target = 0;
  c.block_relay_target = 0;
  return c;
}

std::size_t handshaken(const node::Node& n) {
  std::size_t count = 0;
  for (const auto& p : n.peer_info()) count += p.handshake_done ? 1 : 0;
  return count;
}

class NodeNetworkTest : public ::testing::Test {
 protected:
  TestNetwork net;
  Key miner = make_key(0x11);
  Key other = make_key(0x22);

  void connect(std::size_t from, std::size_t to) {
    ASSERT_TRUE(net.node(from).add_node(net.address(to)).is_ok());
    net.pump();
  }
  std::vector<crypto::Hash256> generate(std::size_t i, std::size_t count) {
    auto r = net.node(i).generate(miner.address, count);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    net.pump();
    return r.is_ok() ? *r : std::vector<crypto::Hash256>{};
  }
  const crypto::Hash256& tip(std::size_t i) { return net.node(i).chainstate().tip().hash; }
};

TEST_F(NodeNetworkTest, HandshakeCompletesBothWays) {
  net.add_node(no_auto_outbound());
  net.add_node(no_auto_outbound());
  connect(0, 1);
  EXPECT_EQ(handshaken(net.node(0)), 1u);
  EXPECT_EQ(handshaken(net.node(1)), 1u);
  EXPECT_EQ(net.node(0).peer_info()[0].kind, LinkKind::kManual);
  EXPECT_EQ(net.node(1).peer_info()[0].kind, LinkKind::kInbound);
  // The inbound side learned where the outbound side listens.
  EXPECT_GE(net.node(1).known_addresses(), 1u);
}

TEST_F(NodeNetworkTest, ThreeNodesSyncFromGenesis) {
  for (int i = 0; i < 3; ++i) net.add_node(no_auto_outbound());
  generate(0, 30);
  connect(1, 0);
  connect(2, 1);
  net.advance(2000);
  EXPECT_EQ(net.node(1).chainstate().tip().height(), 30u);
  EXPECT_EQ(tip(2), tip(0));
  EXPECT_FALSE(net.node(2).sync_info().initial_download);
}

TEST_F(NodeNetworkTest, SyncPastOneHeadersBatch) {
  net.add_node(no_auto_outbound());
  net.add_node(no_auto_outbound());
  for (int i = 0; i < 3; ++i) generate(0, 700);  // 2,100 blocks: more than one headers message
  connect(1, 0);
  net.advance(5000);
  EXPECT_EQ(tip(1), tip(0));
}

TEST_F(NodeNetworkTest, NewBlocksPropagate) {
  for (int i = 0; i < 3; ++i) net.add_node(no_auto_outbound());
  connect(0, 1);
  connect(1, 2);
  generate(2, 3);
  EXPECT_EQ(tip(0), tip(2));
  EXPECT_EQ(net.node(0).chainstate().tip().height(), 3u);
}

TEST_F(NodeNetworkTest, TransactionReachesEveryMempoolAndIsMined) {
  for (int i = 0; i < 3; ++i) net.add_node(no_auto_outbound());
  connect(0, 1);
  connect(1, 2);
  const Key dev = dev_key();
  const primitives::Transaction tx = transfer(dev, other.address, 5 * consensus::kCoin, 0, true);
  auto r = net.node(0).submit_transaction(tx);
  ASSERT_TRUE(r.is_ok());
  ASSERT_TRUE(r->accepted()) << r->to_string();
  net.pump();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(net.node(i).mempool().contains(r->txid)) << i;
  generate(2, 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(net.node(i).mempool().size(), 0u) << i;
    auto account = net.node(i).chainstate().account(other.address);
    ASSERT_TRUE(account.is_ok());
    ASSERT_TRUE(account->has_value());
    EXPECT_EQ((*account)->balance, 5 * consensus::kCoin);
  }
}

TEST_F(NodeNetworkTest, PartitionHealsOnTheMostWorkChain) {
  for (int i = 0; i < 4; ++i) net.add_node(no_auto_outbound());
  connect(0, 1);
  connect(2, 3);
  connect(1, 2);
  generate(0, 2);
  ASSERT_EQ(tip(3), tip(0));
  // Split {0,1} | {2,3}.
  ASSERT_TRUE(net.node(1).disconnect_node(net.address(2)).is_ok());
  net.pump();
  generate(0, 3);
  generate(3, 6);
  EXPECT_NE(tip(0), tip(3));
  connect(1, 2);
  net.advance(2000);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(tip(i), tip(3)) << i;
    EXPECT_EQ(net.node(i).chainstate().tip().height(), 8u);
  }
}

TEST_F(NodeNetworkTest, NetworkOffThenOnReconnectsManualPeers) {
  net.add_node(no_auto_outbound());
  net.add_node(no_auto_outbound());
  connect(0, 1);
  net.node(0).set_network_active(false);
  net.pump();
  EXPECT_EQ(handshaken(net.node(0)), 0u);
  EXPECT_EQ(handshaken(net.node(1)), 0u);
  generate(1, 4);
  net.node(0).set_network_active(true);
  net.advance(3000);
  EXPECT_EQ(handshaken(net.node(0)), 1u);
  EXPECT_EQ(tip(0), tip(1));
}

TEST_F(NodeNetworkTest, GarbageBytesGetThePeerBannedOthersUnaffected) {
  net.add_node(no_auto_outbound());
  net.add_node(no_auto_outbound());
  connect(1, 0);
  const net::PeerAddress evil = net::ipv4_address(192, 0, 2, 7, 5555);
  const node::PeerId id = net.open_raw(0, evil);
  net.send_raw(0, id, util::Bytes(64, 0xab));
  EXPECT_TRUE(net.raw_closed);
  auto bans = net.node(0).banned();
  ASSERT_EQ(bans.size(), 1u);
  EXPECT_EQ(bans[0].first, evil.host_only());
  EXPECT_EQ(net.node(0).counters().peers_banned, 1u);
  // The banned host is refused at once when it comes back.
  net.open_raw(0, evil);
  net.pump();
  EXPECT_TRUE(net.raw_closed);
  // The honest peer still works.
  generate(1, 2);
  EXPECT_EQ(tip(0), tip(1));
  EXPECT_EQ(handshaken(net.node(0)), 1u);
}

TEST_F(NodeNetworkTest, MessagesBeforeTheHandshakeCostScore) {
  net.add_node(no_auto_outbound());
  const net::PeerAddress peer = net::ipv4_address(192, 0, 2, 8, 5555);
  const node::PeerId id = net.open_raw(0, peer);
  const auto magic = net::network_magic(net.params.network);
  net.send_raw(0, id, net::encode_frame(magic, net::PingMsg{1}));
  ASSERT_EQ(net.node(0).peer_info().size(), 1u);
  EXPECT_GT(net.node(0).peer_info()[0].misbehavior, 0u);
  EXPECT_FALSE(net.raw_closed);
}

TEST_F(NodeNetworkTest, WrongChainIsDisconnectedNotBanned) {
  net.add_node(no_auto_outbound());
  const net::PeerAddress peer = net::ipv4_address(192, 0, 2, 9, 5555);
  const node::PeerId id = net.open_raw(0, peer);
  net::VersionMsg v;
  v.chain_id = net.params.chain_id + 1;
  v.nonce = 42;
  net.send_raw(0, id, net::encode_frame(net::network_magic(net.params.network), v));
  EXPECT_TRUE(net.raw_closed);
  EXPECT_TRUE(net.node(0).banned().empty());
}

TEST_F(NodeNetworkTest, HandshakeTimesOut) {
  net.add_node(no_auto_outbound());
  net.open_raw(0, net::ipv4_address(192, 0, 2, 10, 5555));
  net.advance(11'000);
  EXPECT_TRUE(net.raw_closed);
}

TEST_F(NodeNetworkTest, InvalidBlockFromPeerBansIt) {
  net.add_node(no_auto_outbound());
  const net::PeerAddress peer = net::ipv4_address(192, 0, 2, 11, 5555);
  const node::PeerId id = net.open_raw(0, peer);
  const auto magic = net::network_magic(net.params.network);
  net::VersionMsg v;
  v.chain_id = net.params.chain_id;
  v.nonce = 43;
  net.send_raw(0, id, net::encode_frame(magic, v));
  net.send_raw(0, id, net::encode_frame(magic, net::VerackMsg{}));
  ASSERT_EQ(handshaken(net.node(0)), 1u);
  // A block whose header does not meet its target.
  auto tmpl = net.node(0).block_template(miner.address);
  ASSERT_TRUE(tmpl.is_ok());
  primitives::Block block = tmpl->block;
  const auto& params = net.params;
  while (consensus::check_pow(block.header, params).is_ok()) ++block.header.nonce;
  net.send_raw(0, id, net::encode_frame(magic, net::BlockMsg{block}));
  EXPECT_TRUE(net.raw_closed);
  EXPECT_EQ(net.node(0).banned().size(), 1u);
}

TEST_F(NodeNetworkTest, SelfConnectionIsDropped) {
  net.add_node(no_auto_outbound());
  ASSERT_TRUE(net.node(0).add_node(net.address(0)).is_ok());
  net.advance(1000);
  EXPECT_EQ(handshaken(net.node(0)), 0u);
}

TEST_F(NodeNetworkTest, AutomaticOutboundFillsFromTheAddressBook) {
  node::NodeConfig wide;
  wide.outbound_full_target = 3;
  wide.block_relay_target = 1;
  for (int i = 0; i < 6; ++i) net.add_node(no_auto_outbound());
  // Node 6 learns of the others by gossip from node 0.
  for (int i = 1; i < 6; ++i) connect(static_cast<std::size_t>(i), 0);
  net.add_node(wide);
  connect(6, 0);
  net.advance(10'000);
  std::size_t full = 0, block_only = 0;
  for (const auto& p : net.node(6).peer_info()) {
    full += p.kind == LinkKind::kOutboundFull && p.handshake_done ? 1 : 0;
    block_only += p.kind == LinkKind::kBlockRelayOnly && p.handshake_done ? 1 : 0;
  }
  EXPECT_EQ(full, 3u);
  EXPECT_EQ(block_only, 1u);
}

TEST_F(NodeNetworkTest, RestartKeepsBansAndAddresses) {
  net.add_node(no_auto_outbound());
  net.add_node(no_auto_outbound());
  connect(1, 0);
  const net::PeerAddress evil = net::ipv4_address(192, 0, 2, 12, 5555);
  net.send_raw(0, net.open_raw(0, evil), util::Bytes(30, 0));
  const std::size_t known = net.node(0).known_addresses();
  ASSERT_GE(known, 1u);
  generate(0, 3);
  node::Node& again = net.restart(0, no_auto_outbound());
  EXPECT_EQ(again.banned().size(), 1u);
  EXPECT_EQ(again.known_addresses(), known);
  EXPECT_EQ(again.chainstate().tip().height(), 3u);
}

TEST_F(NodeNetworkTest, MinerNodeSubmitsWorkAndAcceptsItsBlock) {
  node::NodeConfig c = no_auto_outbound();
  c.mine = true;
  c.miner_address = miner.address;
  net.add_node(c);
  ASSERT_TRUE(net.env(0).work_.has_value());
  mining::BlockTemplate tmpl = *net.env(0).work_;
  primitives::Block block = tmpl.block;
  while (!consensus::check_pow(block.header, net.params).is_ok()) ++block.header.nonce;
  net.node(0).on_block_found(block);
  EXPECT_EQ(net.node(0).chainstate().tip().height(), 1u);
  EXPECT_EQ(net.node(0).mining_info().blocks_mined, 1u);
  // New work on the new tip.
  ASSERT_TRUE(net.env(0).work_.has_value());
  EXPECT_EQ(net.env(0).work_->block.header.height, 2u);
}

TEST_F(NodeNetworkTest, PacedMinerWaitsBetweenBlocks) {
  node::NodeConfig c = no_auto_outbound();
  c.mine = true;
  c.miner_address = miner.address;
  c.mine_pace_ms = 2000;
  net.add_node(c);
  ASSERT_TRUE(net.env(0).work_.has_value());
  primitives::Block block = net.env(0).work_->block;
  while (!consensus::check_pow(block.header, net.params).is_ok()) ++block.header.nonce;
  net.node(0).on_block_found(block);
  // Work stops until the pace has passed, then resumes on the new tip.
  EXPECT_FALSE(net.env(0).work_.has_value());
  net.advance(1500);
  EXPECT_FALSE(net.env(0).work_.has_value());
  net.advance(600);
  ASSERT_TRUE(net.env(0).work_.has_value());
  EXPECT_EQ(net.env(0).work_->block.header.height, 2u);
}

TEST_F(NodeNetworkTest, GenerateRefusesBadCounts) {
  net.add_node(no_auto_outbound());
  EXPECT_FALSE(net.node(0).generate(miner.address, 0).is_ok());
  EXPECT_FALSE(net.node(0).generate(miner.address, node::kGenerateCountMax + 1).is_ok());
}

}  // namespace
}  // namespace qpow::test
