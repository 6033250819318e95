// Keystore: create/open round trips with every field, passphrase handling, labels and the account
// limit at the bound and one past it, and pre-rotation (rotate promotes the committed next key,
// keeps the old one as retired, and commits to a fresh next key). Argon2id runs at its minimum
// cost here so the tests stay fast; the cost is a stored parameter, not a code path.
#include "wallet/keystore.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "crypto/signature_scheme.h"
#include "unit/wallet/temp_dir.h"
#include "util/hex.h"
#include "wallet/keystore_format.h"
#include "wallet/next_key.h"

namespace qpow::wallet {
namespace {

using crypto::SchemeId;
using util::Result;

constexpr KdfParams kFastKdf{.opslimit = 1, .memlimit_kib = 8};
constexpr KeystoreOptions kFast{.kdf = kFastKdf};
constexpr std::string_view kPass = "correct horse battery staple";

Keystore create_or_die(const std::string& path, std::string_view pass = kPass) {
  Result<Keystore> ks = Keystore::create(path, pass, kFast);
  QPOW_ASSERT_MSG(ks.is_ok(), ks.status().to_string().c_str());
  return std::move(ks).value();
}

Keystore open_or_die(const std::string& path, std::string_view pass = kPass) {
  Result<Keystore> ks = Keystore::open(path, pass);
  QPOW_ASSERT_MSG(ks.is_ok(), ks.status().to_string().c_str());
  return std::move(ks).value();
}

void expect_same_key(const StoredKey& a, const StoredKey& b) {
  EXPECT_EQ(a.scheme, b.scheme);
  EXPECT_EQ(a.public_key, b.public_key);
  EXPECT_TRUE(util::bytes_equal(a.secret_key, b.secret_key));
}

void expect_same_entries(std::span<const KeyEntry> a, std::span<const KeyEntry> b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].address, b[i].address);
    EXPECT_EQ(a[i].label, b[i].label);
    EXPECT_EQ(a[i].order, b[i].order);
    expect_same_key(a[i].current, b[i].current);
    ASSERT_EQ(a[i].next.has_value(), b[i].next.has_value());
    if (a[i].next) expect_same_key(*a[i].next, *b[i].next);
    ASSERT_EQ(a[i].retired.has_value(), b[i].retired.has_value());
    if (a[i].retired) expect_same_key(*a[i].retired, *b[i].retired);
  }
}

TEST(Keystore, CreateThenOpenRoundTripsEveryField) {
  test::TempDir dir;
  const std::string path = dir.file("keystore.dat");
  Keystore ks = create_or_die(path);
  const Result<primitives::Address> a = ks.add_key(SchemeId::kMlDsa44, "savings");
  const Result<primitives::Address> b =
      ks.add_key(SchemeId::kHybridMlDsa65Ed25519, "", PreRotation::kNone);
  const Result<primitives::Address> c = ks.add_key(SchemeId::kMlDsa65, "spending");
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  ASSERT_TRUE(ks.rotate(*c).is_ok());
  ASSERT_TRUE(ks.save().is_ok());

  const Keystore reopened = open_or_die(path);
  expect_same_entries(ks.keys(), reopened.keys());
  EXPECT_EQ(reopened.kdf_params(), kFastKdf);
  ASSERT_EQ(reopened.keys().size(), 3u);
  EXPECT_EQ(reopened.keys()[0].order, 0u);
  EXPECT_EQ(reopened.keys()[1].order, 1u);
  EXPECT_EQ(reopened.keys()[2].order, 2u);
  EXPECT_EQ(reopened.keys()[0].address,
            primitives::Address::from_public_key(SchemeId::kMlDsa44,
                                                 reopened.keys()[0].current.public_key));
  EXPECT_TRUE(reopened.keys()[0].next.has_value());
  EXPECT_FALSE(reopened.keys()[1].next.has_value());
  EXPECT_TRUE(reopened.keys()[2].retired.has_value());
  EXPECT_EQ(reopened.find(*b), &reopened.keys()[1]);
  EXPECT_EQ(reopened.find_label("spending"), &reopened.keys()[2]);
  EXPECT_EQ(reopened.find_label("nope"), nullptr);
  EXPECT_EQ(reopened.find_label(""), nullptr);
}

TEST(Keystore, KeysAreUsableForSigning) {
  test::TempDir dir;
  Keystore ks = create_or_die(dir.file("k"));
  const Result<primitives::Address> a = ks.add_key(SchemeId::kMlDsa44, "");
  ASSERT_TRUE(a.is_ok());
  for (const StoredKey* key : {&ks.find(*a)->current, &*ks.find(*a)->next}) {
    const util::Bytes msg = {1, 2, 3};
    const Result<util::Bytes> sig = crypto::sign(key->scheme, key->secret_key, msg);
    ASSERT_TRUE(sig.is_ok());
    EXPECT_TRUE(*crypto::verify(key->scheme, key->public_key, msg, *sig));
  }
  EXPECT_NE(ks.find(*a)->current.public_key, ks.find(*a)->next->public_key);
}

TEST(Keystore, NewKeystoreIsWrittenEmptyAndOpens) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  { const Keystore ks = create_or_die(path); }
  const Keystore reopened = open_or_die(path);
  EXPECT_TRUE(reopened.keys().empty());
}

TEST(Keystore, CreateRefusesAnExistingFile) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  { const Keystore ks = create_or_die(path); }
  const Result<Keystore> again = Keystore::create(path, kPass, kFast);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), util::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Keystore::open(path, kPass).is_ok());
}

TEST(Keystore, OpenMissingFileIsNotFound) {
  test::TempDir dir;
  const Result<Keystore> ks = Keystore::open(dir.file("absent"), kPass);
  ASSERT_FALSE(ks.is_ok());
  EXPECT_EQ(ks.status().code(), util::StatusCode::kNotFound);
  EXPECT_NE(ks.status().message().find("absent"), std::string::npos);
}

TEST(Keystore, WrongPassphraseIsAClearError) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  {
    Keystore ks = create_or_die(path);
    ASSERT_TRUE(ks.add_key(SchemeId::kMlDsa44, "x").is_ok());
    ASSERT_TRUE(ks.save().is_ok());
  }
  for (const std::string_view wrong :
       {"correct horse battery stapl", "Correct horse battery staple",
        "correct horse battery staple "}) {
    const Result<Keystore> ks = Keystore::open(path, wrong);
    ASSERT_FALSE(ks.is_ok());
    EXPECT_NE(ks.status().message().find("wrong passphrase or corrupted keystore"),
              std::string::npos)
        << ks.status().message();
  }
}

TEST(Keystore, PassphraseLengthAtTheLimitAndOnePast) {
  test::TempDir dir;
  const std::string longest(kPassphraseMaxBytes, 'p');
  { const Keystore ks = create_or_die(dir.file("a"), longest); }
  EXPECT_TRUE(Keystore::open(dir.file("a"), longest).is_ok());
  const std::string too_long(kPassphraseMaxBytes + 1, 'p');
  EXPECT_EQ(Keystore::create(dir.file("b"), too_long, kFast).status().code(),
            util::StatusCode::kOutOfRange);
  EXPECT_EQ(Keystore::open(dir.file("a"), too_long).status().code(), util::StatusCode::kOutOfRange);
  EXPECT_EQ(Keystore::create(dir.file("c"), "", kFast).status().code(),
            util::StatusCode::kInvalidArgument);
}

TEST(Keystore, KdfParamsAreBoundedAndStored) {
  test::TempDir dir;
  const KdfParams bad[] = {{.opslimit = kKdfOpsLimitMin - 1, .memlimit_kib = 8},
                           {.opslimit = kKdfOpsLimitMax + 1, .memlimit_kib = 8},
                           {.opslimit = 1, .memlimit_kib = kKdfMemLimitKibMin - 1},
                           {.opslimit = 1, .memlimit_kib = kKdfMemLimitKibMax + 1}};
  for (const KdfParams& params : bad) {
    const Result<Keystore> ks = Keystore::create(dir.file("bad"), kPass, {.kdf = params});
    ASSERT_FALSE(ks.is_ok());
    EXPECT_EQ(ks.status().code(), util::StatusCode::kOutOfRange);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad")));
  // The largest opslimit is accepted (and is cheap at the smallest memory).
  const KdfParams slowest_ops{.opslimit = kKdfOpsLimitMax, .memlimit_kib = kKdfMemLimitKibMin};
  { ASSERT_TRUE(Keystore::create(dir.file("ops"), kPass, {.kdf = slowest_ops}).is_ok()); }
  EXPECT_EQ(open_or_die(dir.file("ops")).kdf_params(), slowest_ops);
  EXPECT_TRUE(check_kdf_params(kKdfInteractive).is_ok());
  EXPECT_TRUE(check_kdf_params(kKdfModerate).is_ok());
  EXPECT_TRUE(check_kdf_params(kKdfSensitive).is_ok());
  EXPECT_TRUE(check_kdf_params({.opslimit = 1, .memlimit_kib = kKdfMemLimitKibMax}).is_ok());
  EXPECT_EQ(KeystoreOptions{}.kdf, kKdfModerate);
}

TEST(Keystore, ChangePassphraseReencryptsWithANewCost) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  Keystore ks = create_or_die(path);
  ASSERT_TRUE(ks.add_key(SchemeId::kMlDsa44, "x").is_ok());
  ASSERT_TRUE(ks.save().is_ok());
  const KdfParams stronger{.opslimit = 2, .memlimit_kib = 16};
  ASSERT_TRUE(ks.change_passphrase("new secret", stronger).is_ok());
  EXPECT_FALSE(Keystore::open(path, kPass).is_ok());
  const Keystore reopened = open_or_die(path, "new secret");
  EXPECT_EQ(reopened.kdf_params(), stronger);
  expect_same_entries(ks.keys(), reopened.keys());
  EXPECT_EQ(ks.change_passphrase("", stronger).code(), util::StatusCode::kInvalidArgument);
}

TEST(Keystore, EverySaveUsesAFreshNonce) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  Keystore ks = create_or_die(path);
  const util::Bytes first = *read_file(path, kKeystoreFileMaxBytes);
  ASSERT_TRUE(ks.save().is_ok());
  const util::Bytes second = *read_file(path, kKeystoreFileMaxBytes);
  ASSERT_EQ(first.size(), second.size());
  const auto nonce = [](const util::Bytes& file) {
    return util::Bytes(file.begin() + 35, file.begin() + 35 + kNonceBytes);
  };
  EXPECT_NE(nonce(first), nonce(second));
  EXPECT_TRUE(std::equal(first.begin(), first.begin() + 35, second.begin()));  // salt and cost
  EXPECT_TRUE(Keystore::open(path, kPass).is_ok());
}

TEST(Keystore, LabelsAreBoundedPrintableAndUnique) {
  test::TempDir dir;
  Keystore ks = create_or_die(dir.file("k"));
  EXPECT_TRUE(ks.add_key(SchemeId::kMlDsa44, std::string(kLabelMaxBytes, 'l')).is_ok());
  const Result<primitives::Address> too_long =
      ks.add_key(SchemeId::kMlDsa44, std::string(kLabelMaxBytes + 1, 'l'));
  EXPECT_EQ(too_long.status().code(), util::StatusCode::kOutOfRange);
  for (const std::string_view bad : {std::string_view("a\nb"), std::string_view("tab\t"),
                                     std::string_view("del\x7f"), std::string_view("\0", 1)}) {
    EXPECT_EQ(ks.add_key(SchemeId::kMlDsa44, bad).status().code(),
              util::StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(ks.add_key(SchemeId::kMlDsa44, "caf\xc3\xa9 \xe2\x82\xac").is_ok());  // UTF-8
  EXPECT_TRUE(ks.add_key(SchemeId::kMlDsa44, "dup").is_ok());
  EXPECT_EQ(ks.add_key(SchemeId::kMlDsa44, "dup").status().code(),
            util::StatusCode::kAlreadyExists);
  EXPECT_TRUE(ks.add_key(SchemeId::kMlDsa44, "").is_ok());
  EXPECT_TRUE(ks.add_key(SchemeId::kMlDsa44, "").is_ok());  // no label, twice
  EXPECT_EQ(ks.keys().size(), 5u);
}

TEST(Keystore, HoldsAtMostKeysMaxAccounts) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  Keystore ks = create_or_die(path);
  for (std::uint32_t i = 0; i < kKeystoreKeysMax; ++i) {
    ASSERT_TRUE(ks.add_key(SchemeId::kMlDsa44, "", PreRotation::kNone).is_ok()) << i;
  }
  const Result<primitives::Address> one_more = ks.add_key(SchemeId::kMlDsa44, "");
  ASSERT_FALSE(one_more.is_ok());
  EXPECT_EQ(one_more.status().code(), util::StatusCode::kOutOfRange);
  ASSERT_TRUE(ks.save().is_ok());
  EXPECT_EQ(open_or_die(path).keys().size(), kKeystoreKeysMax);
}

TEST(Keystore, PayloadLimitHoldsAFullKeystoreOfTheLargestScheme) {
  std::size_t largest_key = 0;
  for (const crypto::SchemeInfo& s : crypto::all_schemes()) {
    largest_key = std::max(largest_key, 1 + s.public_key_bytes + s.secret_key_bytes);
  }
  const std::size_t largest_entry = 4 + primitives::kAddressBytes + 1 + kLabelMaxBytes + 1 +
                                    3 * largest_key;  // current, next and retired
  EXPECT_LE(4 + kKeystoreKeysMax * largest_entry, kPayloadMaxBytes);

  KeyEntry entry{.address = {},
                 .label = std::string(kLabelMaxBytes, 'x'),
                 .order = 0,
                 .current = {.scheme = SchemeId::kMlDsa87,
                             .public_key = util::Bytes(2592),
                             .secret_key = crypto::SecretBytes(4896)},
                 .next = std::nullopt,
                 .retired = std::nullopt};
  entry.next = entry.current;
  entry.retired = entry.current;
  EXPECT_EQ(encoded_entry_bytes(entry), 4 + 32 + 1 + 64 + 1 + 3 * (1 + 2592 + 4896));
}

TEST(Keystore, RotatePromotesTheCommittedNextKey) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  Keystore ks = create_or_die(path);
  const primitives::Address address = *ks.add_key(SchemeId::kMlDsa44, "acct");
  const StoredKey first = ks.find(address)->current;
  const StoredKey committed = *ks.find(address)->next;

  const Result<Rotation> r = ks.rotate(address);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->address, address);
  EXPECT_TRUE(r->new_key_was_committed);
  expect_same_key(r->old_key, first);
  expect_same_key(r->new_key, committed);
  const KeyEntry& e = *ks.find(address);
  EXPECT_EQ(e.address, address) << "the address survives rotation";
  EXPECT_EQ(e.label, "acct");
  expect_same_key(e.current, committed);
  ASSERT_TRUE(e.retired.has_value());
  expect_same_key(*e.retired, first);
  ASSERT_TRUE(e.next.has_value());
  EXPECT_NE(e.next->public_key, committed.public_key);
  EXPECT_NE(e.next->public_key, first.public_key);
  EXPECT_EQ(e.next->scheme, SchemeId::kMlDsa44);
  EXPECT_EQ(r->next_commitment, next_key_commitment(e.next->scheme, e.next->public_key));

  // Saved and reopened, then rotated again: the retired key is now the one just replaced.
  ASSERT_TRUE(ks.save().is_ok());
  Keystore reopened = open_or_die(path);
  expect_same_entries(ks.keys(), reopened.keys());
  const StoredKey second_next = *reopened.find(address)->next;
  const Result<Rotation> again = reopened.rotate(address);
  ASSERT_TRUE(again.is_ok());
  expect_same_key(again->old_key, committed);
  expect_same_key(again->new_key, second_next);
  expect_same_key(*reopened.find(address)->retired, committed);
}

TEST(Keystore, RotateWithoutANextKeyGeneratesOneAndCommitsFromThenOn) {
  test::TempDir dir;
  Keystore ks = create_or_die(dir.file("k"));
  const primitives::Address address = *ks.add_key(SchemeId::kMlDsa44, "", PreRotation::kNone);
  const StoredKey first = ks.find(address)->current;
  EXPECT_FALSE(ks.find(address)->next.has_value());
  const Result<Rotation> r = ks.rotate(address);
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->new_key_was_committed);
  expect_same_key(r->old_key, first);
  EXPECT_NE(r->new_key.public_key, first.public_key);
  const KeyEntry& e = *ks.find(address);
  expect_same_key(e.current, r->new_key);
  ASSERT_TRUE(e.next.has_value());
  EXPECT_EQ(r->next_commitment, next_key_commitment(e.next->scheme, e.next->public_key));
}

TEST(Keystore, RotateUnknownAddressIsNotFoundAndChangesNothing) {
  test::TempDir dir;
  Keystore ks = create_or_die(dir.file("k"));
  const primitives::Address address = *ks.add_key(SchemeId::kMlDsa44, "");
  const StoredKey before = ks.find(address)->current;
  primitives::Address other = address;
  other.bytes[0] ^= 1;
  const Result<Rotation> r = ks.rotate(other);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), util::StatusCode::kNotFound);
  expect_same_key(ks.find(address)->current, before);
  EXPECT_FALSE(ks.find(address)->retired.has_value());
}

TEST(NextKeyCommitment, KnownAnswer) {
  // SHA3-256("qpow/next-key/v1" || 0x02 || 00 01 .. 1f), computed with Python's hashlib.sha3_256.
  util::Bytes pk(32);
  for (std::size_t i = 0; i < pk.size(); ++i) pk[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(util::to_hex(next_key_commitment(SchemeId::kMlDsa65, pk)),
            "d88439a101cbd06c158bdf6805f378c17c94a3a0a39a19af2be293b5cc560dde");
  EXPECT_EQ(util::to_hex(next_key_commitment(SchemeId::kMlDsa44, {})),
            "a54c60ac6a6e1e9473321281d0e43c81570c1aff6586031cebb7f3fcea449bc6");
}

}  // namespace
}  // namespace qpow::wallet
