// AccountState::read_batch and apply(batch, values): the batch reads what get() reads, on one
// thread and on two; applying new values to a batch gives exactly the root and writes of apply()
// over the same changes as a map; the bound on changes holds for batches too; the first corrupt
// record in address order is the error; an account decoded from its owned record equals one
// decoded from a view.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/smt_hash.h"
#include "state/smt_node.h"
#include "state/sparse_merkle_tree.h"
#include "state_test_support.h"
#include "support/two_thread_executor.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using test::MapNodeStore;
using test::random_accounts;
using test::SplitMix64;
using util::StatusCode;

using ::qpow::test::TwoThreadExecutor;

std::vector<std::string> dump(const StateWrites& writes) {
  std::vector<std::string> out;
  for (const auto& [key, value] : writes) {
    out.push_back(util::to_hex(key) + "=" + (value ? util::to_hex(*value) : "deleted"));
  }
  return out;
}

// 500 stored accounts; a batch of 150 of them and 100 new addresses.
struct Fixture {
  MapNodeStore store;
  AccountChanges stored;
  std::vector<primitives::Address> addresses;

  Fixture() {
    SplitMix64 rng(77);
    stored = random_accounts(rng, 500);
    test::apply_and_commit(store, stored);
    auto it = stored.begin();
    for (int i = 0; i < 150; ++i, std::advance(it, 3)) addresses.push_back(it->first);
    for (const auto& entry : random_accounts(rng, 100)) addresses.push_back(entry.first);
    std::sort(addresses.begin(), addresses.end());
  }
};

TEST(AccountBatch, ReadsWhatGetReads) {
  Fixture f;
  const AccountState state(f.store);
  util::InlineExecutor inline_executor;
  TwoThreadExecutor two;
  for (util::Executor* executor :
       {static_cast<util::Executor*>(&inline_executor), static_cast<util::Executor*>(&two)}) {
    auto batch = state.read_batch(f.addresses, *executor);
    ASSERT_TRUE(batch.is_ok()) << batch.status().to_string();
    ASSERT_EQ(batch->size(), f.addresses.size());
    EXPECT_TRUE(std::equal(f.addresses.begin(), f.addresses.end(), batch->addresses().begin()));
    for (std::size_t i = 0; i < f.addresses.size(); ++i) {
      auto one = state.get(f.addresses[i]);
      ASSERT_TRUE(one.is_ok());
      EXPECT_EQ(batch->accounts()[i], *one) << "address " << i;
    }
    const std::vector<std::optional<Account>> taken = batch->take_accounts();
    EXPECT_EQ(taken.size(), f.addresses.size());
    EXPECT_TRUE(batch->accounts().empty());
    EXPECT_EQ(batch->size(), f.addresses.size());
  }
}

TEST(AccountBatch, ApplyEqualsApplyOfTheSameChanges) {
  Fixture f;
  const AccountState state(f.store);
  util::InlineExecutor inline_executor;
  auto batch = state.read_batch(f.addresses, inline_executor);
  ASSERT_TRUE(batch.is_ok());
  SplitMix64 rng(5);
  std::vector<std::optional<Account>> values;
  AccountChanges changes;
  for (const primitives::Address& address : f.addresses) {
    // Changes, removals and creations; some accounts keep their value.
    const auto new_value = [&]() -> std::optional<Account> {
      const std::size_t pick = rng.below(10);
      if (pick < 2) return std::nullopt;
      const auto it = f.stored.find(address);
      if (pick < 4 && it != f.stored.end()) return it->second;
      return test::random_account(rng);
    };
    const std::optional<Account> value = new_value();
    values.push_back(value);
    changes[address] = value;
  }
  auto from_batch = state.apply(*batch, values);
  auto from_map = state.apply(changes);
  ASSERT_TRUE(from_batch.is_ok()) << from_batch.status().to_string();
  ASSERT_TRUE(from_map.is_ok());
  EXPECT_EQ(from_batch->root, from_map->root);
  EXPECT_EQ(dump(from_batch->writes), dump(from_map->writes));
  // The batch's accounts may be taken first: apply does not look at them.
  batch->take_accounts();
  auto after_take = state.apply(*batch, values);
  ASSERT_TRUE(after_take.is_ok());
  EXPECT_EQ(after_take->root, from_map->root);
}

TEST(AccountBatch, ApplyHonoursTheBoundAndReportsBadAccounts) {
  MapNodeStore store;
  const AccountState state(store);
  util::InlineExecutor inline_executor;
  std::vector<primitives::Address> many(kMaxChangesPerApply + 1);
  for (std::size_t i = 0; i < many.size(); ++i) util::store_le64(many[i].bytes.data() + 24, i);
  for (auto& address : many) std::reverse(address.bytes.begin(), address.bytes.end());
  std::sort(many.begin(), many.end());
  auto batch = state.read_batch(many, inline_executor);
  ASSERT_TRUE(batch.is_ok());
  const std::vector<std::optional<Account>> values(many.size());
  auto over = state.apply(*batch, values);
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(over.status().message(), "state update: 32769 account changes, the limit is 32768");

  auto small =
      state.read_batch({test::filled_address(1), test::filled_address(2)}, inline_executor);
  ASSERT_TRUE(small.is_ok());
  Account bad{.balance = 1, .nonce = 1};
  bad.key = AccountKey::from_public_key(crypto::SchemeId::kMlDsa65, util::Bytes(10, 0));
  const std::vector<std::optional<Account>> bad_values{Account{.balance = 5}, bad};
  auto rejected = state.apply(*small, bad_values);
  ASSERT_FALSE(rejected.is_ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rejected.status().message().find("account " + test::filled_address(2).to_hex()),
            std::string::npos);
}

TEST(AccountBatch, TheFirstCorruptRecordInAddressOrderIsTheError) {
  Fixture f;
  std::vector<primitives::Address> present;
  for (const auto& address : f.addresses) {
    if (f.stored.count(address)) present.push_back(address);
  }
  ASSERT_GT(present.size(), 40u);
  const primitives::Address first = present[10];
  const primitives::Address later = present[40];
  f.store.mutable_data()[account_record_key(smt_key(later))] = util::Bytes{9};
  f.store.mutable_data()[account_record_key(smt_key(first))] = util::Bytes{8};
  TwoThreadExecutor two;
  auto batch = AccountState(f.store).read_batch(f.addresses, two);
  ASSERT_FALSE(batch.is_ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kCorruption);
  EXPECT_NE(batch.status().message().find(first.to_hex()), std::string::npos)
      << batch.status().message();
  EXPECT_NE(batch.status().message().find("account.version: 8"), std::string::npos);
}

TEST(AccountBatch, AddressesMustBeSortedAndDistinct) {
  MapNodeStore store;
  util::InlineExecutor inline_executor;
  const AccountState state(store);
  EXPECT_DEATH(static_cast<void>(state.read_batch(
                   {test::filled_address(2), test::filled_address(1)}, inline_executor)),
               "sorted and distinct");
  EXPECT_DEATH(static_cast<void>(state.read_batch(
                   {test::filled_address(1), test::filled_address(1)}, inline_executor)),
               "sorted and distinct");
}

TEST(AccountDecoding, OwnedRecordDecodesLikeAView) {
  Account keyed = test::account_with_key(5, 6, crypto::SchemeId::kMlDsa65, 0x42);
  keyed.next_key_commitment = crypto::Hash256{7};
  for (const Account& account : {Account{}, Account{.balance = 9, .nonce = 1}, keyed}) {
    auto bytes = encode_account(account);
    ASSERT_TRUE(bytes.is_ok());
    auto from_view = decode_account(util::ByteSpan(*bytes));
    auto from_owned = decode_account(util::Bytes(*bytes));
    ASSERT_TRUE(from_view.is_ok());
    ASSERT_TRUE(from_owned.is_ok());
    EXPECT_EQ(*from_owned, account);
    EXPECT_EQ(*from_view, account);
  }
  // The same error either way, trailing bytes included.
  auto bytes = encode_account(keyed);
  ASSERT_TRUE(bytes.is_ok());
  bytes->push_back(0);
  auto from_view = decode_account(util::ByteSpan(*bytes));
  auto from_owned = decode_account(util::Bytes(*bytes));
  ASSERT_FALSE(from_owned.is_ok());
  EXPECT_EQ(from_owned.status().message(), from_view.status().message());
}

}  // namespace
}  // namespace qpow::state
