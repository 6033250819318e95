// Account encoding: exact bytes, round trips for every scheme, and every malformed variant
// (version, presence flags, scheme id, key length at and past its bound, truncation at every
// offset, trailing bytes); the value part the state root hashes; the key commitment check.
// key_commitment against values computed independently with Python's hashlib.sha3_256 over
// "qpow/next-key/v1" || scheme id || key.
#include "state/account.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "state_test_support.h"
#include "support/test_bytes.h"
#include "util/hex.h"
#include "util/serialize.h"

namespace qpow::state {
namespace {

using crypto::SchemeId;
using test::account_with_key;
using util::StatusCode;

util::Bytes encode_ok(const Account& account) {
  auto encoded = encode_account(account);
  EXPECT_TRUE(encoded.is_ok()) << encoded.status().to_string();
  return encoded.is_ok() ? std::move(encoded).value() : util::Bytes{};
}

// An account with every optional field present, so truncation covers every field.
Account full_account() {
  Account account = account_with_key(42, 7, SchemeId::kMlDsa44, 0xab);
  account.next_key_commitment = key_commitment(SchemeId::kMlDsa44, util::Bytes(1312, 0xcd));
  return account;
}

void expect_malformed(util::ByteSpan bytes, std::string_view fragment) {
  auto decoded = decode_account(bytes);
  ASSERT_FALSE(decoded.is_ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kMalformed) << decoded.status().to_string();
  EXPECT_NE(decoded.status().message().find(fragment), std::string::npos)
      << decoded.status().message();
}

TEST(AccountEncoding, ExactBytesWithoutKey) {
  const Account account{.balance = 0x0102030405060708, .nonce = 5};
  EXPECT_EQ(util::to_hex(encode_ok(account)),
            "02"                // version
            "0807060504030201"  // balance
            "0500000000000000"  // nonce
            "00"                // no key
            "00");              // no next-key commitment
}

TEST(AccountEncoding, ExactBytesWithKeyAndCommitment) {
  const Account account = full_account();
  const util::Bytes bytes = encode_ok(account);
  constexpr std::size_t kValue = 1 + 8 + 8 + 1 + 1 + 32 + 1 + 32;
  ASSERT_EQ(bytes.size(), kValue + 3 + 1312);
  // version 2, balance 42, nonce 7, has_key, ML-DSA-44, then the key's commitment.
  EXPECT_EQ(util::to_hex(util::ByteSpan(bytes).first(19)),
            "022a00000000000000070000000000000001"
            "01");
  const crypto::Hash256 commitment = key_commitment(SchemeId::kMlDsa44, util::Bytes(1312, 0xab));
  EXPECT_TRUE(std::equal(commitment.begin(), commitment.end(), bytes.begin() + 19));
  EXPECT_EQ(bytes[51], 1);  // has_next
  EXPECT_TRUE(std::equal(account.next_key_commitment->begin(), account.next_key_commitment->end(),
                         bytes.begin() + 52));
  // The key material after the value: CompactSize 1312, then the key.
  EXPECT_EQ(util::to_hex(util::ByteSpan(bytes).subspan(kValue, 5)), "fd2005abab");
  EXPECT_EQ(bytes.back(), 0xab);
}

TEST(AccountEncoding, ValueIsTheRecordWithoutTheKeyBytes) {
  const Account account = full_account();
  const util::Bytes bytes = encode_ok(account);
  const AccountValue value = encode_account_value(account);
  ASSERT_EQ(value.size, kAccountValueBytesMax);
  EXPECT_TRUE(std::equal(value.span().begin(), value.span().end(), bytes.begin()));
  // At most one SHA3-256 block (rate 136 bytes) whatever the key's size.
  EXPECT_LE(kAccountValueBytesMax, 135u);
  const Account plain{.balance = 3, .nonce = 4};
  EXPECT_EQ(util::to_hex(encode_account_value(plain).span()), util::to_hex(encode_ok(plain)));
}

TEST(AccountEncoding, DecodeKeepsTheStoredCommitmentAndTheCheckCatchesAMismatch) {
  util::Bytes bytes = encode_ok(full_account());
  bytes[19] ^= 0x01;  // first byte of the key's commitment
  auto decoded = decode_account(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->key->commitment()[0], bytes[19]);
  const util::Status st = check_account_key_commitment(*decoded);
  EXPECT_EQ(st.code(), StatusCode::kMalformed);
  EXPECT_EQ(st.message(), "account.key.commitment: does not match the key's bytes");
  EXPECT_TRUE(check_account_key_commitment(full_account()).is_ok());
  EXPECT_TRUE(check_account_key_commitment(Account{}).is_ok());
}

TEST(AccountEncoding, RoundTripsEveryScheme) {
  for (const crypto::SchemeInfo& info : crypto::all_schemes()) {
    Account account = account_with_key(~std::uint64_t{0}, ~std::uint64_t{0}, info.id, 0x5a);
    const util::Bytes bytes = encode_ok(account);
    auto decoded = decode_account(bytes);
    ASSERT_TRUE(decoded.is_ok()) << info.name << ": " << decoded.status().to_string();
    EXPECT_EQ(*decoded, account) << info.name;
  }
}

TEST(AccountEncoding, RoundTripsOptionalFieldCombinations) {
  const Account plain{.balance = 1, .nonce = 2};
  Account committed = plain;
  committed.next_key_commitment = crypto::Hash256{};
  for (const Account& account : {Account{}, plain, committed, full_account()}) {
    auto decoded = decode_account(encode_ok(account));
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    EXPECT_EQ(*decoded, account);
  }
}

TEST(AccountEncoding, RejectsUnknownVersion) {
  for (std::uint8_t version : {0, 1, 3, 0xff}) {
    util::Bytes bytes = encode_ok(Account{});
    bytes[0] = version;
    expect_malformed(bytes, "account.version: " + std::to_string(version) + " at offset 0");
  }
}

TEST(AccountEncoding, RejectsPresenceFlagsOtherThanZeroOrOne) {
  util::Bytes bytes = encode_ok(Account{});
  bytes[17] = 2;
  expect_malformed(bytes, "account.has_key: flag 2 at offset 17 is not 0 or 1");
  bytes[17] = 0;
  bytes[18] = 0xff;
  expect_malformed(bytes, "account.has_next: flag 255 at offset 18 is not 0 or 1");
}

TEST(AccountEncoding, RejectsUnregisteredScheme) {
  for (std::uint8_t id : {0x00, 0x04, 0x10, 0x22, 0xff}) {
    util::Bytes bytes = encode_ok(full_account());
    bytes[18] = id;
    expect_malformed(bytes, "account.key.scheme: unknown scheme id");
  }
}

// The key of scheme `id`, re-encoded with a length prefix of `length` bytes.
util::Bytes account_with_key_length(SchemeId id, std::size_t length) {
  util::Writer w;
  w.u8(kAccountEncodingVersion);
  w.u64(1);
  w.u64(2);
  w.u8(1);
  w.u8(static_cast<std::uint8_t>(id));
  w.bytes(crypto::Hash256{});
  w.u8(0);
  w.var_bytes(util::Bytes(length, 0x11));
  return std::move(w).take();
}

TEST(AccountEncoding, RejectsKeyOfAnotherLength) {
  const std::size_t size = crypto::scheme_info(SchemeId::kMlDsa65).public_key_bytes;
  for (std::size_t length : {std::size_t{0}, size - 1, size + 1}) {
    expect_malformed(account_with_key_length(SchemeId::kMlDsa65, length),
                     "account.key.public_key: " + std::to_string(length) +
                         " bytes at offset 52, ml-dsa-65 public keys are 1952 bytes");
  }
}

TEST(AccountEncoding, KeyLengthBoundIsTheLargestRegisteredKey) {
  std::size_t largest = 0;
  for (const auto& info : crypto::all_schemes()) largest = std::max(largest, info.public_key_bytes);
  EXPECT_EQ(max_account_key_bytes(), largest);
  EXPECT_EQ(max_account_key_bytes(), crypto::scheme_info(SchemeId::kMlDsa87).public_key_bytes);

  // At the bound the length is read and the scheme's own length decides; one past it the length
  // prefix itself is refused before anything is allocated.
  expect_malformed(account_with_key_length(SchemeId::kMlDsa44, max_account_key_bytes()),
                   "ml-dsa-44 public keys are 1312 bytes");
  auto over = decode_account(account_with_key_length(SchemeId::kMlDsa44, largest + 1));
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange) << over.status().to_string();
  EXPECT_NE(over.status().message().find("account.key.public_key"), std::string::npos);
}

TEST(AccountEncoding, LargestEncodingIsMaxAccountEncodingBytes) {
  Account account = account_with_key(1, 1, SchemeId::kMlDsa87, 0x01);
  account.next_key_commitment = crypto::Hash256{};
  EXPECT_EQ(encode_ok(account).size(), max_account_encoding_bytes());
}

TEST(AccountEncoding, RejectsTruncationAtEveryOffset) {
  const util::Bytes bytes = encode_ok(full_account());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = decode_account(util::ByteSpan(bytes).first(n));
    ASSERT_FALSE(decoded.is_ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(decoded.status().code(), StatusCode::kMalformed) << n;
    EXPECT_NE(decoded.status().message().find("need"), std::string::npos)
        << decoded.status().message();
  }
}

TEST(AccountEncoding, RejectsTrailingBytes) {
  for (const Account& account : {Account{}, full_account()}) {
    util::Bytes bytes = encode_ok(account);
    const std::size_t size = bytes.size();
    bytes.push_back(0);
    expect_malformed(bytes, "account: 1 trailing bytes at offset " + std::to_string(size));
  }
}

TEST(AccountEncoding, EncodeRefusesAccountsWithoutAnEncoding) {
  Account unknown_scheme{.balance = 1, .nonce = 1};
  unknown_scheme.key =
      AccountKey::with_known_commitment(static_cast<SchemeId>(0x7f), util::Bytes(1312, 0), {});
  auto a = encode_account(unknown_scheme);
  ASSERT_FALSE(a.is_ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("account.key.scheme"), std::string::npos);

  Account short_key{.balance = 1, .nonce = 1};
  short_key.key = AccountKey::from_public_key(SchemeId::kMlDsa44, util::Bytes(1311, 0));
  auto b = encode_account(short_key);
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().message(),
            "account.key.public_key: 1311 bytes, ml-dsa-44 public keys are 1312");
}

TEST(KeyCommitment, KnownAnswers) {
  // SHA3-256("qpow/next-key/v1" || 0x01 || 1312 bytes of 0xcd), and the same over 0x02 and
  // 1952 zero bytes; computed with Python's hashlib.
  EXPECT_EQ(util::to_hex(key_commitment(SchemeId::kMlDsa44, util::Bytes(1312, 0xcd))),
            "5bcf2ea64fec9f25c06450a17e9966d5ce56b50a50a95e8333d67d0d7e31430c");
  EXPECT_EQ(util::to_hex(key_commitment(SchemeId::kMlDsa65, util::Bytes(1952, 0x00))),
            "399460efaf08eb5c7309d26454787713461e1b80e7e8c6055b59656733f9ba7c");
}

TEST(KeyCommitment, BindsTheScheme) {
  const util::Bytes key(1952, 0x33);
  EXPECT_NE(key_commitment(SchemeId::kMlDsa65, key),
            key_commitment(SchemeId::kHybridMlDsa65Ed25519, key));
}

}  // namespace
}  // namespace qpow::state
