// `qpow mine` for a running node (app/mine_for_node.h) against a toy node: a real
// http::RpcServer whose getblocktemplate hands out blocks the test builds. Checked: a template
// whose tip moves away is abandoned for a new one, the solved block is submitted and printed, a
// block that loses its race is noted and mining goes on, and the node's refusals and a network
// mismatch end the run with an error.
#include "app/mine_for_node.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "consensus/chain_params.h"
#include "consensus/compact_target.h"
#include "consensus/pow.h"
#include "http/json_rpc.h"
#include "http/rpc_auth.h"
#include "http/rpc_server.h"
#include "mining/nonce_search.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using nlohmann::json;

constexpr auto kRegtest = primitives::Network::kRegtest;
// Target 1: no search will ever meet it, so only a new tip ends it.
constexpr std::uint32_t kImpossibleBits = 0x03000001;

primitives::Block block_on(std::uint8_t parent_tag, std::uint32_t bits, std::uint64_t height) {
  primitives::Block block;
  block.header.chain_id = primitives::chain_id(kRegtest);
  block.header.height = height;
  block.header.bits = bits;
  block.header.parent.fill(parent_tag);
  return block;
}

std::string hex_of(const crypto::Hash256& hash) {
  return util::to_hex(hash);
}

class MineForNode : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher_.add("getblockchaininfo", [this](const json&) -> http::RpcResult {
      return json{{"chain", chain_}};
    });
    dispatcher_.add("getblocktemplate", [this](const json&) -> http::RpcResult {
      const std::lock_guard lock(mutex_);
      const std::size_t i = std::min(templates_served_++, templates_.size() - 1);
      return json{{"hex", util::to_hex(primitives::encode_block(templates_[i]))}};
    });
    dispatcher_.add("getbestblockhash", [this](const json&) -> http::RpcResult {
      const std::lock_guard lock(mutex_);
      return json(tip_);
    });
    dispatcher_.add("submitblock", [this](const json& params) -> http::RpcResult {
      const std::lock_guard lock(mutex_);
      auto block = primitives::decode_block(*util::from_hex(params.at(0).get<std::string>()));
      EXPECT_TRUE(block.is_ok());
      if (block.is_ok()) submitted_.push_back(*block);
      return submit_answer_;
    });
    dispatcher_.add("getblockheader", [this](const json&) -> http::RpcResult {
      const std::lock_guard lock(mutex_);
      const std::size_t i = std::min(submitted_.size() - 1, confirmations_.size() - 1);
      return json{{"confirmations", confirmations_[i]}};
    });
    auto started = http::RpcServer::start({}, dispatcher_, {});
    ASSERT_TRUE(started.is_ok()) << started.status().to_string();
    server_ = std::move(started).value();
  }

  util::Status mine(std::uint64_t blocks) {
    NodeMiningSetup setup;
    setup.endpoint = {.host = "127.0.0.1",
                      .port = server_->port(),
                      .user = std::string(http::kCookieUser),
                      .password = server_->cookie_secret()};
    setup.network = kRegtest;
    setup.search = mining::make_linear_search();
    setup.threads = 2;
    setup.blocks = blocks;
    return mine_for_node(setup, out_, err_);
  }

  const std::uint32_t easy_bits_ = consensus::chain_params(kRegtest).genesis_bits;
  http::JsonRpcDispatcher dispatcher_;
  std::unique_ptr<http::RpcServer> server_;
  std::mutex mutex_;  // the handlers run on the server's threads
  std::string chain_ = "regtest";
  std::vector<primitives::Block> templates_;
  std::size_t templates_served_ = 0;
  std::string tip_;
  std::vector<primitives::Block> submitted_;
  json submit_answer_ = nullptr;
  std::vector<std::int64_t> confirmations_ = {1};
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(MineForNode, ImpossibleBitsAreTargetOne) {
  const auto target = consensus::target_from_bits(kImpossibleBits);
  ASSERT_TRUE(target.is_ok());
  EXPECT_EQ(*target, util::Uint256(1));
}

TEST_F(MineForNode, AbandonsATemplateWhenTheTipMoves) {
  // The first template builds on block 0x11.., which is no longer the tip: the search (which
  // cannot succeed) must give way to the second template, on the tip 0x22...
  templates_ = {block_on(0x11, kImpossibleBits, 7), block_on(0x22, easy_bits_, 8)};
  crypto::Hash256 tip{};
  tip.fill(0x22);
  tip_ = hex_of(tip);
  ASSERT_TRUE(mine(1).is_ok()) << err_.str();
  EXPECT_EQ(templates_served_, 2u);
  ASSERT_EQ(submitted_.size(), 1u);
  const primitives::Block& block = submitted_[0];
  EXPECT_EQ(block.header.parent, tip);
  EXPECT_TRUE(consensus::check_pow(block.header, consensus::chain_params(kRegtest)).is_ok());
  const std::string line = out_.str();
  EXPECT_EQ(line.rfind("height=8 hash=" + hex_of(primitives::block_hash(block.header)), 0), 0u)
      << line;
  EXPECT_NE(line.find(" hashes_per_second="), std::string::npos) << line;
  EXPECT_TRUE(err_.str().empty()) << err_.str();
}

TEST_F(MineForNode, ABlockThatLosesItsRaceDoesNotCount) {
  templates_ = {block_on(0x33, easy_bits_, 1)};
  confirmations_ = {-1, 1};  // the first block ends off the active chain, the second on it
  ASSERT_TRUE(mine(1).is_ok()) << err_.str();
  EXPECT_EQ(submitted_.size(), 2u);
  EXPECT_NE(err_.str().find("qpow: note: the block mined at height 1 lost to another"),
            std::string::npos)
      << err_.str();
  const std::string out = out_.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST_F(MineForNode, MinesSeveralBlocks) {
  templates_ = {block_on(0x44, easy_bits_, 5)};
  ASSERT_TRUE(mine(3).is_ok()) << err_.str();
  EXPECT_EQ(submitted_.size(), 3u);
  EXPECT_EQ(templates_served_, 3u);
  const std::string out = out_.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3) << out;
}

TEST_F(MineForNode, RefusalsAndMismatchesEndTheRun) {
  templates_ = {block_on(0x55, easy_bits_, 2)};
  submit_answer_ = "high-hash";
  const util::Status refused = mine(1);
  EXPECT_NE(refused.message().find("the node refused the block mined at height 2: \"high-hash\""),
            std::string::npos)
      << refused.to_string();

  chain_ = "main";
  const util::Status mismatch = mine(1);
  EXPECT_EQ(mismatch.code(), util::StatusCode::kInvalidArgument);
  EXPECT_NE(mismatch.message().find("--network regtest: the node at"), std::string::npos);
  EXPECT_NE(mismatch.message().find("runs main"), std::string::npos) << mismatch.message();

  chain_ = "regtest";
  // Bits above the network's limit: the template is refused before any search.
  templates_ = {block_on(0x66, 0x2100ffff, 2)};
  templates_served_ = 0;
  const util::Status bad_bits = mine(1);
  EXPECT_NE(bad_bits.message().find("rpc getblocktemplate: bits"), std::string::npos)
      << bad_bits.to_string();
}

}  // namespace
}  // namespace qpow::app
