// apply_block's outcome: the block's changes and undo record, in address order, hold every
// touched account's value after and before the block; the root and writes are those of
// AccountState::apply over the changes; two threads give the same outcome as one (the root, the
// effects and the signature checks run as items of one parallel_for); a bad signature rejects the
// block and leaves no effects.
#include "chain/block_apply.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "storage/state_store.h"
#include "support/two_thread_executor.h"
#include "util/hex.h"

namespace qpow::chain {
namespace {

using ::qpow::test::TwoThreadExecutor;

std::vector<std::string> dump(const state::StateWrites& writes) {
  std::vector<std::string> out;
  for (const auto& [key, value] : writes) {
    out.push_back(util::to_hex(key) + "=" + (value ? util::to_hex(*value) : "deleted"));
  }
  return out;
}

class BlockApplyTest : public test::ChainFixture {
 protected:
  test::Key alice = test::make_key(0xa1);
  test::Key bob = test::make_key(0xb0);
  primitives::Address carol{};

  // A chain where alice has funds but no key on chain, and a block on it in which alice puts her
  // key on chain paying bob, and dev pays bob and carol.
  primitives::Block funded_then_block() {
    EXPECT_TRUE(
        submit(make_block({test::transfer(dev, alice.address, 5'000'000, 0, true)})).is_ok());
    carol.bytes.fill(0xc3);
    return make_block({test::transfer(alice, bob.address, 1'000, 0, true),
                       test::transfer(dev, bob.address, 2'000, 1, false),
                       test::transfer(dev, carol, 3'000, 2, false)});
  }

  ApplyOutcome apply(const primitives::Block& block, util::Executor& ex) {
    const storage::StateStore state_store(store);
    auto outcome = apply_block(block, state::AccountState(state_store), params, ex);
    EXPECT_TRUE(outcome.is_ok()) << outcome.status().to_string();
    return outcome.is_ok() ? std::move(outcome).value() : ApplyOutcome{};
  }
};

TEST_F(BlockApplyTest, EffectsAreTheStateTransition) {
  const primitives::Block block = funded_then_block();
  util::InlineExecutor inline_executor;
  const ApplyOutcome outcome = apply(block, inline_executor);
  ASSERT_TRUE(outcome.verdict.is_ok()) << outcome.verdict.to_string();
  const BlockEffects& e = outcome.effects;
  EXPECT_EQ(e.state_root, block.header.state_root);

  // Every touched account, once, in address order, in both the changes and the undo record.
  std::vector<primitives::Address> touched{dev.address, alice.address, bob.address, carol,
                                           miner.address};
  std::sort(touched.begin(), touched.end());
  ASSERT_EQ(e.changes.size(), touched.size());
  ASSERT_EQ(e.undo.size(), touched.size());
  std::size_t i = 0;
  for (const auto& [address, after] : e.changes) {
    EXPECT_EQ(address, touched[i]);
    EXPECT_EQ(e.undo[i].first, touched[i]);
    // The undo record holds the values before the block.
    auto before = chain->account(address);
    ASSERT_TRUE(before.is_ok());
    EXPECT_EQ(e.undo[i].second, *before) << "account " << i;
    ++i;
  }
  const auto bob_before = std::find_if(
      e.undo.begin(), e.undo.end(), [&](const auto& entry) { return entry.first == bob.address; });
  ASSERT_NE(bob_before, e.undo.end());
  EXPECT_FALSE(bob_before->second.has_value());  // bob did not exist

  // The writes are AccountState::apply's over the same changes.
  const storage::StateStore state_store(store);
  auto reference = state::AccountState(state_store).apply(e.changes);
  ASSERT_TRUE(reference.is_ok());
  EXPECT_EQ(reference->root, e.state_root);
  EXPECT_EQ(dump(e.writes), dump(reference->writes));

  // Connecting the block gives exactly the values in the changes.
  ASSERT_TRUE(submit(block).is_ok());
  for (const auto& [address, after] : e.changes) {
    auto now_stored = chain->account(address);
    ASSERT_TRUE(now_stored.is_ok());
    EXPECT_EQ(*now_stored, after);
  }
  EXPECT_EQ(balance(carol), 3'000u);
}

TEST_F(BlockApplyTest, TwoThreadsGiveTheSameOutcome) {
  const primitives::Block block = funded_then_block();
  util::InlineExecutor inline_executor;
  TwoThreadExecutor two;
  const ApplyOutcome one = apply(block, inline_executor);
  for (int round = 0; round < 5; ++round) {
    const ApplyOutcome other = apply(block, two);
    ASSERT_TRUE(other.verdict.is_ok()) << other.verdict.to_string();
    EXPECT_EQ(other.effects.state_root, one.effects.state_root);
    EXPECT_EQ(other.effects.changes, one.effects.changes);
    EXPECT_EQ(other.effects.undo, one.effects.undo);
    EXPECT_EQ(dump(other.effects.writes), dump(one.effects.writes));
  }
}

TEST_F(BlockApplyTest, ABadSignatureRejectsTheBlockAndLeavesNoEffects) {
  primitives::Block block = funded_then_block();
  block.txs[2].witness.signature[10] ^= 0x01;
  TwoThreadExecutor two;
  const ApplyOutcome outcome = apply(block, two);
  EXPECT_EQ(outcome.verdict.reason(), consensus::RejectReason::kTxBadSignature);
  EXPECT_NE(outcome.verdict.message().find("txs[2]"), std::string::npos)
      << outcome.verdict.message();
  EXPECT_TRUE(outcome.effects.changes.empty());
  EXPECT_TRUE(outcome.effects.undo.empty());
  EXPECT_TRUE(outcome.effects.writes.empty());
}

}  // namespace
}  // namespace qpow::chain
