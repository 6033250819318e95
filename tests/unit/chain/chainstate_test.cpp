// Chainstate: genesis, connecting blocks, every state-dependent validity rule failing, headers
// and blocks out of order, reorganisations restoring the state root exactly, the fork-choice
// tie-break, and invalid blocks and their descendants remembered.
#include "chain/chainstate.h"

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "consensus/header_rules.h"
#include "primitives/key_commitment.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using test::ChainFixture;

// A second node with its own store, to build a competing branch from a common ancestor.
struct OtherNode {
  storage::MemoryStore store;
  util::InlineExecutor executor;
  std::unique_ptr<Chainstate> chain;
  explicit OtherNode(const consensus::ChainParams& params) {
    chain = std::move(Chainstate::open(store, params, executor)).value();
  }
};

class ChainstateTest : public ChainFixture {
 protected:
  // Builds a block on `node`'s tip and connects it there.
  primitives::Block extend(Chainstate& node, std::vector<primitives::Transaction> txs,
                           std::uint8_t extra) {
    BlockAssembly a{
        .txs = std::move(txs), .miner = miner.address, .time = next_time(node.tip()), .extra = {}};
    a.extra[0] = extra;
    auto r = node.assemble_block(a);
    EXPECT_TRUE(r.is_ok() && r->first.is_ok());
    primitives::Block b = r->second;
    test::mine(b);
    auto v = node.accept_block(b, b.header.time + 10);
    EXPECT_TRUE(v.is_ok() && v->is_ok()) << (v.is_ok() ? v->to_string() : v.status().to_string());
    return b;
  }
};

TEST_F(ChainstateTest, GenesisFundsTheDevKey) {
  EXPECT_EQ(chain->tip().height(), 0u);
  EXPECT_EQ(balance(dev.address), 1'000'000 * consensus::kCoin);
  EXPECT_EQ(*chain->state_root(), chain->tip().header.state_root);
}

TEST_F(ChainstateTest, ConnectsATransferAndPaysTheMiner) {
  const test::Key alice = test::make_key(0xa1);
  const auto tx = test::transfer(dev, alice.address, 5 * consensus::kCoin, 0, true);
  const primitives::Block b = make_block({tx});
  EXPECT_TRUE(submit(b).is_ok());
  EXPECT_EQ(chain->tip().height(), 1u);
  EXPECT_EQ(balance(alice.address), 5 * consensus::kCoin);
  EXPECT_EQ(balance(dev.address), 1'000'000 * consensus::kCoin - 5 * consensus::kCoin - tx.fee);
  EXPECT_EQ(balance(miner.address), consensus::block_subsidy(params, 1) + tx.fee);
  auto acc = *chain->account(dev.address);
  ASSERT_TRUE(acc.has_value());
  EXPECT_EQ(acc->nonce, 1u);
  ASSERT_TRUE(acc->key.has_value());
  EXPECT_EQ(util::Bytes(acc->key->public_key().begin(), acc->key->public_key().end()),
            dev.pair.public_key);
  EXPECT_TRUE(acc->key->commitment_matches());
  // The second transaction of the account may not carry its key any more, and must use nonce 1.
  const auto again = test::transfer(dev, alice.address, 1, 1, false);
  EXPECT_TRUE(submit(make_block({again})).is_ok());
  EXPECT_EQ(balance(alice.address), 5 * consensus::kCoin + 1);
  EXPECT_EQ(*chain->state_root(), chain->tip().header.state_root);
}

TEST_F(ChainstateTest, ReopeningGivesTheSameTipAndState) {
  ASSERT_TRUE(submit(make_block({test::transfer(dev, miner.address, 7, 0, true)})).is_ok());
  ASSERT_TRUE(submit(make_block({})).is_ok());
  const crypto::Hash256 tip = chain->tip().hash;
  reopen();
  EXPECT_EQ(chain->tip().hash, tip);
  EXPECT_EQ(chain->tip().height(), 2u);
  EXPECT_EQ(*chain->state_root(), chain->tip().header.state_root);
}

// Each state rule: a block whose one transaction breaks it is rejected with that reason, and
// the tip does not move.
class StateRuleTest : public ChainstateTest {
 protected:
  void expect_rejected(const primitives::Transaction& tx, RejectReason reason) {
    BlockAssembly a{
        .txs = {tx}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}};
    auto r = chain->assemble_block(a);
    ASSERT_TRUE(r.is_ok());
    ASSERT_FALSE(r->first.is_ok());
    EXPECT_EQ(r->first.reason(), reason) << r->first.to_string();
    // A miner that publishes it anyway (state root copied from a valid block) is refused too.
    primitives::Block b = r->second;
    test::mine(b);
    const crypto::Hash256 before = chain->tip().hash;
    auto v = chain->accept_block(b, now());
    ASSERT_TRUE(v.is_ok());
    EXPECT_FALSE(v->is_ok());
    EXPECT_EQ(chain->tip().hash, before);
  }
};

TEST_F(StateRuleTest, NonceMustBeExactlyTheNext) {
  expect_rejected(test::transfer(dev, miner.address, 1, 1, true), RejectReason::kTxBadNonce);
}

TEST_F(StateRuleTest, BalanceMustCoverAmountAndFee) {
  expect_rejected(test::transfer(dev, miner.address, 1'000'000 * consensus::kCoin, 0, true),
                  RejectReason::kTxInsufficientFunds);
}

TEST_F(StateRuleTest, FirstTransactionMustRevealTheKey) {
  expect_rejected(test::transfer(dev, miner.address, 1, 0, false), RejectReason::kTxMissingKey);
}

TEST_F(StateRuleTest, KeyMustBelongToTheSender) {
  const test::Key mallory = test::make_key(0x66);
  auto tx = test::transfer(mallory, miner.address, 1, 0, true);
  tx.sender = dev.address;  // claims the dev account with mallory's key
  ASSERT_TRUE(primitives::sign_tx(tx, {.scheme = crypto::kDefaultScheme,
                                       .secret_key = mallory.pair.secret_key.span(),
                                       .public_key = mallory.pair.public_key,
                                       .include_public_key = true,
                                       .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  expect_rejected(tx, RejectReason::kTxKeyMismatch);
}

TEST_F(StateRuleTest, SignatureMustVerify) {
  auto tx = test::transfer(dev, miner.address, 1, 0, true);
  tx.witness.signature[10] ^= 1;
  expect_rejected(tx, RejectReason::kTxBadSignature);
}

TEST_F(StateRuleTest, KeyOnChainMustNotBeRepeated) {
  ASSERT_TRUE(submit(make_block({test::transfer(dev, miner.address, 1, 0, true)})).is_ok());
  expect_rejected(test::transfer(dev, miner.address, 1, 1, true), RejectReason::kTxUnexpectedKey);
}

TEST_F(StateRuleTest, StandaloneRulesApplyInsideBlocks) {
  auto tx = test::transfer(dev, miner.address, 1, 0, true, /*fee=*/1);
  expect_rejected(tx, RejectReason::kTxFeeTooLow);
}

TEST_F(ChainstateTest, DuplicateTransactionInOneBlockIsRejected) {
  const auto tx = test::transfer(dev, miner.address, 1, 0, true);
  BlockAssembly a{
      .txs = {tx, tx}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}};
  auto r = chain->assemble_block(a);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->first.reason(), RejectReason::kTxDuplicate);
}

TEST_F(ChainstateTest, HeaderRulesReject) {
  const primitives::Block good = make_block({});
  auto expect = [&](primitives::Block b, RejectReason reason, bool remine = true) {
    if (remine) test::mine(b);
    auto v = chain->accept_block(b, now());
    ASSERT_TRUE(v.is_ok());
    EXPECT_EQ(v->reason(), reason) << v->to_string();
  };
  primitives::Block b = good;
  b.header.version = 2;
  expect(b, RejectReason::kBadVersion);
  b = good;
  b.header.chain_id = 1;
  expect(b, RejectReason::kBadChainId);
  b = good;
  b.header.height = 5;
  expect(b, RejectReason::kBadHeight);
  b = good;
  b.header.time = chain->tip().header.time;  // not above the median time past
  expect(b, RejectReason::kTimeTooOld);
  b = good;
  b.header.time = now() + consensus::kMaxFutureBlockTimeS + 1;
  expect(b, RejectReason::kTimeTooNew);
  b = good;
  b.header.bits = 0x2000ffff;
  expect(b, RejectReason::kBadDifficulty);
  b = good;
  b.header.tx_root[0] ^= 1;
  expect(b, RejectReason::kBadTxRoot);
  b = good;
  b.header.state_root[0] ^= 1;
  expect(b, RejectReason::kBadStateRoot);
  // Proof of work: find a nonce that fails the target.
  b = good;
  while (consensus::check_pow(b.header, params).is_ok()) ++b.header.nonce;
  expect(b, RejectReason::kHighHash, /*remine=*/false);
  // Unknown parent.
  b = good;
  b.header.parent[0] ^= 1;
  expect(b, RejectReason::kUnknownParent);
  // The good block is still accepted after all that.
  EXPECT_TRUE(submit(good).is_ok());
  EXPECT_EQ(chain->tip().hash, primitives::block_hash(good.header));
}

TEST_F(ChainstateTest, DescendantsOfAnInvalidBlockAreRefused) {
  OtherNode other(params);
  primitives::Block bad = make_block({});
  bad.header.state_root[3] ^= 1;
  test::mine(bad);
  EXPECT_EQ(submit(bad).reason(), RejectReason::kBadStateRoot);
  // A child of the bad block (built by hand: same fields, new parent).
  primitives::Block child = bad;
  child.header.parent = primitives::block_hash(bad.header);
  child.header.height = 2;
  child.header.time += 2;
  test::mine(child);
  EXPECT_EQ(submit(child).reason(), RejectReason::kInvalidAncestor);
  EXPECT_EQ(submit(bad).reason(), RejectReason::kInvalidAncestor);
  EXPECT_EQ(chain->tip().height(), 0u);
}

TEST_F(ChainstateTest, AlteredBodyDoesNotCondemnTheRealBlock) {
  const auto tx = test::transfer(dev, miner.address, 7, 0, true);
  const primitives::Block real = make_block({tx});
  // The same header with the transaction dropped, or with a finality section appended.
  primitives::Block stripped = real;
  stripped.txs.clear();
  EXPECT_EQ(submit(stripped).reason(), RejectReason::kBadTxRoot);
  primitives::Block padded = real;
  padded.finality = util::Bytes{1, 2, 3};
  EXPECT_EQ(submit(padded).reason(), RejectReason::kBadFinality);
  EXPECT_FALSE(chain->find(primitives::block_hash(real.header))->failed());
  EXPECT_TRUE(submit(real).is_ok());
  EXPECT_EQ(chain->tip().hash, primitives::block_hash(real.header));
}

TEST_F(ChainstateTest, BlocksArrivingOutOfOrderConnectWhenTheGapFills) {
  OtherNode other(params);
  std::vector<primitives::Block> blocks;
  for (int i = 0; i < 4; ++i) blocks.push_back(extend(*other.chain, {}, 1));
  // Headers first, then blocks in reverse order.
  EXPECT_EQ(submit(blocks[2]).reason(), RejectReason::kUnknownParent);
  for (const auto& b : blocks) ASSERT_TRUE(chain->accept_header(b.header, now() + 100)->is_ok());
  for (int i = 3; i >= 1; --i) {
    EXPECT_TRUE(submit(blocks[static_cast<std::size_t>(i)]).is_ok());
    EXPECT_EQ(chain->tip().height(), 0u);
  }
  EXPECT_TRUE(submit(blocks[0]).is_ok());
  EXPECT_EQ(chain->tip().hash, other.chain->tip().hash);
  EXPECT_EQ(*chain->state_root(), *other.chain->state_root());
}

TEST_F(ChainstateTest, ReorganisesToTheChainWithMoreWorkAndRestoresState) {
  const test::Key alice = test::make_key(0xa1);
  OtherNode other(params);
  // Our branch: one block paying alice.
  ASSERT_TRUE(
      submit(make_block({test::transfer(dev, alice.address, 3 * consensus::kCoin, 0, true)}))
          .is_ok());
  EXPECT_EQ(balance(alice.address), 3 * consensus::kCoin);
  const crypto::Hash256 genesis_root = chain->genesis().header.state_root;
  // Their branch: two blocks, paying someone else.
  const test::Key bob = test::make_key(0xb0);
  std::vector<primitives::Block> theirs;
  theirs.push_back(extend(*other.chain, {test::transfer(dev, bob.address, 9, 0, true)}, 2));
  theirs.push_back(extend(*other.chain, {}, 2));
  EXPECT_TRUE(submit(theirs[0]).is_ok());
  // Equal work: the node is on whichever of the two has the lower hash.
  EXPECT_EQ(balance(alice.address) == 0,
            chain->tip().hash == primitives::block_hash(theirs[0].header));
  EXPECT_TRUE(submit(theirs[1]).is_ok());
  EXPECT_EQ(chain->tip().hash, other.chain->tip().hash);
  EXPECT_EQ(balance(alice.address), 0u);
  EXPECT_EQ(balance(bob.address), 9u);
  EXPECT_EQ(*chain->state_root(), chain->tip().header.state_root);
  // Reopen: the state survives, and the genesis root is still the genesis header's.
  reopen();
  EXPECT_EQ(chain->tip().hash, other.chain->tip().hash);
  EXPECT_EQ(chain->genesis().header.state_root, genesis_root);
}

TEST_F(ChainstateTest, EqualWorkGoesToTheLowerHash) {
  OtherNode a(params);
  OtherNode b(params);
  const primitives::Block x = extend(*a.chain, {}, 0x0a);
  const primitives::Block y = extend(*b.chain, {}, 0x0b);
  const auto hx = util::Uint256::from_le_bytes(primitives::block_hash(x.header));
  const auto hy = util::Uint256::from_le_bytes(primitives::block_hash(y.header));
  const crypto::Hash256 lower =
      hx < hy ? primitives::block_hash(x.header) : primitives::block_hash(y.header);
  // Whichever arrives first, the node ends on the lower hash (same work: same bits).
  EXPECT_TRUE(submit(hx < hy ? y : x).is_ok());
  EXPECT_TRUE(submit(hx < hy ? x : y).is_ok());
  EXPECT_EQ(chain->tip().hash, lower);
}

TEST_F(ChainstateTest, PreRotationAcceptsOnlyTheCommittedKeySignedByItself) {
  const test::Key next = test::make_key(0x77);
  const test::Key thief = test::make_key(0x78);
  // Rotation 1 (signed by the current key): same key, commit to `next`.
  primitives::Transaction rot;
  rot.chain_id = params.chain_id;
  rot.kind = primitives::TxKind::kKeyRotation;
  rot.sender = dev.address;
  rot.nonce = 0;
  rot.fee = 100'000;
  rot.rotation = primitives::KeyRotation{.scheme = crypto::kDefaultScheme,
                                         .public_key = dev.pair.public_key,
                                         .next_key_commitment = primitives::key_commitment(
                                             crypto::kDefaultScheme, next.pair.public_key)};
  ASSERT_TRUE(primitives::sign_tx(rot, {.scheme = crypto::kDefaultScheme,
                                        .secret_key = dev.pair.secret_key.span(),
                                        .public_key = dev.pair.public_key,
                                        .include_public_key = true,
                                        .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  ASSERT_TRUE(submit(make_block({rot})).is_ok());
  // The thief holds the old key: rotating to their own key fails the commitment...
  primitives::Transaction steal = rot;
  steal.nonce = 1;
  steal.rotation = primitives::KeyRotation{.scheme = crypto::kDefaultScheme,
                                           .public_key = thief.pair.public_key,
                                           .next_key_commitment = std::nullopt};
  ASSERT_TRUE(primitives::sign_tx(steal, {.scheme = crypto::kDefaultScheme,
                                          .secret_key = dev.pair.secret_key.span(),
                                          .public_key = {},
                                          .include_public_key = false,
                                          .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  auto r = chain->assemble_block(
      {.txs = {steal}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}});
  EXPECT_EQ(r->first.reason(), RejectReason::kTxBadRotation);
  // ...and rotating to the committed key with the old key's signature fails too.
  primitives::Transaction half = steal;
  half.rotation = primitives::KeyRotation{.scheme = crypto::kDefaultScheme,
                                          .public_key = next.pair.public_key,
                                          .next_key_commitment = std::nullopt};
  ASSERT_TRUE(primitives::sign_tx(half, {.scheme = crypto::kDefaultScheme,
                                         .secret_key = dev.pair.secret_key.span(),
                                         .public_key = {},
                                         .include_public_key = false,
                                         .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  r = chain->assemble_block(
      {.txs = {half}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}});
  EXPECT_EQ(r->first.reason(), RejectReason::kTxBadSignature);
  // The owner signs with the committed key: accepted, and the account now answers to it.
  ASSERT_TRUE(primitives::sign_tx(half, {.scheme = crypto::kDefaultScheme,
                                         .secret_key = next.pair.secret_key.span(),
                                         .public_key = {},
                                         .include_public_key = false,
                                         .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  ASSERT_TRUE(submit(make_block({half})).is_ok());
  auto acc = *chain->account(dev.address);
  EXPECT_EQ(util::Bytes(acc->key->public_key().begin(), acc->key->public_key().end()),
            next.pair.public_key);
  EXPECT_TRUE(acc->key->commitment_matches());
  // The old key can no longer spend.
  auto old_spend = test::transfer(dev, miner.address, 1, 2, false);
  r = chain->assemble_block(
      {.txs = {old_spend}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}});
  EXPECT_EQ(r->first.reason(), RejectReason::kTxBadSignature);
}

}  // namespace
}  // namespace qpow::chain

namespace qpow::chain {
namespace {

// The mempool validates against the chainstate's tip and follows it through a reorganisation.
TEST_F(ChainstateTest, MempoolFollowsTheTip) {
  Mempool pool(params, MempoolLimits{});
  const auto tx0 = test::transfer(dev, miner.address, 5, 0, true);
  const auto tx1 = test::transfer(dev, miner.address, 6, 1, false);
  ASSERT_TRUE(pool.accept(tx0, *chain)->accepted());
  ASSERT_TRUE(pool.accept(tx1, *chain)->accepted());
  const primitives::Block b = make_block({tx0});
  ASSERT_TRUE(submit(b).is_ok());
  ASSERT_TRUE(pool.remove_for_block(b, *chain).is_ok());
  EXPECT_FALSE(pool.contains(primitives::txid(tx0)));
  EXPECT_TRUE(pool.contains(primitives::txid(tx1)));
  // Disconnected by a heavier empty branch: tx0 comes back ahead of tx1.
  OtherNode other(params);
  extend(*other.chain, {}, 9);
  extend(*other.chain, {}, 9);
  for (const auto& blk : {*other.chain->read_block(other.chain->active_at(1)->hash),
                          *other.chain->read_block(other.chain->active_at(2)->hash)}) {
    ASSERT_TRUE(submit(*blk).is_ok());
  }
  ASSERT_EQ(chain->tip().hash, other.chain->tip().hash);
  ASSERT_TRUE(pool.readd_after_reorg(b.txs, *chain).is_ok());
  const auto selected = pool.select(1 << 20, 10);
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(primitives::txid(selected[0]), primitives::txid(tx0));
  EXPECT_EQ(primitives::txid(selected[1]), primitives::txid(tx1));
}

}  // namespace
}  // namespace qpow::chain
