// Block templates and mining on a real regtest chainstate: a template carries the mempool's
// transactions, both strategies mine it on a thread pool, and the chainstate accepts the block
// (the tip advances and the miner is paid); a stale pool transaction is left out of the template;
// a tiny nonce range forces the extra field to roll and the block is still valid.
#include "mining/block_miner.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/compact_target.h"
#include "consensus/pow.h"
#include "runtime/thread_pool.h"
#include "unit/chain/chain_fixture.h"
#include "util/bytes.h"

namespace qpow::mining {
namespace {

class BlockMinerTest : public test::ChainFixture {
 protected:
  void SetUp() override {
    ChainFixture::SetUp();
    auto pool = runtime::ThreadPool::create(2);
    ASSERT_TRUE(pool.is_ok());
    threads = std::move(pool).value();
  }

  void add_to_pool(const primitives::Transaction& tx) {
    auto r = mempool.accept(tx, *chain);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_TRUE(r->accepted()) << r->to_string();
  }

  BlockTemplate template_at(std::uint64_t time) {
    auto t = make_template(*chain, mempool, {.miner = miner.address, .time = time});
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return std::move(t).value();
  }

  // Mines tmpl with the strategy on the pool's two threads and submits the block.
  primitives::Block mine_and_submit(BlockTemplate& tmpl, const std::string& strategy,
                                    std::uint64_t nonce_range = UINT64_MAX) {
    auto search = make_search(strategy);
    EXPECT_TRUE(search.is_ok());
    StopSignal stop;
    SearchCounters counters;
    const MineOutcome outcome =
        mine_block(tmpl, **search, 2, *threads, stop, counters, nonce_range);
    EXPECT_EQ(outcome.end, SearchEnd::kSolved);
    EXPECT_TRUE(outcome.block.has_value());
    if (!outcome.block) return {};
    EXPECT_GE(counters.hashes.load(), 1u);
    EXPECT_TRUE(consensus::check_pow(outcome.block->header, params).is_ok());
    EXPECT_TRUE(submit(*outcome.block).is_ok());
    EXPECT_EQ(chain->tip().hash, primitives::block_hash(outcome.block->header));
    EXPECT_TRUE(mempool.remove_for_block(*outcome.block, *chain).is_ok());
    return *outcome.block;
  }

  chain::Mempool mempool{params, {}};
  std::unique_ptr<runtime::ThreadPool> threads;
};

TEST_F(BlockMinerTest, BothStrategiesMineTemplatesTheChainAccepts) {
  const test::Key alice = test::make_key(0xa1);
  std::uint64_t dev_nonce = 0;
  std::uint64_t expected_miner = 0;
  for (const std::string strategy : {"linear", "omega-prm"}) {
    SCOPED_TRACE(strategy);
    const auto first =
        test::transfer(dev, alice.address, 3 * consensus::kCoin, dev_nonce, dev_nonce == 0);
    const auto second =
        test::transfer(dev, alice.address, 2 * consensus::kCoin, dev_nonce + 1, false);
    dev_nonce += 2;
    add_to_pool(first);
    add_to_pool(second);
    const std::uint64_t height = chain->tip().height();
    BlockTemplate tmpl = template_at(now());
    ASSERT_EQ(tmpl.block.txs.size(), 2u);
    EXPECT_EQ(tmpl.block.header.height, height + 1);
    EXPECT_EQ(tmpl.block.header.miner, miner.address);
    EXPECT_EQ(tmpl.target, *consensus::target_from_bits(tmpl.block.header.bits));
    const primitives::Block block = mine_and_submit(tmpl, strategy);
    EXPECT_EQ(chain->tip().height(), height + 1);
    EXPECT_EQ(block.txs.size(), 2u);
    expected_miner += consensus::block_subsidy(params, height + 1) + first.fee + second.fee;
    EXPECT_EQ(balance(miner.address), expected_miner);
    EXPECT_EQ(mempool.size(), 0u);
  }
  EXPECT_EQ(balance(alice.address), 10 * consensus::kCoin);
}

TEST_F(BlockMinerTest, EmptyPoolGivesAnEmptyBlock) {
  BlockTemplate tmpl = template_at(now());
  EXPECT_TRUE(tmpl.block.txs.empty());
  mine_and_submit(tmpl, "linear");
  EXPECT_EQ(chain->tip().height(), 1u);
  EXPECT_EQ(balance(miner.address), consensus::block_subsidy(params, 1));
}

TEST_F(BlockMinerTest, StaleTransactionsAreLeftOut) {
  const test::Key alice = test::make_key(0xa1);
  const test::Key carol = test::make_key(0xc3);
  ASSERT_TRUE(
      submit(make_block({test::transfer(dev, alice.address, 10 * consensus::kCoin, 0, true)}))
          .is_ok());
  // Alice's transfer pays the higher fee rate, so the pool selects it first.
  const auto fresh = test::transfer(alice, carol.address, 1, 0, true, 2'000'000);
  const auto stale = test::transfer(dev, carol.address, 2, 1, false);
  add_to_pool(fresh);
  add_to_pool(stale);
  // Dev's nonce 1 is spent by a block the pool is not told about.
  ASSERT_TRUE(submit(make_block({test::transfer(dev, miner.address, 5, 1, false)}, 1)).is_ok());
  ASSERT_EQ(mempool.size(), 2u);

  BlockTemplate tmpl = template_at(now());
  ASSERT_EQ(tmpl.block.txs.size(), 1u);
  EXPECT_EQ(tmpl.block.txs[0], fresh);
  mine_and_submit(tmpl, "omega-prm");
  EXPECT_EQ(balance(carol.address), 1u);
}

TEST_F(BlockMinerTest, WorkIsTheHeaderBeforeTheNonceAndRollingChangesOnlyExtra) {
  add_to_pool(test::transfer(dev, miner.address, 1, 0, true));
  BlockTemplate tmpl = template_at(now());
  const Work work = tmpl.work();
  const primitives::HeaderBytes bytes = primitives::encode_header(tmpl.block.header);
  EXPECT_TRUE(std::equal(work.fixed.begin(), work.fixed.end(), bytes.begin()));
  EXPECT_EQ(work.target, tmpl.target);
  EXPECT_EQ(work.nonce_begin, 0u);
  EXPECT_EQ(work.nonce_end, UINT64_MAX);

  const primitives::BlockHeader before = tmpl.block.header;
  tmpl.roll_extra();
  tmpl.roll_extra();
  EXPECT_EQ(tmpl.extra_roll, 2u);
  EXPECT_EQ(util::load_le64(tmpl.block.header.extra.data()), 2u);
  primitives::BlockHeader expected = before;
  util::store_le64(expected.extra.data(), 2);
  EXPECT_EQ(tmpl.block.header, expected);
  EXPECT_NE(tmpl.work().fixed, work.fixed);
}

TEST_F(BlockMinerTest, TinyNonceRangeRollsTheExtraField) {
  for (const std::string strategy : {"linear", "omega-prm"}) {
    SCOPED_TRACE(strategy);
    // A template time whose first header (roll 0, nonce 0) misses the target, so a one-nonce
    // range must roll at least once; regtest accepts about half of all hashes.
    BlockTemplate tmpl;
    for (std::uint64_t t = now();; ++t) {
      tmpl = template_at(t);
      if (!consensus::check_pow(tmpl.block.header, params).is_ok()) break;
    }
    // The roll at which nonce 0 first meets the target, by brute force.
    std::uint64_t expected_roll = 0;
    for (primitives::BlockHeader h = tmpl.block.header; !consensus::check_pow(h, params).is_ok();) {
      util::store_le64(h.extra.data(), ++expected_roll);
    }
    ASSERT_GE(expected_roll, 1u);
    const primitives::Block block = mine_and_submit(tmpl, strategy, 1);
    EXPECT_EQ(tmpl.extra_roll, expected_roll);
    EXPECT_EQ(block.header.nonce, 0u);
    EXPECT_EQ(util::load_le64(block.header.extra.data()), expected_roll);
  }
  EXPECT_EQ(chain->tip().height(), 2u);
}

TEST_F(BlockMinerTest, StopAndEmptyRangeEndWithoutABlock) {
  BlockTemplate tmpl = template_at(now());
  auto search = make_linear_search();
  SearchCounters counters;
  StopSignal stop;
  stop.request_stop();
  const MineOutcome stopped = mine_block(tmpl, *search, 2, *threads, stop, counters);
  EXPECT_EQ(stopped.end, SearchEnd::kStopped);
  EXPECT_FALSE(stopped.block.has_value());
  StopSignal go;
  const MineOutcome empty = mine_block(tmpl, *search, 2, *threads, go, counters, 0);
  EXPECT_EQ(empty.end, SearchEnd::kExhausted);
  EXPECT_FALSE(empty.block.has_value());
  EXPECT_EQ(counters.hashes.load(), 0u);
  EXPECT_EQ(tmpl.extra_roll, 0u);
}

}  // namespace
}  // namespace qpow::mining
