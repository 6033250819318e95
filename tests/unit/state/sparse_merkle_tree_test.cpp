// AccountState over a map-backed NodeStore: the empty root, golden roots, history independence
// (revert restores the root and the exact stored key set; insertion order does not matter), the
// read pattern of a batch, the batch bound, and detection of a corrupt store.
//
// The golden roots were computed independently from the definition in smt_hash.h with a short
// Python model (hashlib.sha3_256, the recursive node(S, d) rule, the account encoding of
// account.h).
#include "state/sparse_merkle_tree.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/overlay_node_store.h"
#include "state/smt_hash.h"
#include "state/smt_node.h"
#include "state_test_support.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using test::apply_and_commit;
using test::filled_address;
using test::MapNodeStore;
using test::random_accounts;
using test::SplitMix64;
using util::StatusCode;

std::string root_hex(const NodeStore& store) {
  auto root = AccountState(store).root();
  EXPECT_TRUE(root.is_ok()) << root.status().to_string();
  return root.is_ok() ? util::to_hex(*root) : std::string();
}

// Accounts 0x01.., 0x02.., 0x03.. of the golden tests.
AccountChanges golden_accounts(int count) {
  AccountChanges changes;
  changes[filled_address(1)] = Account{.balance = 1, .nonce = 0};
  if (count >= 2) changes[filled_address(2)] = Account{.balance = 0x0102030405060708, .nonce = 5};
  if (count >= 3) {
    Account third = test::account_with_key(42, 7, crypto::SchemeId::kMlDsa44, 0xab);
    third.next_key_commitment = key_commitment(crypto::SchemeId::kMlDsa44, util::Bytes(1312, 0xcd));
    changes[filled_address(3)] = third;
  }
  return changes;
}

TEST(AccountState, EmptyStoreHasTheEmptyRoot) {
  MapNodeStore store;
  const AccountState state(store);
  EXPECT_EQ(root_hex(store), std::string(64, '0'));
  auto account = state.get(filled_address(1));
  ASSERT_TRUE(account.is_ok());
  EXPECT_FALSE(account->has_value());
  auto update = state.apply({});
  ASSERT_TRUE(update.is_ok());
  EXPECT_EQ(update->root, kEmptyHash);
  EXPECT_TRUE(update->writes.empty());
}

TEST(AccountState, GoldenRoots) {
  struct Case {
    int accounts;
    const char* root;
  };
  for (const Case& c :
       {Case{1, "0baef8380b93d3707426a6a10bd551e3dd18cde2566ee9412a9cd23feb74523a"},
        Case{2, "474f741ff8dde8814e05327e82fe648bdc4b9980eaab8cabe3a8294690666977"},
        Case{3, "0baf7466a0f016d79308d93fa9a202ead2276ddef6ce305704663eedc1011af2"}}) {
    MapNodeStore store;
    apply_and_commit(store, golden_accounts(c.accounts));
    EXPECT_EQ(root_hex(store), c.root) << c.accounts << " accounts";
  }
}

TEST(AccountState, GoldenRootOfSixteenAccounts) {
  // Addresses of 32 bytes i, balance and nonce i, for i = 0..15.
  AccountChanges changes;
  for (std::uint8_t i = 0; i < 16; ++i)
    changes[filled_address(i)] = Account{.balance = i, .nonce = i};
  MapNodeStore store;
  apply_and_commit(store, changes);
  EXPECT_EQ(root_hex(store), "2e5275ff6f65a0fc587a1a6f42d1bdc4da91659fbdce7bb44ea181a226342278");
}

TEST(AccountState, OneAccountIsItsLeafAtTheRoot) {
  MapNodeStore store;
  const crypto::Hash256 root = apply_and_commit(store, golden_accounts(1));
  const auto encoded = encode_account(Account{.balance = 1, .nonce = 0});
  ASSERT_TRUE(encoded.is_ok());
  ASSERT_EQ(encoded->size(), 19u);  // no key: the whole record is the value
  EXPECT_EQ(util::to_hex(smt_key(filled_address(1))),
            "0bcdd0df6a2e10784e1241541e91ccb897541af713e327f9555231d141c99644");
  EXPECT_EQ(root, leaf_hash(smt_key(filled_address(1)), crypto::Sha3_256::hash(*encoded)));
  // A single account needs no internal node: the store holds its record and the root only.
  EXPECT_EQ(store.data().size(), 2u);
}

TEST(AccountState, GetReturnsWhatWasApplied) {
  MapNodeStore store;
  const AccountChanges changes = golden_accounts(3);
  apply_and_commit(store, changes);
  const AccountState state(store);
  for (const auto& [address, account] : changes) {
    auto got = state.get(address);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_EQ(*got, account);
  }
  auto missing = state.get(filled_address(9));
  ASSERT_TRUE(missing.is_ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(AccountState, ApplyThenRevertRestoresRootAndStoredKeys) {
  SplitMix64 rng(7);
  MapNodeStore store;
  const AccountChanges initial = random_accounts(rng, 600);
  apply_and_commit(store, initial);
  const auto before = store.data();
  const std::string root_before = root_hex(store);

  // A block: change 150 accounts, delete 100, create 200. Its undo: the previous values.
  AccountChanges block;
  AccountChanges undo;
  auto it = initial.begin();
  for (int i = 0; i < 250; ++i, ++it) {
    block[it->first] = i < 150 ? std::optional<Account>(test::random_account(rng)) : std::nullopt;
    undo[it->first] = it->second;
  }
  for (const auto& [address, account] : random_accounts(rng, 200)) {
    block[address] = account;
    undo[address] = std::nullopt;
  }
  apply_and_commit(store, block);
  EXPECT_NE(root_hex(store), root_before);
  apply_and_commit(store, undo);
  EXPECT_EQ(root_hex(store), root_before);
  EXPECT_TRUE(store.data() == before) << "stored keys or values differ after the revert";
}

TEST(AccountState, RemovingEveryAccountLeavesAnEmptyStore) {
  SplitMix64 rng(11);
  MapNodeStore store;
  const AccountChanges accounts = random_accounts(rng, 300);
  apply_and_commit(store, accounts);
  AccountChanges removal;
  for (const auto& entry : accounts) removal[entry.first] = std::nullopt;
  EXPECT_EQ(apply_and_commit(store, removal), kEmptyHash);
  EXPECT_TRUE(store.data().empty());
}

TEST(AccountState, RootAndStoreDoNotDependOnInsertionOrder) {
  SplitMix64 rng(2024);
  const AccountChanges accounts = random_accounts(rng, 400);
  std::vector<std::pair<primitives::Address, std::optional<Account>>> entries(accounts.begin(),
                                                                              accounts.end());

  MapNodeStore reference;
  const crypto::Hash256 expected = apply_and_commit(reference, accounts);
  for (int round = 0; round < 6; ++round) {
    // Fisher-Yates shuffle with the test's generator, then batches of random sizes.
    for (std::size_t i = entries.size() - 1; i > 0; --i)
      std::swap(entries[i], entries[rng.below(i + 1)]);
    MapNodeStore store;
    for (std::size_t start = 0; start < entries.size();) {
      const std::size_t size = std::min(entries.size() - start, 1 + rng.below(60));
      apply_and_commit(store,
                       AccountChanges(entries.begin() + static_cast<std::ptrdiff_t>(start),
                                      entries.begin() + static_cast<std::ptrdiff_t>(start + size)));
      start += size;
    }
    EXPECT_EQ(root_hex(store), util::to_hex(expected)) << "round " << round;
    EXPECT_TRUE(store.data() == reference.data()) << "round " << round;
  }
}

TEST(AccountState, BatchReadsEachStoredNodeOnceAndNoAccountRecords) {
  SplitMix64 rng(99);
  MapNodeStore store;
  AccountChanges initial = random_accounts(rng, 10'000);
  for (auto it = initial.begin(); it != initial.end();) {
    AccountChanges batch;
    for (int i = 0; i < 2000 && it != initial.end(); ++i, ++it) batch.insert(*it);
    apply_and_commit(store, batch);
  }
  AccountChanges block;
  auto it = initial.begin();
  for (int i = 0; i < 500; ++i, ++it) block[it->first] = test::random_account(rng);
  for (const auto& entry : random_accounts(rng, 500)) block.insert(entry);

  store.reset_reads();
  auto update = AccountState(store).apply(block);
  ASSERT_TRUE(update.is_ok());
  // Every internal node read is rewritten or deleted, so the reads are bounded by the node
  // writes plus the root record: no siblings and no account records are read.
  std::size_t node_writes = 0;
  for (const auto& [key, value] : update->writes) node_writes += key[0] == kNodeKeyPrefix;
  EXPECT_LE(store.reads(), node_writes + 1);
  // About m * (log2(n / m) + 2) for n = 10,000 and m = 1,000.
  EXPECT_LT(store.reads(), 1000u * 8);
}

TEST(AccountState, ReapplyingCurrentValuesWritesNoNodes) {
  SplitMix64 rng(12);
  MapNodeStore store;
  const AccountChanges accounts = random_accounts(rng, 300);
  const crypto::Hash256 root = apply_and_commit(store, accounts);
  AccountChanges same(accounts.begin(), std::next(accounts.begin(), 50));
  auto update = AccountState(store).apply(same);
  ASSERT_TRUE(update.is_ok());
  EXPECT_EQ(update->root, root);
  for (const auto& entry : update->writes) EXPECT_NE(entry.key[0], kNodeKeyPrefix);
}

TEST(AccountState, ChangesAreBoundedPerApply) {
  SplitMix64 rng(5);
  AccountChanges changes = random_accounts(rng, kMaxChangesPerApply);
  MapNodeStore store;
  auto at_bound = AccountState(store).apply(changes);
  ASSERT_TRUE(at_bound.is_ok()) << at_bound.status().to_string();
  changes[test::random_address(rng)] = Account{};
  auto over = AccountState(store).apply(changes);
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(over.status().message(), "state update: 32769 account changes, the limit is 32768");
}

TEST(AccountState, RejectsAnAccountWithoutAnEncoding) {
  MapNodeStore store;
  Account bad{.balance = 1, .nonce = 1};
  bad.key = AccountKey::from_public_key(crypto::SchemeId::kMlDsa65, util::Bytes(10, 0));
  auto update = AccountState(store).apply({{filled_address(4), bad}});
  ASSERT_FALSE(update.is_ok());
  EXPECT_EQ(update.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(update.status().message().find("account " + filled_address(4).to_hex()),
            std::string::npos);
}

TEST(AccountState, OverlayChainsUpdatesBeforeCommit) {
  SplitMix64 rng(3);
  const AccountChanges first = random_accounts(rng, 200);
  AccountChanges second = random_accounts(rng, 100);
  for (auto it = first.begin(); it != first.end(); std::advance(it, 3))
    second[it->first] = std::nullopt;
  MapNodeStore sequential;
  apply_and_commit(sequential, first);
  apply_and_commit(sequential, second);

  MapNodeStore store;
  OverlayNodeStore overlay(store);
  auto one = AccountState(overlay).apply(first);
  ASSERT_TRUE(one.is_ok());
  overlay.apply(one->writes);
  auto two = AccountState(overlay).apply(second);
  ASSERT_TRUE(two.is_ok());
  overlay.apply(two->writes);
  EXPECT_TRUE(store.data().empty());
  store.commit(overlay.writes());
  EXPECT_EQ(root_hex(store), root_hex(sequential));
  EXPECT_TRUE(store.data() == sequential.data());
}

TEST(AccountState, MissingNodeIsCorruption) {
  SplitMix64 rng(8);
  MapNodeStore store;
  apply_and_commit(store, random_accounts(rng, 50));
  // Drop the root's internal node ("n" || depth 0).
  ASSERT_EQ(store.mutable_data().erase(util::Bytes{kNodeKeyPrefix, 0}), 1u);
  const AccountState state(store);
  auto update = state.apply(random_accounts(rng, 1));
  ASSERT_FALSE(update.is_ok());
  EXPECT_EQ(update.status().code(), StatusCode::kCorruption);
  EXPECT_NE(update.status().message().find("depth 0"), std::string::npos);
  auto proof = state.prove(filled_address(1));
  ASSERT_FALSE(proof.is_ok());
  EXPECT_EQ(proof.status().code(), StatusCode::kCorruption);
}

TEST(AccountState, AlteredNodeIsCorruption) {
  SplitMix64 rng(9);
  MapNodeStore store;
  apply_and_commit(store, random_accounts(rng, 50));
  for (auto& [key, value] : store.mutable_data()) {
    if (key[0] != kNodeKeyPrefix) continue;
    value.back() ^= 1;  // a bit of a child's hash or value hash
  }
  auto proof = AccountState(store).prove(filled_address(1));
  ASSERT_FALSE(proof.is_ok());
  EXPECT_EQ(proof.status().code(), StatusCode::kCorruption);
  EXPECT_NE(proof.status().message().find("does not match its hash"), std::string::npos);
}

TEST(AccountState, UndecodableRecordsAreCorruption) {
  MapNodeStore store;
  apply_and_commit(store, golden_accounts(3));
  const AccountState state(store);
  store.mutable_data()[account_record_key(smt_key(filled_address(2)))] = util::Bytes{9};
  auto account = state.get(filled_address(2));
  ASSERT_FALSE(account.is_ok());
  EXPECT_EQ(account.status().code(), StatusCode::kCorruption);
  EXPECT_NE(account.status().message().find("account.version"), std::string::npos);

  store.mutable_data()[root_record_key()] = util::Bytes{7};
  auto root = state.root();
  ASSERT_FALSE(root.is_ok());
  EXPECT_EQ(root.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(root.status().message(), "state root.ref: unknown reference kind 7 at offset 0");
}

TEST(AccountState, LeafWithoutItsAccountRecordIsCorruption) {
  MapNodeStore store;
  apply_and_commit(store, golden_accounts(1));
  const util::Bytes record_key = account_record_key(smt_key(filled_address(1)));
  // A proof of absence for another address ends at this leaf and needs its value hash.
  auto other = encode_account(Account{.balance = 2, .nonce = 0});
  ASSERT_TRUE(other.is_ok());
  store.mutable_data()[record_key] = *other;
  auto altered = AccountState(store).prove(filled_address(2));
  ASSERT_FALSE(altered.is_ok());
  EXPECT_EQ(altered.status().code(), StatusCode::kCorruption);
  EXPECT_NE(altered.status().message().find("does not match the leaf"), std::string::npos);
  store.mutable_data()[record_key] = util::Bytes{1, 2, 3};
  auto garbled = AccountState(store).prove(filled_address(2));
  ASSERT_FALSE(garbled.is_ok());
  EXPECT_EQ(garbled.status().code(), StatusCode::kCorruption);
  EXPECT_NE(garbled.status().message().find("account.version"), std::string::npos)
      << garbled.status().message();
  store.mutable_data().erase(record_key);
  auto missing = AccountState(store).prove(filled_address(2));
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kCorruption);
  EXPECT_NE(missing.status().message().find("is missing"), std::string::npos);
}

}  // namespace
}  // namespace qpow::state
