// Shared fixtures of the state tests: a NodeStore over a std::map that commits StateWrites the
// way storage does, a deterministic generator (support/split_mix64.h), and account builders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "crypto/signature_scheme.h"
#include "primitives/address.h"
#include "state/account.h"
#include "state/node_store.h"
#include "state/sparse_merkle_tree.h"
#include "support/split_mix64.h"
#include "util/bytes.h"

namespace qpow::state::test {

// A NodeStore in a map. Counts reads so tests can check how many an operation needs.
class MapNodeStore final : public NodeStore {
 public:
  util::Result<std::optional<util::Bytes>> get(util::ByteSpan key) const override {
    ++reads_;
    const auto it = data_.find(key);
    if (it == data_.end()) return std::optional<util::Bytes>();
    return std::optional<util::Bytes>(it->second);
  }

  void commit(const StateWrites& writes) {
    for (const auto& [key, value] : writes) {
      if (value) {
        data_.insert_or_assign(util::to_bytes(key), util::to_bytes(*value));
      } else if (const auto it = data_.find(key); it != data_.end()) {
        data_.erase(it);
      }
    }
  }

  const std::map<util::Bytes, util::Bytes, StateKeyLess>& data() const { return data_; }
  std::map<util::Bytes, util::Bytes, StateKeyLess>& mutable_data() { return data_; }
  std::size_t reads() const { return reads_; }
  void reset_reads() { reads_ = 0; }

 private:
  std::map<util::Bytes, util::Bytes, StateKeyLess> data_;
  mutable std::size_t reads_ = 0;
};

using ::qpow::test::SplitMix64;

inline primitives::Address random_address(SplitMix64& rng) {
  primitives::Address address;
  for (std::size_t i = 0; i < address.bytes.size(); i += 8) {
    util::store_le64(address.bytes.data() + i, rng.next());
  }
  return address;
}

inline primitives::Address filled_address(std::uint8_t byte) {
  primitives::Address address;
  address.bytes.fill(byte);
  return address;
}

// An account with a registered key of the given scheme whose bytes are all `fill`.
inline Account account_with_key(std::uint64_t balance, std::uint64_t nonce, crypto::SchemeId scheme,
                                std::uint8_t fill) {
  Account account{.balance = balance, .nonce = nonce};
  account.key = AccountKey::from_public_key(
      scheme, util::Bytes(crypto::scheme_info(scheme).public_key_bytes, fill));
  return account;
}

inline Account random_account(SplitMix64& rng) {
  Account account{.balance = rng.next(), .nonce = rng.below(1000)};
  if (rng.below(4) == 0) {
    account = account_with_key(account.balance, account.nonce, crypto::SchemeId::kMlDsa44,
                               static_cast<std::uint8_t>(rng.next()));
  }
  if (rng.below(8) == 0) {
    crypto::Hash256 commitment;
    for (auto& b : commitment) b = static_cast<std::uint8_t>(rng.next());
    account.next_key_commitment = commitment;
  }
  return account;
}

// `count` distinct random addresses, each with a random account.
inline AccountChanges random_accounts(SplitMix64& rng, std::size_t count) {
  AccountChanges changes;
  while (changes.size() < count) changes[random_address(rng)] = random_account(rng);
  return changes;
}

// Applies changes to the store and returns the new root; fails the test on error.
inline crypto::Hash256 apply_and_commit(MapNodeStore& store, const AccountChanges& changes) {
  auto update = AccountState(store).apply(changes);
  EXPECT_TRUE(update.is_ok()) << update.status().to_string();
  if (!update.is_ok()) return {};
  store.commit(update->writes);
  return update->root;
}

}  // namespace qpow::state::test
