// A regtest chain in memory for chain-layer tests: the well-known dev key's funds, deterministic
// keys, signed transfers, and blocks mined for real (regtest's target accepts about half of all
// nonces, so mining a block takes a few qhash calls).
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "chain/chainstate.h"
#include "consensus/chain_params.h"
#include "consensus/pow.h"
#include "primitives/transaction.h"
#include "storage/memory_store.h"
#include "util/executor.h"

namespace qpow::test {

struct Key {
  crypto::KeyPair pair;
  primitives::Address address{};
};

inline Key make_key(std::uint8_t fill) {
  util::Bytes seed(32, fill);
  auto kp = crypto::keygen(crypto::kDefaultScheme, seed);
  EXPECT_TRUE(kp.is_ok());
  Key k{.pair = std::move(kp).value(), .address = {}};
  k.address = primitives::Address::from_public_key(crypto::kDefaultScheme, k.pair.public_key);
  return k;
}

inline Key dev_key() {
  const auto& params = consensus::chain_params(primitives::Network::kRegtest);
  Key k{.pair = consensus::dev_keypair(params), .address = {}};
  k.address = primitives::Address::from_public_key(params.dev_key_scheme, k.pair.public_key);
  return k;
}

inline primitives::Transaction transfer(const Key& from, const primitives::Address& to,
                                        std::uint64_t amount, std::uint64_t nonce,
                                        bool include_key, std::uint64_t fee = 100'000) {
  primitives::Transaction tx;
  tx.chain_id = consensus::chain_params(primitives::Network::kRegtest).chain_id;
  tx.sender = from.address;
  tx.recipient = to;
  tx.nonce = nonce;
  tx.amount = amount;
  tx.fee = fee;
  EXPECT_TRUE(primitives::sign_tx(tx, {.scheme = crypto::kDefaultScheme,
                                       .secret_key = from.pair.secret_key.span(),
                                       .public_key = from.pair.public_key,
                                       .include_public_key = include_key,
                                       .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  return tx;
}

// Searches nonces until the header meets its target.
inline void mine(primitives::Block& block) {
  const auto& params = consensus::chain_params(primitives::Network::kRegtest);
  while (!consensus::check_pow(block.header, params).is_ok()) ++block.header.nonce;
}

class ChainFixture : public ::testing::Test {
 protected:
  const consensus::ChainParams& params = consensus::chain_params(primitives::Network::kRegtest);
  storage::MemoryStore store;
  util::InlineExecutor executor;
  std::unique_ptr<chain::Chainstate> chain;
  Key dev = dev_key();
  Key miner = make_key(0x4d);

  void SetUp() override { reopen(); }

  void reopen() {
    chain.reset();
    auto cs = chain::Chainstate::open(store, params, executor);
    ASSERT_TRUE(cs.is_ok()) << cs.status().to_string();
    chain = std::move(cs).value();
  }

  // Time well inside the rules: one target spacing after the parent.
  std::uint64_t next_time(const chain::BlockIndexEntry& parent) const {
    return parent.header.time + static_cast<std::uint64_t>(params.target_spacing_s);
  }
  std::uint64_t now() const { return chain->tip().header.time + 10; }

  // A mined block on top of the tip with these transactions.
  primitives::Block make_block(std::vector<primitives::Transaction> txs, std::uint8_t extra = 0) {
    chain::BlockAssembly a{.txs = std::move(txs), .miner = miner.address,
                           .time = next_time(chain->tip()), .extra = {}};
    a.extra[0] = extra;
    auto r = chain->assemble_block(a);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_TRUE(r->first.is_ok()) << r->first.to_string();
    primitives::Block block = r->second;
    mine(block);
    return block;
  }

  consensus::Verdict submit(const primitives::Block& block) {
    auto v = chain->accept_block(block, now());
    EXPECT_TRUE(v.is_ok()) << v.status().to_string();
    return *v;
  }

  std::uint64_t balance(const primitives::Address& a) {
    auto acc = chain->account(a);
    EXPECT_TRUE(acc.is_ok());
    return acc->has_value() ? (*acc)->balance : 0;
  }
};

}  // namespace qpow::test
