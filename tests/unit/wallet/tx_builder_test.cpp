// Transactions the wallet signs are accepted by the chain's validation: a first transfer (key in
// the witness), a later one (key on chain), a rotation signed by the old key that installs a
// commitment, a rotation signed by the committed key, and a transfer under the rotated key.
#include "wallet/tx_builder.h"

#include <gtest/gtest.h>

#include "temp_dir.h"
#include "unit/chain/chain_fixture.h"

namespace qpow::wallet {
namespace {

constexpr KeystoreOptions kFast{.kdf = {.opslimit = 1, .memlimit_kib = 8}};

class WalletOnChain : public test::ChainFixture {
 protected:
  void SetUp() override {
    test::ChainFixture::SetUp();
    auto ks = Keystore::create(dir.file("keystore.dat"), "pass", kFast);
    ASSERT_TRUE(ks.is_ok()) << ks.status().to_string();
    keystore.emplace(std::move(ks).value());
    auto added = keystore->add_key(crypto::kDefaultScheme, "main");
    ASSERT_TRUE(added.is_ok());
    address = *added;
    // Fund the wallet's account from the dev key.
    const auto funding = test::transfer(dev, address, 10 * consensus::kCoin, 0, true);
    ASSERT_TRUE(submit(make_block({funding})).is_ok());
  }

  TxTerms terms(std::uint64_t nonce) const {
    return {.chain_id = params.chain_id, .nonce = nonce, .fee = 100'000, .memo = {'w'}};
  }

  void expect_accepted(const primitives::Transaction& tx) {
    const std::uint64_t height = chain->tip().height();
    ASSERT_TRUE(submit(make_block({tx})).is_ok());
    EXPECT_EQ(chain->tip().height(), height + 1);
  }

  test::TempDir dir;
  std::optional<Keystore> keystore;
  primitives::Address address{};
};

TEST_F(WalletOnChain, TransfersAndRotationsAreAccepted) {
  const KeyEntry* entry = keystore->find(address);
  ASSERT_NE(entry, nullptr);
  auto first = build_transfer(*entry, miner.address, consensus::kCoin, terms(0));
  ASSERT_TRUE(first.is_ok());
  EXPECT_FALSE(first->witness.public_key.empty());
  expect_accepted(*first);
  auto second = build_transfer(*entry, miner.address, 1, terms(1));
  ASSERT_TRUE(second.is_ok());
  EXPECT_TRUE(second->witness.public_key.empty());
  expect_accepted(*second);

  // No commitment on chain yet: the old key signs, and the rotation installs one.
  auto rotation = keystore->rotate(address);
  ASSERT_TRUE(rotation.is_ok());
  EXPECT_FALSE(build_rotation(*rotation, RotationSigner::kCommittedKey, terms(0)).is_ok());
  auto announce = build_rotation(*rotation, RotationSigner::kOldKey, terms(2));
  ASSERT_TRUE(announce.is_ok());
  expect_accepted(*announce);
  auto account = *chain->account(address);
  const util::ByteSpan key = account->key->public_key();
  EXPECT_EQ(util::Bytes(key.begin(), key.end()), rotation->new_key.public_key);
  EXPECT_EQ(account->next_key_commitment, rotation->next_commitment);

  // Now the commitment is on chain: only the committed key may sign the next rotation.
  auto again = keystore->rotate(address);
  ASSERT_TRUE(again.is_ok());
  ASSERT_TRUE(again->new_key_was_committed);
  auto by_old = build_rotation(*again, RotationSigner::kOldKey, terms(3));
  ASSERT_TRUE(by_old.is_ok());
  auto refused = chain->assemble_block(
      {.txs = {*by_old}, .miner = miner.address, .time = next_time(chain->tip()), .extra = {}});
  EXPECT_EQ(refused->first.reason(), consensus::RejectReason::kTxBadSignature);
  auto by_committed = build_rotation(*again, RotationSigner::kCommittedKey, terms(3));
  ASSERT_TRUE(by_committed.is_ok());
  expect_accepted(*by_committed);

  // The rotated key spends.
  auto after = build_transfer(*keystore->find(address), miner.address, 2, terms(4));
  ASSERT_TRUE(after.is_ok());
  expect_accepted(*after);
  EXPECT_EQ(balance(address), 10 * consensus::kCoin - consensus::kCoin - 1 - 2 - 5 * 100'000);
}

TEST_F(WalletOnChain, BadTermsAreErrors) {
  const KeyEntry* entry = keystore->find(address);
  EXPECT_FALSE(build_transfer(*entry, primitives::Address{}, 1, terms(0)).is_ok());
  EXPECT_FALSE(build_transfer(*entry, miner.address, UINT64_MAX, terms(0)).is_ok());
  TxTerms long_memo = terms(0);
  long_memo.memo.assign(primitives::kTxMemoBytesMax, 'm');
  EXPECT_TRUE(build_transfer(*entry, miner.address, 1, long_memo).is_ok());
  long_memo.memo.push_back('m');
  EXPECT_FALSE(build_transfer(*entry, miner.address, 1, long_memo).is_ok());
}

}  // namespace
}  // namespace qpow::wallet
