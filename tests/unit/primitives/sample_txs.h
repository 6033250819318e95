// Deterministic sample transactions for primitives tests: keys from fixed seeds, deterministic
// ML-DSA signing, so encodings and ids are the golden values in docs/protocol.md.
#pragma once

#include <cstdint>

#include "crypto/signature_scheme.h"
#include "primitives/transaction.h"
#include "support/test_bytes.h"

namespace qpow::test {

inline crypto::KeyPair seeded_keypair(std::uint8_t fill,
                                      crypto::SchemeId scheme = crypto::kDefaultScheme) {
  const auto& info = crypto::scheme_info(scheme);
  util::Bytes seed(info.seed_bytes, fill);
  auto kp = crypto::keygen(scheme, seed);
  EXPECT_TRUE(kp.is_ok());
  return std::move(kp).value();
}

// A signed transfer of 1.5 QPOW with fee 0.0001 from the key of seed 0x01 to the key of 0x02.
inline primitives::Transaction sample_transfer(bool include_public_key = true) {
  const crypto::KeyPair from = seeded_keypair(0x01);
  const crypto::KeyPair to = seeded_keypair(0x02);
  primitives::Transaction tx;
  tx.chain_id = 3;
  tx.shard = 0;
  tx.kind = primitives::TxKind::kTransfer;
  tx.sender = primitives::Address::from_public_key(crypto::kDefaultScheme, from.public_key);
  tx.nonce = 0;
  tx.recipient = primitives::Address::from_public_key(crypto::kDefaultScheme, to.public_key);
  tx.amount = 150'000'000;
  tx.fee = 10'000;
  tx.memo = {'h', 'i'};
  EXPECT_TRUE(primitives::sign_tx(tx, {.scheme = crypto::kDefaultScheme,
                                       .secret_key = from.secret_key.span(),
                                       .public_key = from.public_key,
                                       .include_public_key = include_public_key,
                                       .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  return tx;
}

}  // namespace qpow::test
