// The pure validity rules that the chainstate tests do not reach through whole blocks: shard and
// chain id of headers and transactions, kind fields, overflow, the receipt and finality roots,
// the exhausted nonce, median time past, subsidy, and the peer penalties of reasons.
#include <gtest/gtest.h>

#include "consensus/block_rules.h"
#include "consensus/header_rules.h"
#include "consensus/tx_rules.h"
#include "unit/primitives/sample_txs.h"

namespace qpow::consensus {
namespace {

const ChainParams& regtest() { return chain_params(primitives::Network::kRegtest); }

primitives::Block block_with(std::vector<primitives::Transaction> txs) {
  primitives::Block b;
  b.txs = std::move(txs);
  b.header.tx_root = primitives::compute_tx_root(b.txs);
  b.header.receipt_root = primitives::empty_receipt_root();
  b.header.finality_root = primitives::compute_finality_root({});
  return b;
}

TEST(TxRules, StandaloneRulesEachHaveAFailingCase) {
  const primitives::Transaction good = test::sample_transfer();
  ASSERT_TRUE(check_tx_standalone(good, regtest()).is_ok());
  auto expect = [](const primitives::Transaction& tx, RejectReason reason) {
    const Verdict v = check_tx_standalone(tx, regtest());
    EXPECT_EQ(v.reason(), reason) << v.to_string();
  };
  primitives::Transaction tx = good;
  tx.chain_id = 1;
  expect(tx, RejectReason::kTxWrongChain);
  tx = good;
  tx.shard = 1;
  expect(tx, RejectReason::kTxWrongShard);
  tx = good;
  tx.recipient = primitives::Address{};
  expect(tx, RejectReason::kTxBadKind);
  tx = good;
  tx.kind = primitives::TxKind::kKeyRotation;  // no new key
  expect(tx, RejectReason::kTxBadKind);
  tx.rotation = primitives::KeyRotation{.scheme = crypto::kDefaultScheme,
                                        .public_key = good.witness.public_key,
                                        .next_key_commitment = std::nullopt};
  expect(tx, RejectReason::kTxBadKind);  // a rotation moving an amount to a recipient
  tx = good;
  tx.amount = UINT64_MAX - tx.fee + 1;
  expect(tx, RejectReason::kTxAmountOverflow);
  tx = good;
  tx.fee = min_fee(regtest(), primitives::tx_size(tx)) - 1;
  expect(tx, RejectReason::kTxFeeTooLow);
  tx.fee += 1;
  EXPECT_TRUE(check_tx_standalone(tx, regtest()).is_ok());
}

TEST(TxRules, NonceExhaustionAndCreditOverflow) {
  const primitives::Transaction tx = test::sample_transfer();
  SenderState sender{.balance = UINT64_MAX, .nonce = UINT64_MAX, .key = std::nullopt,
                     .next_key_commitment = std::nullopt};
  primitives::Transaction last = tx;
  last.nonce = UINT64_MAX;
  AccountKey key;
  EXPECT_EQ(check_tx_against_sender(last, sender, key).reason(), RejectReason::kTxBadNonce);
  std::uint64_t balance = UINT64_MAX - 5;
  EXPECT_TRUE(credit(balance, 5).is_ok());
  EXPECT_EQ(credit(balance, 1).reason(), RejectReason::kTxAmountOverflow);
}

TEST(BlockRules, RootsShardAndDuplicates) {
  const primitives::Transaction tx = test::sample_transfer();
  ASSERT_TRUE(check_block_standalone(block_with({tx}), regtest()).is_ok());
  primitives::Block b = block_with({tx});
  b.header.receipt_root[0] ^= 1;
  EXPECT_EQ(check_block_standalone(b, regtest()).reason(), RejectReason::kBadReceiptRoot);
  b = block_with({tx});
  b.header.finality_root[0] ^= 1;
  EXPECT_EQ(check_block_standalone(b, regtest()).reason(), RejectReason::kBadFinality);
  b = block_with({tx});
  b.finality = {1};
  b.header.finality_root = primitives::compute_finality_root(b.finality);
  EXPECT_EQ(check_block_standalone(b, regtest()).reason(), RejectReason::kBadFinality);
  b = block_with({tx, tx});
  EXPECT_EQ(check_block_standalone(b, regtest()).reason(), RejectReason::kTxDuplicate);
}

TEST(HeaderRules, ShardAndMedianTimePast) {
  primitives::BlockHeader h;
  h.chain_id = regtest().chain_id;
  h.bits = regtest().genesis_bits;
  h.shard = regtest().shard_count;
  EXPECT_EQ(check_header_standalone(h, regtest()).reason(), RejectReason::kBadShard);
  const std::uint64_t times[] = {5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11};
  EXPECT_EQ(median_time_past(times), 6u);
  EXPECT_EQ(median_time_past(std::span<const std::uint64_t>(times, 2)), 5u);
  EXPECT_EQ(median_time_past({}), 0u);
}

TEST(ChainParams, SubsidyHalvesAndEnds) {
  const ChainParams& p = regtest();
  EXPECT_EQ(block_subsidy(p, 0), 0u);
  EXPECT_EQ(block_subsidy(p, 1), 50 * kCoin);
  EXPECT_EQ(block_subsidy(p, p.subsidy_halving_interval - 1), 50 * kCoin);
  EXPECT_EQ(block_subsidy(p, p.subsidy_halving_interval), 25 * kCoin);
  EXPECT_EQ(block_subsidy(p, 64 * p.subsidy_halving_interval), 0u);
}

TEST(RejectReason, PenaltiesDependOnWhereTheFailureWas) {
  EXPECT_EQ(peer_penalty(RejectReason::kTxBadNonce, RejectedObject::kLooseTx), PeerPenalty::kNone);
  EXPECT_EQ(peer_penalty(RejectReason::kTxBadNonce, RejectedObject::kBlock), PeerPenalty::kBan);
  EXPECT_EQ(peer_penalty(RejectReason::kHighHash, RejectedObject::kBlock), PeerPenalty::kBan);
  EXPECT_EQ(peer_penalty(RejectReason::kUnknownParent, RejectedObject::kBlock), PeerPenalty::kNone);
  EXPECT_EQ(reject_reason_name(RejectReason::kTxBadSignature), "tx-bad-signature");
}

}  // namespace
}  // namespace qpow::consensus
