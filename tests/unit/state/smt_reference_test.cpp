// Property test: the persisted, incremental tree agrees with a direct transcription of the
// definition in smt_hash.h (node(S, d) over the sorted key set) on 10,000 accounts, through
// batched inserts, updates and removals, and stores exactly one record per internal node of the
// reference tree: nothing leaks.
#include <algorithm>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "state/smt_hash.h"
#include "state/smt_node.h"
#include "state/smt_proof.h"
#include "state/sparse_merkle_tree.h"
#include "state_test_support.h"

namespace qpow::state {
namespace {

using test::MapNodeStore;
using test::SplitMix64;

using Pair = std::pair<SmtKey, crypto::Hash256>;  // key, value hash

struct Reference {
  crypto::Hash256 root{};
  std::size_t internal_nodes = 0;
};

// node(S, d) exactly as smt_hash.h writes it, copying the halves.
crypto::Hash256 reference_node(const std::vector<Pair>& set, std::size_t depth,
                               std::size_t& internal_nodes) {
  if (set.empty()) return kEmptyHash;
  if (set.size() == 1) return leaf_hash(set[0].first, set[0].second);
  std::vector<Pair> zero;
  std::vector<Pair> one;
  for (const Pair& p : set) (key_bit(p.first, depth) == 0 ? zero : one).push_back(p);
  ++internal_nodes;
  const crypto::Hash256 left = reference_node(zero, depth + 1, internal_nodes);
  const crypto::Hash256 right = reference_node(one, depth + 1, internal_nodes);
  return internal_hash(left, right);
}

// The value hash written out from the encoding's definition: SHA3-256 of the record's first
// 1 + 8 + 8 + 1 (+ 1 + 32 with a key) + 1 (+ 32 with a next-key commitment) bytes.
crypto::Hash256 reference_value_hash(const Account& account, util::ByteSpan record) {
  const std::size_t size = 18 + (account.key ? 33 : 0) + 1 + (account.next_key_commitment ? 32 : 0);
  return crypto::Sha3_256::hash(record.first(size));
}

Reference reference(const std::map<primitives::Address, Account>& accounts) {
  std::vector<Pair> set;
  for (const auto& [address, account] : accounts) {
    const auto encoded = encode_account(account);
    EXPECT_TRUE(encoded.is_ok());
    set.emplace_back(smt_key(address), reference_value_hash(account, *encoded));
  }
  std::sort(set.begin(), set.end());
  Reference out;
  out.root = reference_node(set, 0, out.internal_nodes);
  return out;
}

void expect_matches_reference(const MapNodeStore& store,
                              const std::map<primitives::Address, Account>& accounts) {
  const Reference expected = reference(accounts);
  auto root = AccountState(store).root();
  ASSERT_TRUE(root.is_ok());
  EXPECT_EQ(*root, expected.root);
  std::size_t account_records = 0;
  std::size_t node_records = 0;
  for (const auto& entry : store.data()) {
    account_records += entry.first[0] == kAccountKeyPrefix;
    node_records += entry.first[0] == kNodeKeyPrefix;
  }
  EXPECT_EQ(account_records, accounts.size());
  EXPECT_EQ(node_records, expected.internal_nodes);
  EXPECT_EQ(store.data().size(), account_records + node_records + (accounts.empty() ? 0 : 1));
}

TEST(SparseMerkleTreeReference, TenThousandAccounts) {
  SplitMix64 rng(10'000);
  MapNodeStore store;
  std::map<primitives::Address, Account> accounts;

  // Insert 10,000 accounts in blocks of 1,000.
  for (int block = 0; block < 10; ++block) {
    AccountChanges changes;
    while (changes.size() < 1000) {
      const primitives::Address address = test::random_address(rng);
      const Account account = test::random_account(rng);
      changes[address] = account;
      accounts[address] = account;
    }
    test::apply_and_commit(store, changes);
  }
  expect_matches_reference(store, accounts);

  // Blocks that update 600, remove 300 and create 100 accounts each.
  for (int block = 0; block < 5; ++block) {
    AccountChanges changes;
    std::vector<primitives::Address> existing;
    for (const auto& entry : accounts) existing.push_back(entry.first);
    while (changes.size() < 900) {
      const primitives::Address& address = existing[rng.below(existing.size())];
      changes[address] = changes.size() % 3 == 0
                             ? std::nullopt
                             : std::optional<Account>(test::random_account(rng));
    }
    for (int i = 0; i < 100; ++i) changes[test::random_address(rng)] = test::random_account(rng);
    for (const auto& [address, account] : changes) {
      if (account) {
        accounts[address] = *account;
      } else {
        accounts.erase(address);
      }
    }
    test::apply_and_commit(store, changes);
    expect_matches_reference(store, accounts);
  }

  // Every account proves its state against the reference root.
  const crypto::Hash256 root = reference(accounts).root;
  const AccountState state(store);
  for (const auto& [address, account] : accounts) {
    auto proof = state.prove(address);
    ASSERT_TRUE(proof.is_ok());
    ASSERT_TRUE(verify_proof(root, address, account, *proof));
  }
}

}  // namespace
}  // namespace qpow::state
