// ML-DSA's public interface (crypto/ml_dsa.h) on every CPU path: round trips of pure ML-DSA,
// HashML-DSA with each pre-hash and the internal / external-μ forms, how they relate (FIPS 204
// Algorithms 2-8), identical bytes on every path, and the argument checks (context length,
// secret-key length and coefficient ranges).
#include <gtest/gtest.h>

#include "crypto/ml_dsa.h"
#include "crypto/prehash.h"
#include "ml_dsa_test_keys.h"
#include "path_param.h"

namespace qpow::crypto::mldsa::test {
namespace {

using util::Bytes;
using util::StatusCode;

class MlDsaApi : public CpuPathTest {
 protected:
  CpuPath path() const { return GetParam(); }
};

TEST_P(MlDsaApi, SizesAreTable2) {
  EXPECT_EQ(sizes(ParameterSet::kMlDsa44).public_key, 1312u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa44).secret_key, 2560u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa44).signature, 2420u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa65).public_key, 1952u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa65).secret_key, 4032u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa65).signature, 3309u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa87).public_key, 2592u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa87).secret_key, 4896u);
  EXPECT_EQ(sizes(ParameterSet::kMlDsa87).signature, 4627u);
}

TEST_P(MlDsaApi, PureSignaturesVerifyOnlyUnderTheirContext) {
  const Bytes message = as_vector("transfer 5 to qp1...");
  const Bytes ctx = as_vector("qpow/tx");
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 1, path());
    const Bytes sig = sign_or_fail(set, keys, message, ctx, 7, path());
    EXPECT_TRUE(verify(set, keys.pk, message, sig, ctx, path())) << set_name(set);
    EXPECT_FALSE(verify(set, keys.pk, message, sig, as_vector("qpow/vote"), path()));
    EXPECT_FALSE(verify(set, keys.pk, message, sig, {}, path()));
    EXPECT_FALSE(verify_internal(set, keys.pk, message, sig, path()));
    const KeyPair other = make_keys(set, 2, path());
    EXPECT_FALSE(verify(set, other.pk, message, sig, ctx, path()));
  }
}

TEST_P(MlDsaApi, EmptyMessageAndEmptyContext) {
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 3, path());
    const Bytes sig = sign_or_fail(set, keys, {}, {}, 0, path());
    EXPECT_TRUE(verify(set, keys.pk, {}, sig, {}, path())) << set_name(set);
  }
}

// Algorithm 2 is Algorithm 7 on M' = 0 || |ctx| || ctx || M.
TEST_P(MlDsaApi, PureSigningIsInternalSigningOfTheFormattedMessage) {
  const Bytes message = as_vector("message");
  const Bytes ctx = as_vector("context");
  Bytes m_prime = {0, static_cast<std::uint8_t>(ctx.size())};
  m_prime.insert(m_prime.end(), ctx.begin(), ctx.end());
  m_prime.insert(m_prime.end(), message.begin(), message.end());
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 4, path());
    const Bytes pure = sign_or_fail(set, keys, message, ctx, 9, path());
    Bytes internal(sizes(set).signature);
    ASSERT_TRUE(sign_internal(set, keys.sk, m_prime, rnd_of(9), internal, path()).is_ok());
    EXPECT_EQ(pure, internal) << set_name(set);
    EXPECT_TRUE(verify_internal(set, keys.pk, m_prime, pure, path()));
  }
}

// Algorithm 7 from line 7 with μ given equals Algorithm 7 on M'.
TEST_P(MlDsaApi, ExternalMuMatchesTheInternalInterface) {
  const Bytes m_prime = as_vector("any formatted message");
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 5, path());
    const auto mu = mu_of(keys.pk, m_prime);
    Bytes a(sizes(set).signature), b(sizes(set).signature);
    ASSERT_TRUE(sign_internal(set, keys.sk, m_prime, rnd_of(1), a, path()).is_ok());
    ASSERT_TRUE(sign_mu(set, keys.sk, mu, rnd_of(1), b, path()).is_ok());
    EXPECT_EQ(a, b) << set_name(set);
    EXPECT_TRUE(verify_mu(set, keys.pk, mu, a, path()));
    auto other_mu = mu;
    other_mu[0] ^= 1;
    EXPECT_FALSE(verify_mu(set, keys.pk, other_mu, a, path()));
  }
}

TEST_P(MlDsaApi, HashMlDsaWithEveryPreHash) {
  const Bytes message = as_vector("a long document, pre-hashed");
  const Bytes ctx = as_vector("qpow/auth");
  const ParameterSet set = ParameterSet::kMlDsa44;
  const KeyPair keys = make_keys(set, 6, path());
  for (int i = 0; i <= static_cast<int>(PreHash::kShake256); ++i) {
    const auto ph = static_cast<PreHash>(i);
    Bytes sig(sizes(set).signature);
    ASSERT_TRUE(hash_sign(set, keys.sk, message, ctx, ph, rnd_of(2), sig, path()).is_ok());
    EXPECT_TRUE(hash_verify(set, keys.pk, message, sig, ctx, ph, path())) << prehash_name(ph);
    const auto other = static_cast<PreHash>((i + 1) % 12);
    EXPECT_FALSE(hash_verify(set, keys.pk, message, sig, ctx, other, path()));
    EXPECT_FALSE(verify(set, keys.pk, message, sig, ctx, path()));  // domain separator 1 vs 0
  }
}

TEST_P(MlDsaApi, DeterministicAndHedgedSigning) {
  const Bytes message = as_vector("m");
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 7, path());
    const Bytes d1 = sign_or_fail(set, keys, message, {}, 0, path());
    const Bytes d2 = sign_or_fail(set, keys, message, {}, 0, path());
    const Bytes h = sign_or_fail(set, keys, message, {}, 0x5a, path());
    EXPECT_EQ(d1, d2);
    EXPECT_NE(d1, h);
    EXPECT_TRUE(verify(set, keys.pk, message, h, {}, path()));
  }
}

TEST_P(MlDsaApi, EveryPathGivesTheSameBytes) {
  if (path() == CpuPath::kPortable) GTEST_SKIP() << "the reference path itself";
  const Bytes message = as_vector("same on every path");
  for (const ParameterSet set : kAllSets) {
    for (std::uint8_t tag = 0; tag < 3; ++tag) {
      const KeyPair here = make_keys(set, tag, path());
      const KeyPair ref = make_keys(set, tag, CpuPath::kPortable);
      ASSERT_EQ(here.pk, ref.pk);
      ASSERT_EQ(here.sk, ref.sk);
      EXPECT_EQ(sign_or_fail(set, here, message, {}, tag, path()),
                sign_or_fail(set, ref, message, {}, tag, CpuPath::kPortable))
          << set_name(set);
    }
  }
}

TEST_P(MlDsaApi, ContextOfAtMost255Bytes) {
  const ParameterSet set = ParameterSet::kMlDsa44;
  const KeyPair keys = make_keys(set, 8, path());
  const Bytes message = as_vector("m");
  const Bytes longest(kMaxContextBytes, 0xc7);
  const Bytes sig = sign_or_fail(set, keys, message, longest, 1, path());
  EXPECT_TRUE(verify(set, keys.pk, message, sig, longest, path()));

  const Bytes too_long(kMaxContextBytes + 1, 0xc7);
  Bytes out(sizes(set).signature);
  const util::Status st = sign(set, keys.sk, message, too_long, rnd_of(1), out, path());
  EXPECT_EQ(st.code(), StatusCode::kOutOfRange) << st.to_string();
  EXPECT_EQ(
      hash_sign(set, keys.sk, message, too_long, PreHash::kSha2_256, rnd_of(1), out, path()).code(),
      StatusCode::kOutOfRange);
  EXPECT_FALSE(verify(set, keys.pk, message, sig, too_long, path()));
  EXPECT_FALSE(hash_verify(set, keys.pk, message, sig, too_long, PreHash::kSha2_256, path()));
}

TEST_P(MlDsaApi, SecretKeyOfTheWrongLengthIsAnError) {
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 9, path());
    Bytes sig(sizes(set).signature);
    for (const std::size_t len : {std::size_t{0}, keys.sk.size() - 1, keys.sk.size() + 1}) {
      Bytes sk = keys.sk;
      sk.resize(len);
      const util::Status st = sign(set, sk, {}, {}, rnd_of(0), sig, path());
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << set_name(set) << " length " << len;
      const std::array<std::uint8_t, kMuBytes> mu{};
      EXPECT_EQ(sign_mu(set, sk, mu, rnd_of(0), sig, path()).code(), StatusCode::kInvalidArgument);
    }
  }
}

// skDecode (Algorithm 25) can produce s1 / s2 coefficients outside [-η, η] from bytes KeyGen
// never writes; signing refuses such keys. The first coefficient of s1 (or s2) is set to the
// largest stored value, η - value < -η.
TEST_P(MlDsaApi, SecretKeyWithOutOfRangeCoefficientsIsAnError) {
  constexpr std::size_t kS1Offset = 32 + 32 + 64;  // after ρ, K, tr
  for (const ParameterSet set : kAllSets) {
    const KeyPair keys = make_keys(set, 10, path());
    const bool eta2 = set != ParameterSet::kMlDsa65;
    const std::size_t poly_bytes = eta2 ? 96 : 128;
    const std::size_t l = set == ParameterSet::kMlDsa44 ? 4 : set == ParameterSet::kMlDsa65 ? 5 : 7;
    const std::uint8_t low_mask = eta2 ? 0x07 : 0x0f;
    const std::uint8_t max_valid = eta2 ? 4 : 8;  // 2η: the coefficient -η
    Bytes sig(sizes(set).signature);
    for (const std::size_t offset : {kS1Offset, kS1Offset + l * poly_bytes}) {
      Bytes sk = keys.sk;
      sk[offset] = static_cast<std::uint8_t>((sk[offset] & ~low_mask) | low_mask);
      const util::Status st = sign(set, sk, {}, {}, rnd_of(0), sig, path());
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << set_name(set) << " offset " << offset;
      sk[offset] = static_cast<std::uint8_t>((sk[offset] & ~low_mask) | max_valid);
      EXPECT_TRUE(sign(set, sk, {}, {}, rnd_of(0), sig, path()).is_ok()) << set_name(set);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, MlDsaApi, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::mldsa::test
