// Hybrid ML-DSA-65 + Ed25519 (composite id-MLDSA65-Ed25519-SHA512): the message representative
// as the draft defines it, the draft's own test vector (tests/data/hybrid, from the
// lamps-wg/draft-composite-sigs repository), and that both halves must verify.
#include "crypto/hybrid.h"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "crypto/ed25519.h"
#include "crypto/ml_dsa.h"
#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

using test::unhex;

struct DraftVector {
  util::Bytes m, pk, sk, s;
};

DraftVector draft_vector() {
  const auto doc = nlohmann::json::parse(
      test::read_text_file(test::test_data_dir() / "hybrid/mldsa65_ed25519_draft.json"));
  return {unhex(doc.at("m_hex").get<std::string>()), unhex(doc.at("pk_hex").get<std::string>()),
          unhex(doc.at("sk_hex").get<std::string>()), unhex(doc.at("s_hex").get<std::string>())};
}

util::Bytes openssl_sha512(util::ByteSpan m) {
  util::Bytes out(64);
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(m.data(), m.size(), out.data(), &len, EVP_sha512(), nullptr), 1);
  return out;
}

TEST(Hybrid, MessageRepresentativeIsPrefixLabelContextAndSha512) {
  const util::Bytes msg = unhex("48656c6c6f");
  const util::Bytes ctx = unhex("0a0b0c");
  util::Bytes want = unhex("436F6D706F73697465416C676F726974686D5369676E61747572657332303235");
  const std::string label = "COMPSIG-MLDSA65-Ed25519-SHA512";
  want.insert(want.end(), label.begin(), label.end());
  want.push_back(3);
  want.insert(want.end(), ctx.begin(), ctx.end());
  const util::Bytes digest = openssl_sha512(msg);
  want.insert(want.end(), digest.begin(), digest.end());
  EXPECT_EQ(*hybrid::message_representative(msg, ctx), want);
  EXPECT_FALSE(hybrid::message_representative(msg, util::Bytes(256, 0)).is_ok());
}

TEST(Hybrid, DraftTestVectorKeysAndSignature) {
  const DraftVector v = draft_vector();
  ASSERT_EQ(v.pk.size(), hybrid::kPublicKeyBytes);
  ASSERT_EQ(v.sk.size(), hybrid::kSecretKeyBytes);
  ASSERT_EQ(v.s.size(), hybrid::kSignatureBytes);
  util::Bytes pk(hybrid::kPublicKeyBytes);
  hybrid::public_key(std::span<const std::uint8_t, 64>(v.sk.data(), 64), pk);
  EXPECT_EQ(pk, v.pk) << "the public key follows from the two seeds";
  EXPECT_TRUE(hybrid::verify(v.pk, v.m, v.s, {}));
  EXPECT_FALSE(hybrid::verify(v.pk, v.m, v.s, unhex("78"))) << "the vector was made with ctx = ''";
}

TEST(Hybrid, EveryBitFlipOfTheDraftSignatureIsRejected) {
  const DraftVector v = draft_vector();
  util::Bytes s = v.s;
  for (std::size_t bit = 0; bit < 8 * s.size(); bit += 3) {
    s[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(hybrid::verify(v.pk, v.m, s, {})) << "bit " << bit;
    s[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
  // Every bit of the Ed25519 half, since it is short.
  for (std::size_t bit = 8 * hybrid::kMlDsaSignatureBytes; bit < 8 * s.size(); ++bit) {
    s[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(hybrid::verify(v.pk, v.m, s, {})) << "bit " << bit;
    s[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
}

TEST(Hybrid, BothComponentsMustVerify) {
  std::mt19937_64 rng(21);
  const util::Bytes seed = test::random_bytes(rng, hybrid::kSecretKeyBytes);
  util::Bytes pk(hybrid::kPublicKeyBytes);
  hybrid::public_key(std::span<const std::uint8_t, 64>(seed.data(), 64), pk);
  const util::Bytes msg = test::random_bytes(rng, 50);
  const util::Bytes ctx = unhex("01");
  util::Bytes sig(hybrid::kSignatureBytes);
  const util::Bytes rnd = test::random_bytes(rng, 32);
  ASSERT_TRUE(
      hybrid::sign(seed, msg, ctx, std::span<const std::uint8_t, 32>(rnd.data(), 32), sig).is_ok());
  ASSERT_TRUE(hybrid::verify(pk, msg, sig, ctx));

  // A valid ML-DSA half with a garbage Ed25519 half, and the other way round.
  util::Bytes only_mldsa = sig;
  std::fill(only_mldsa.begin() + hybrid::kMlDsaSignatureBytes, only_mldsa.end(), 0x5a);
  EXPECT_FALSE(hybrid::verify(pk, msg, only_mldsa, ctx));
  util::Bytes only_ed = sig;
  std::fill(only_ed.begin(), only_ed.begin() + hybrid::kMlDsaSignatureBytes, 0x5a);
  EXPECT_FALSE(hybrid::verify(pk, msg, only_ed, ctx));

  // The ML-DSA half is bound to the composite label: it is not a plain ML-DSA-65 signature of M'
  // with an empty context, nor of the message itself.
  const util::Bytes m_prime = *hybrid::message_representative(msg, ctx);
  const util::ByteSpan mldsa_pk = util::ByteSpan(pk).first(hybrid::kMlDsaPublicKeyBytes);
  const util::ByteSpan mldsa_sig = util::ByteSpan(sig).first(hybrid::kMlDsaSignatureBytes);
  EXPECT_TRUE(mldsa::verify(mldsa::ParameterSet::kMlDsa65, mldsa_pk, m_prime, mldsa_sig,
                            util::as_bytes(hybrid::kLabel)));
  EXPECT_FALSE(mldsa::verify(mldsa::ParameterSet::kMlDsa65, mldsa_pk, m_prime, mldsa_sig, {}));
  EXPECT_FALSE(mldsa::verify(mldsa::ParameterSet::kMlDsa65, mldsa_pk, msg, mldsa_sig,
                             util::as_bytes(hybrid::kLabel)));
  // The Ed25519 half signs M'.
  EXPECT_TRUE(ed25519::verify(
      util::ByteSpan(pk).subspan(hybrid::kMlDsaPublicKeyBytes).first<ed25519::kPublicKeyBytes>(),
      m_prime, util::ByteSpan(sig).subspan(hybrid::kMlDsaSignatureBytes)));
}

TEST(Hybrid, MalformedInputs) {
  const DraftVector v = draft_vector();
  EXPECT_FALSE(hybrid::verify(util::ByteSpan(v.pk).first(100), v.m, v.s, {}));
  EXPECT_FALSE(hybrid::verify(v.pk, v.m, util::ByteSpan(v.s).first(v.s.size() - 1), {}));
  util::Bytes longer = v.s;
  longer.push_back(0);
  EXPECT_FALSE(hybrid::verify(v.pk, v.m, longer, {}));
  util::Bytes sig(hybrid::kSignatureBytes);
  const util::Bytes zeros(32, 0);
  const std::span<const std::uint8_t, 32> rnd(zeros.data(), 32);
  EXPECT_FALSE(hybrid::sign(util::ByteSpan(v.sk).first(63), v.m, {}, rnd, sig).is_ok());
  EXPECT_FALSE(hybrid::sign(v.sk, v.m, util::Bytes(256, 1), rnd, sig).is_ok());
}

}  // namespace
}  // namespace qpow::crypto
