// How the state update computes what it computes: the batched node hashes equal the one-at-a-time
// node functions (the batched SHA3-256 itself is tested in tests/unit/crypto), the in-place
// encoders equal the allocating ones, and a store that is corrupt in two places reports the failure
// a walk that checked each node as it read it would have met first.
#include "state/smt_update.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/smt_node.h"
#include "state/sparse_merkle_tree.h"
#include "state_test_support.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using test::MapNodeStore;
using test::random_accounts;
using test::SplitMix64;
using util::StatusCode;

TEST(BatchedNodeHashes, EqualTheOneAtATimeNodeFunctions) {
  SplitMix64 rng(2);
  std::vector<InternalPreimage> preimages;
  std::vector<crypto::Hash256> expected;
  for (std::size_t i = 0; i < 11; ++i) {
    crypto::Hash256 a;
    crypto::Hash256 b;
    for (auto& byte : a) byte = static_cast<std::uint8_t>(rng.next());
    for (auto& byte : b) byte = static_cast<std::uint8_t>(rng.next());
    if (i % 2 == 0) {
      preimages.push_back(internal_preimage(a, b));
      expected.push_back(internal_hash(a, b));
    } else {
      preimages.push_back(leaf_preimage(a, b));
      expected.push_back(leaf_hash(a, b));
    }
  }
  std::vector<crypto::Hash256> hashes(preimages.size());
  hash_preimages(preimages, hashes);
  EXPECT_EQ(hashes, expected);
}

TEST(InPlaceEncoders, EqualTheAllocatingOnes) {
  const NodeRef leaf = NodeRef::leaf(SmtKey{0x80}, crypto::Hash256{1});
  const NodeRef internal = NodeRef::internal(crypto::Hash256{2});
  for (const NodeRecord& record :
       {NodeRecord{.left = NodeRef::leaf(SmtKey{0x00}, crypto::Hash256{3}), .right = leaf},
        NodeRecord{.left = NodeRef::empty(), .right = internal},
        NodeRecord{.left = internal, .right = leaf}}) {
    const util::Bytes expected = encode_node_record(record);
    util::Bytes bytes(node_record_bytes(record));
    encode_node_record_into(record, bytes);
    EXPECT_EQ(util::to_hex(bytes), util::to_hex(expected));
  }
  Account keyed = test::account_with_key(5, 6, crypto::SchemeId::kMlDsa65, 0x42);
  keyed.next_key_commitment = crypto::Hash256{7};
  for (const Account& account : {Account{}, Account{.balance = 1, .nonce = 2}, keyed}) {
    const auto expected = encode_account(account);
    ASSERT_TRUE(expected.is_ok());
    util::Bytes bytes(account_encoding_bytes(account));
    encode_account_into(account, bytes);
    EXPECT_EQ(bytes, *expected);
  }
}

// A store of 64 accounts, and a batch that changes every one of them.
struct TwoFaults {
  MapNodeStore store;
  AccountChanges all;

  TwoFaults() {
    SplitMix64 rng(31);
    all = random_accounts(rng, 64);
    test::apply_and_commit(store, all);
    for (auto& [address, account] : all) account->balance ^= 1;
  }
  util::Bytes& node(util::Bytes key) { return store.mutable_data().at(key); }
};

TEST(TreeUpdateErrors, AnAlteredNodeIsFoundInTheBatch) {
  TwoFaults f;
  f.node(util::Bytes{kNodeKeyPrefix, 3, 0x40}).back() ^= 1;
  auto update = AccountState(f.store).apply(f.all);
  ASSERT_FALSE(update.is_ok());
  EXPECT_EQ(update.status().code(), StatusCode::kCorruption);
  EXPECT_NE(update.status().message().find("state node at depth 3 on path "), std::string::npos)
      << update.status().message();
  EXPECT_NE(update.status().message().find("does not match its hash"), std::string::npos);
}

TEST(TreeUpdateErrors, AnAlteredNodeBeforeAMissingOneInWalkOrderIsTheError) {
  TwoFaults f;
  // The root's node is read first; a node below it is missing.
  f.node(util::Bytes{kNodeKeyPrefix, 0}).back() ^= 1;
  f.store.mutable_data().erase(util::Bytes{kNodeKeyPrefix, 2, 0xc0});
  auto update = AccountState(f.store).apply(f.all);
  ASSERT_FALSE(update.is_ok());
  EXPECT_NE(update.status().message().find("state node at depth 0"), std::string::npos)
      << update.status().message();
  EXPECT_NE(update.status().message().find("does not match its hash"), std::string::npos);
}

TEST(TreeUpdateErrors, AMissingNodeBeforeAnAlteredOneInWalkOrderIsTheError) {
  TwoFaults f;
  // The left half is walked before the right half.
  f.store.mutable_data().erase(util::Bytes{kNodeKeyPrefix, 2, 0x40});
  f.node(util::Bytes{kNodeKeyPrefix, 2, 0xc0}).back() ^= 1;
  auto update = AccountState(f.store).apply(f.all);
  ASSERT_FALSE(update.is_ok());
  EXPECT_EQ(update.status().code(), StatusCode::kCorruption);
  EXPECT_NE(update.status().message().find("state node at depth 2 on path "), std::string::npos)
      << update.status().message();
  EXPECT_NE(update.status().message().find("is missing"), std::string::npos);
}

TEST(TreeUpdateErrors, AnUndecodableNodeIsCorruptionWithItsDepth) {
  TwoFaults f;
  f.node(util::Bytes{kNodeKeyPrefix, 1, 0x80}) = util::Bytes{7};
  auto update = AccountState(f.store).apply(f.all);
  ASSERT_FALSE(update.is_ok());
  EXPECT_EQ(update.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(update.status().message(),
            "state node at depth 1.left: unknown reference kind 7 at offset 0");
}

}  // namespace
}  // namespace qpow::state
