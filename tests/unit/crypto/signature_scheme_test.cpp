// The scheme registry: the table of schemes and sizes, and keygen / sign / verify through the
// uniform interface for every scheme (the schemes themselves are tested against NIST's vectors
// in ml_dsa_*_test.cpp and slh_dsa_*_test.cpp).
#include "crypto/signature_scheme.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/build_info.h"
#include "support/test_bytes.h"

namespace qpow::crypto {
namespace {

struct ExpectedSizes {
  const char* name;
  std::size_t pk, sk, sig;
};

// FIPS 204 Table 2 and FIPS 205 Table 2; the hybrid is the two concatenated (seed-form key).
constexpr ExpectedSizes kSizes[] = {
    {"ml-dsa-44", 1312, 2560, 2420},        {"ml-dsa-65", 1952, 4032, 3309},
    {"ml-dsa-87", 2592, 4896, 4627},        {"slh-dsa-sha2-128s", 32, 64, 7856},
    {"slh-dsa-shake-128s", 32, 64, 7856},   {"slh-dsa-sha2-128f", 32, 64, 17088},
    {"slh-dsa-shake-128f", 32, 64, 17088},  {"slh-dsa-sha2-192s", 48, 96, 16224},
    {"slh-dsa-shake-192s", 48, 96, 16224},  {"slh-dsa-sha2-192f", 48, 96, 35664},
    {"slh-dsa-shake-192f", 48, 96, 35664},  {"slh-dsa-sha2-256s", 64, 128, 29792},
    {"slh-dsa-shake-256s", 64, 128, 29792}, {"slh-dsa-sha2-256f", 64, 128, 49856},
    {"slh-dsa-shake-256f", 64, 128, 49856}, {"hybrid-ml-dsa-65-ed25519", 1984, 64, 3373},
};

TEST(SchemeRegistry, ListsEverySchemeWithItsStandardSizes) {
  ASSERT_EQ(all_schemes().size(), std::size(kSizes));
  std::set<std::uint8_t> ids;
  for (std::size_t i = 0; i < std::size(kSizes); ++i) {
    const SchemeInfo& s = all_schemes()[i];
    EXPECT_EQ(s.name, kSizes[i].name);
    EXPECT_EQ(s.public_key_bytes, kSizes[i].pk) << s.name;
    EXPECT_EQ(s.secret_key_bytes, kSizes[i].sk) << s.name;
    EXPECT_EQ(s.signature_bytes, kSizes[i].sig) << s.name;
    EXPECT_TRUE(ids.insert(static_cast<std::uint8_t>(s.id)).second) << "duplicate id";
    ASSERT_TRUE(find_scheme(s.name).is_ok());
    EXPECT_EQ((*find_scheme(s.name))->id, s.id);
    EXPECT_EQ((*find_scheme(static_cast<std::uint8_t>(s.id)))->name, s.name);
  }
  EXPECT_EQ(scheme_info(kDefaultScheme).name, "ml-dsa-65");
}

TEST(SchemeRegistry, UnknownSchemesAreErrorsThatNameTheChoices) {
  const auto by_name = find_scheme(std::string_view("ml-dsa-66"));
  ASSERT_FALSE(by_name.is_ok());
  EXPECT_NE(by_name.status().message().find("unknown signature scheme 'ml-dsa-66'"),
            std::string::npos);
  EXPECT_NE(by_name.status().message().find("slh-dsa-shake-128f"), std::string::npos);
  const auto by_id = find_scheme(std::uint8_t{0x7f});
  ASSERT_FALSE(by_id.is_ok());
  EXPECT_EQ(by_id.status().message(), "unknown signature scheme id 0x7f");
}

class EveryScheme : public ::testing::TestWithParam<SchemeInfo> {
 protected:
  // Signing with the small SLH-DSA sets is 20-40 times slower under AddressSanitizer; there
  // slh-dsa-sha2-128s stands for them (the Release build runs them all).
  void SetUp() override {
    const std::string_view name = GetParam().name;
    if (test::kSanitizerBuild && name.starts_with("slh-dsa") && name.ends_with('s') &&
        name != "slh-dsa-sha2-128s") {
      GTEST_SKIP() << name << " is slow under the sanitizer; the Release build runs it";
    }
  }
};

TEST_P(EveryScheme, KeygenSignVerifyThroughTheRegistry) {
  const SchemeInfo& s = GetParam();
  std::mt19937_64 rng(static_cast<std::uint64_t>(s.id));
  const util::Bytes seed = test::random_bytes(rng, s.seed_bytes);
  const auto keys = keygen(s.id, seed);
  ASSERT_TRUE(keys.is_ok()) << keys.status().to_string();
  ASSERT_EQ(keys->public_key.size(), s.public_key_bytes);
  ASSERT_EQ(keys->secret_key.size(), s.secret_key_bytes);
  const auto again = keygen(s.id, seed);
  EXPECT_EQ(again->public_key, keys->public_key) << "keygen from a seed is deterministic";

  const util::Bytes msg = test::random_bytes(rng, 100);
  const util::Bytes ctx = test::random_bytes(rng, 9);
  const auto sig = sign(s.id, keys->secret_key, msg, {.ctx = ctx});
  ASSERT_TRUE(sig.is_ok()) << sig.status().to_string();
  ASSERT_EQ(sig->size(), s.signature_bytes);
  EXPECT_TRUE(*verify(s.id, keys->public_key, msg, *sig, ctx));
  EXPECT_FALSE(*verify(s.id, keys->public_key, msg, *sig, {})) << "wrong context";
  util::Bytes other = msg;
  other[0] ^= 1;
  EXPECT_FALSE(*verify(s.id, keys->public_key, other, *sig, ctx)) << "other message";
  EXPECT_FALSE(
      *verify(s.id, keys->public_key, msg, util::ByteSpan(*sig).first(sig->size() - 1), ctx));
  util::Bytes longer = *sig;
  longer.push_back(0);
  EXPECT_FALSE(*verify(s.id, keys->public_key, msg, longer, ctx));
}

TEST_P(EveryScheme, DeterministicAndExplicitRandomnessReproduceTheSignature) {
  const SchemeInfo& s = GetParam();
  if (s.name.ends_with("192s") || s.name.ends_with("256s")) {
    GTEST_SKIP() << s.name << " is slow to sign four times; 128s covers the small sets";
  }
  std::mt19937_64 rng(7);
  const auto keys = keygen(s.id, test::random_bytes(rng, s.seed_bytes));
  const util::Bytes msg = test::unhex("00112233");
  const auto a = sign(s.id, keys->secret_key, msg, {.mode = SigningMode::kDeterministic});
  const auto b = sign(s.id, keys->secret_key, msg, {.mode = SigningMode::kDeterministic});
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(*a, *b);
  const util::Bytes rnd = test::random_bytes(rng, s.rnd_bytes);
  const auto c = sign(s.id, keys->secret_key, msg, {.rnd = util::ByteSpan(rnd)});
  ASSERT_TRUE(c.is_ok());
  EXPECT_NE(*c, *a);
  EXPECT_TRUE(*verify(s.id, keys->public_key, msg, *c));
  const auto hedged = sign(s.id, keys->secret_key, msg);
  ASSERT_TRUE(hedged.is_ok());
  EXPECT_NE(*hedged, *a) << "hedged signing mixes in fresh randomness";
}

TEST_P(EveryScheme, MalformedArgumentsAreErrors) {
  const SchemeInfo& s = GetParam();
  std::mt19937_64 rng(8);
  EXPECT_FALSE(keygen(s.id, test::random_bytes(rng, s.seed_bytes + 1)).is_ok());
  const auto keys = keygen(s.id);
  ASSERT_TRUE(keys.is_ok());
  const util::Bytes msg(5, 1);
  EXPECT_FALSE(
      sign(s.id, util::ByteSpan(keys->secret_key).first(s.secret_key_bytes - 1), msg).is_ok());
  EXPECT_FALSE(sign(s.id, keys->secret_key, msg, {.ctx = util::Bytes(256, 0)}).is_ok());
  const util::Bytes short_rnd(s.rnd_bytes - 1, 0);
  EXPECT_FALSE(sign(s.id, keys->secret_key, msg, {.rnd = util::ByteSpan(short_rnd)}).is_ok());
  const util::Bytes sig(s.signature_bytes, 0);
  EXPECT_FALSE(verify(s.id, util::ByteSpan(keys->public_key).first(1), msg, sig).is_ok());
  EXPECT_FALSE(verify(s.id, keys->public_key, msg, sig, util::Bytes(256, 0)).is_ok());
  EXPECT_FALSE(*verify(s.id, keys->public_key, msg, sig)) << "an all-zero signature";
}

INSTANTIATE_TEST_SUITE_P(All, EveryScheme,
                         ::testing::ValuesIn(all_schemes().begin(), all_schemes().end()),
                         [](const ::testing::TestParamInfo<SchemeInfo>& p) {
                           std::string n(p.param.name);
                           for (char& c : n) {
                             if (c == '-') c = '_';
                           }
                           return n;
                         });

TEST(SecureMemory, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal(test::unhex("0102"), test::unhex("0102")));
  EXPECT_FALSE(constant_time_equal(test::unhex("0102"), test::unhex("0103")));
  EXPECT_FALSE(constant_time_equal(test::unhex("0102"), test::unhex("010200")));
  EXPECT_TRUE(constant_time_equal({}, {}));
}

TEST(SecureMemory, SecretBytesMovesLeaveNothingBehind) {
  SecretBytes a(test::unhex("deadbeef"));
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(util::to_hex(b), "deadbeef");
  SecretBytes c;
  c = b;
  EXPECT_EQ(util::to_hex(c), "deadbeef");
}

}  // namespace
}  // namespace qpow::crypto
