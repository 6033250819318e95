// Transactions: canonical round trips, every malformed variant rejected with a message naming
// the field, ids that ignore the witness, and signatures over the txid with context "qpow/tx".
#include "primitives/transaction.h"

#include <string>

#include <gtest/gtest.h>

#include "sample_txs.h"
#include "util/hex.h"

namespace qpow::primitives {
namespace {

using test::sample_transfer;
using test::seeded_keypair;

// Offsets into a transfer's encoding (docs/protocol.md, "Transaction").
constexpr std::size_t kKindOffset = 9;
constexpr std::size_t kMemoOffset = 1 + 4 + 4 + 1 + 32 + 8 + 32 + 8 + 8;  // 98

TEST(Transaction, RoundTripsAndIsCanonical) {
  const Transaction tx = sample_transfer();
  const util::Bytes enc = encode_tx(tx);
  EXPECT_EQ(enc.size(), tx_size(tx));
  auto back = decode_tx(enc);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, tx);
  EXPECT_EQ(encode_tx(*back), enc);
}

TEST(Transaction, RotationRoundTrips) {
  Transaction tx = sample_transfer();
  const auto next = seeded_keypair(0x03);
  tx.kind = TxKind::kKeyRotation;
  tx.recipient = Address{};
  tx.amount = 0;
  tx.rotation = KeyRotation{.scheme = crypto::kDefaultScheme,
                            .public_key = next.public_key,
                            .next_key_commitment = Hash256{7}};
  const util::Bytes enc = encode_tx(tx);
  auto back = decode_tx(enc);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, tx);
  tx.rotation->next_key_commitment.reset();
  back = decode_tx(encode_tx(tx));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, tx);
}

TEST(Transaction, TxidIgnoresTheWitnessButWtxidDoesNot) {
  const Transaction with_pk = sample_transfer(/*include_public_key=*/true);
  const Transaction without_pk = sample_transfer(/*include_public_key=*/false);
  EXPECT_EQ(txid(with_pk), txid(without_pk));
  EXPECT_NE(wtxid(with_pk), wtxid(without_pk));
  Transaction changed = with_pk;
  changed.fee += 1;
  EXPECT_NE(txid(changed), txid(with_pk));
}

TEST(Transaction, SignatureVerifiesOverTheTxidOnly) {
  const Transaction tx = sample_transfer();
  const auto key = seeded_keypair(0x01);
  EXPECT_TRUE(verify_tx_signature(tx, crypto::kDefaultScheme, key.public_key));
  Transaction changed = tx;
  changed.amount += 1;
  EXPECT_FALSE(verify_tx_signature(changed, crypto::kDefaultScheme, key.public_key));
  EXPECT_FALSE(verify_tx_signature(tx, crypto::kDefaultScheme, seeded_keypair(0x02).public_key));
  EXPECT_FALSE(verify_tx_signature(tx, crypto::SchemeId::kMlDsa44, key.public_key));
  // The same signature under another context is not a transaction signature.
  auto other_ctx = crypto::verify(crypto::kDefaultScheme, key.public_key, txid(tx),
                                  tx.witness.signature, util::as_bytes("qpow/vote"));
  ASSERT_TRUE(other_ctx.is_ok());
  EXPECT_FALSE(*other_ctx);
}

TEST(Transaction, EveryTruncationIsRejected) {
  const util::Bytes enc = encode_tx(sample_transfer());
  for (std::size_t n = 0; n < enc.size(); n += (n < 200 ? 1 : 97)) {
    auto r = decode_tx(util::ByteSpan(enc).first(n));
    ASSERT_FALSE(r.is_ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_NE(r.status().message().find("tx."), std::string::npos) << r.status().message();
  }
}

TEST(Transaction, TrailingByteIsRejected) {
  util::Bytes enc = encode_tx(sample_transfer());
  enc.push_back(0);
  EXPECT_FALSE(decode_tx(enc).is_ok());
}

TEST(Transaction, UnknownVersionAndReservedKindAreRejected) {
  util::Bytes enc = encode_tx(sample_transfer());
  enc[0] = 2;
  auto r = decode_tx(enc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("tx.version"), std::string::npos);
  enc[0] = kTxVersion;
  enc[kKindOffset] = 2;
  r = decode_tx(enc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("reserved"), std::string::npos);
}

TEST(Transaction, MemoLimitIsExactly256Bytes) {
  Transaction tx = sample_transfer();
  tx.memo.assign(kTxMemoBytesMax, 'm');
  EXPECT_TRUE(decode_tx(encode_tx(tx)).is_ok());
  tx.memo.push_back('m');
  auto r = decode_tx(encode_tx(tx));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("tx.memo"), std::string::npos);
}

TEST(Transaction, WitnessSizesMustMatchTheScheme) {
  Transaction tx = sample_transfer();
  tx.witness.signature.pop_back();
  auto r = decode_tx(encode_tx(tx));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("tx.witness.signature"), std::string::npos);

  tx = sample_transfer();
  tx.witness.public_key.pop_back();
  r = decode_tx(encode_tx(tx));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("tx.witness.public_key"), std::string::npos);

  tx = sample_transfer();
  util::Bytes enc = encode_tx(tx);
  const std::size_t scheme_at = encode_tx_body(tx).size();
  enc[scheme_at] = 0x7f;
  r = decode_tx(enc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("unknown signature scheme"), std::string::npos);
}

TEST(Transaction, RotationFlagMustBeZeroOrOne) {
  Transaction tx = sample_transfer();
  tx.kind = TxKind::kKeyRotation;
  tx.rotation = KeyRotation{.scheme = crypto::kDefaultScheme,
                            .public_key = seeded_keypair(0x03).public_key,
                            .next_key_commitment = std::nullopt};
  util::Bytes enc = encode_tx(tx);
  const std::size_t flag_at = encode_tx_body(tx).size() - 1;
  enc[flag_at] = 2;
  auto r = decode_tx(enc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("flag must be 0 or 1"), std::string::npos);
}

TEST(Transaction, SizeLimitIsEnforcedBeforeDecoding) {
  util::Bytes big(kTxBytesMax + 1, 0);
  auto r = decode_tx(big);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), util::StatusCode::kOutOfRange);
}

TEST(Transaction, MemoOffsetMatchesTheDocumentedLayout) {
  const Transaction tx = sample_transfer();
  const util::Bytes enc = encode_tx(tx);
  EXPECT_EQ(enc[kMemoOffset], tx.memo.size());
  EXPECT_EQ(enc[kMemoOffset + 1], 'h');
}

TEST(Transaction, SizeIsTheEncodedSizeForEveryShape) {
  Transaction tx = sample_transfer(/*include_public_key=*/false);
  EXPECT_EQ(tx_size(tx), encode_tx(tx).size());
  tx.memo.assign(kTxMemoBytesMax, 'm');  // a 3-byte CompactSize length
  EXPECT_EQ(tx_size(tx), encode_tx(tx).size());
  tx.kind = TxKind::kKeyRotation;
  tx.rotation = KeyRotation{.scheme = crypto::kDefaultScheme,
                            .public_key = seeded_keypair(0x03).public_key,
                            .next_key_commitment = std::nullopt};
  EXPECT_EQ(tx_size(tx), encode_tx(tx).size());
  tx.rotation->next_key_commitment = Hash256{};
  EXPECT_EQ(tx_size(tx), encode_tx(tx).size());
}

}  // namespace
}  // namespace qpow::primitives
