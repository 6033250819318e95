// Mining through runtime::AsioEnv: a regtest template submitted with submit_work comes back as
// on_block_found with a block the chain accepts; work nobody can solve keeps the miners busy
// (a hash rate shows) until submit_work(nullopt) stops them, and the miner takes new work after.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "chain/mempool.h"
#include "consensus/pow.h"
#include "mining/block_miner.h"
#include "primitives/block.h"
#include "unit/chain/chain_fixture.h"
#include "unit/runtime/env_runner.h"

namespace qpow::runtime {
namespace {

using test::EnvRunner;
using test::Event;
using Kind = Event::Kind;
using namespace std::chrono_literals;

class AsioEnvMiningTest : public qpow::test::ChainFixture {
 protected:
  mining::BlockTemplate make_template() {
    auto t = mining::make_template(*chain, mempool, {.miner = miner.address, .time = now()});
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return std::move(t).value();
  }

  chain::Mempool mempool{params, {}};
};

TEST_F(AsioEnvMiningTest, FindsABlockTheChainAccepts) {
  EnvRunner env(test::test_config(/*listen=*/false));
  ASSERT_TRUE(env.ok());
  mining::BlockTemplate tmpl = make_template();
  env.on_thread([&] { env.env().submit_work(tmpl); });

  const auto found = env.sink.first(Kind::kBlock);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->block);
  EXPECT_TRUE(consensus::check_pow(found->block->header, params).is_ok());
  EXPECT_EQ(found->block->header.height, 1u);
  EXPECT_TRUE(submit(*found->block).is_ok());
  EXPECT_EQ(chain->tip().hash, primitives::block_hash(found->block->header));
  // One solution per template: the miner waits for the next one.
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(env.sink.count(Kind::kBlock), 1u);
}

TEST_F(AsioEnvMiningTest, NulloptStopsTheMinersAndNewWorkStillRuns) {
  EnvRunner env(test::test_config(/*listen=*/false));
  ASSERT_TRUE(env.ok());
  mining::BlockTemplate impossible = make_template();
  impossible.target = util::Uint256{};  // only a hash of zero would do
  env.on_thread([&] { env.env().submit_work(impossible); });

  bool hashing = false;
  for (int i = 0; i < 200 && !hashing; ++i) {
    std::this_thread::sleep_for(50ms);
    hashing = env.env().hashes_per_second() > 0;
  }
  EXPECT_TRUE(hashing);

  env.on_thread([&] { env.env().submit_work(std::nullopt); });
  EXPECT_EQ(env.env().hashes_per_second(), 0.0);
  EXPECT_EQ(env.sink.count(Kind::kBlock), 0u);

  // The mining thread left the impossible search: real work is solved.
  mining::BlockTemplate tmpl = make_template();
  env.on_thread([&] { env.env().submit_work(tmpl); });
  const auto found = env.sink.first(Kind::kBlock);
  ASSERT_TRUE(found && found->block);
  EXPECT_TRUE(consensus::check_pow(found->block->header, params).is_ok());
}

}  // namespace
}  // namespace qpow::runtime
