// Ed25519 through libsodium: RFC 8032 §7.1 test vectors 1 and 2 (keys from seeds, exact
// signatures) and every case of Wycheproof's ed25519_test.json (C2SP/wycheproof, Apache-2.0;
// copied to tests/data/wycheproof), including its malleability and non-canonical-encoding cases.
#include "crypto/ed25519.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

using test::unhex;

struct Rfc8032Case {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

TEST(Ed25519, Rfc8032Vectors) {
  const Rfc8032Case cases[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
       "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
       "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const Rfc8032Case& c : cases) {
    const util::Bytes seed = unhex(c.seed);
    const ed25519::Seed s(seed.data(), ed25519::kSeedBytes);
    std::array<std::uint8_t, ed25519::kPublicKeyBytes> pk;
    ed25519::public_key(s, pk);
    EXPECT_EQ(util::to_hex(pk), c.public_key);
    const util::Bytes msg = unhex(c.message);
    std::array<std::uint8_t, ed25519::kSignatureBytes> sig;
    ed25519::sign(s, msg, sig);
    EXPECT_EQ(util::to_hex(sig), c.signature);
    EXPECT_TRUE(ed25519::verify(pk, msg, sig));
    sig[10] ^= 1;
    EXPECT_FALSE(ed25519::verify(pk, msg, sig));
  }
}

TEST(Ed25519, WycheproofAllCases) {
  const auto doc = nlohmann::json::parse(
      test::read_text_file(test::test_data_dir() / "wycheproof/ed25519_test.json"));
  std::size_t checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    const util::Bytes pk = unhex(group.at("publicKey").at("pk").get<std::string>());
    ASSERT_EQ(pk.size(), ed25519::kPublicKeyBytes);
    for (const auto& t : group.at("tests")) {
      const util::Bytes msg = unhex(t.at("msg").get<std::string>());
      const util::Bytes sig = unhex(t.at("sig").get<std::string>());
      const bool want = t.at("result") == "valid";
      EXPECT_EQ(ed25519::verify(ed25519::PublicKey(pk.data(), pk.size()), msg, sig), want)
          << "tcId " << t.at("tcId") << " " << t.at("comment");
      ++checked;
    }
  }
  EXPECT_EQ(checked, doc.at("numberOfTests").get<std::size_t>());
}

}  // namespace
}  // namespace qpow::crypto
