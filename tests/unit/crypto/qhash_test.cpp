// qhash v1: the one-shot definition equals its composition from the parts (SWIFFT checked
// against the schoolbook reference in swifft_test.cpp, then cSHAKE256 with "qpow/pow/v1"), the
// prefix path and its 4- and 8-way forms equal the one-shot definition on every SIMD path, and
// the known outputs in docs/protocol.md hold.
#include "crypto/qhash.h"

#include <array>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "crypto/sp800_185.h"
#include "path_param.h"
#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

using Header = std::array<std::uint8_t, kQhashHeaderBytes>;

Header random_header(std::mt19937_64& rng) {
  Header h;
  for (auto& b : h) b = static_cast<std::uint8_t>(rng());
  return h;
}

Header with_nonce(Header h, std::uint64_t nonce) {
  util::store_le64(h.data() + kQhashNonceOffset, nonce);
  return h;
}

QhashFixedPart fixed_part(const Header& h) {
  return QhashFixedPart(h.data(), kQhashNonceOffset);
}

TEST(Qhash, IsCShake256OverTheHeaderAndItsPackedSwifftDigest) {
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 20; ++trial) {
    const Header h = random_header(rng);
    util::Bytes input(h.begin(), h.end());
    const SwifftPacked digest = swifft_pack(*swifft(h));
    input.insert(input.end(), digest.begin(), digest.end());
    const util::Bytes want = CShake256::hash(input, 32, {}, util::as_bytes("qpow/pow/v1"));
    const Hash256 got = qhash(h);
    ASSERT_EQ(util::Bytes(got.begin(), got.end()), want);
  }
}

TEST(Qhash, KnownOutputs) {
  Header zero{};
  EXPECT_EQ(util::to_hex(qhash(zero)),
            "f902253b98669030598def5fa0952eca8561c9bc525644e2ca0e9c82c403ab94");
  Header sample;
  const util::Bytes from_file = test::unhex(
      test::read_text_file(test::test_data_dir() / "qhash/sample_header.hex").substr(0, 560));
  ASSERT_EQ(from_file.size(), sample.size());
  std::copy(from_file.begin(), from_file.end(), sample.begin());
  EXPECT_EQ(util::to_hex(qhash(sample)),
            "2af5b29bd92bcd900f739b5a744f6fb9e04a5b0b3f378240a78148eda9872217");
  const QhashPrefix prefix(fixed_part(sample));
  const std::pair<std::uint64_t, const char*> by_nonce[] = {
      {0, "0b08e42ad383cf9c5367eaffe539278b354ca27d4fb7508fc2e96826227e7c13"},
      {1, "145f8e8c93e9058a84062bc7995ab6d454bdaa11b197c1fa6d58ea1f91a94eb1"},
      {0x1716151413121110, "2af5b29bd92bcd900f739b5a744f6fb9e04a5b0b3f378240a78148eda9872217"},
      {~std::uint64_t{0}, "ff25ab5be0eb1545d6ce58364b16a5c9ad546ad7d772c0ba5ff2433f5238060a"}};
  for (const auto& [nonce, want] : by_nonce) {
    EXPECT_EQ(util::to_hex(qhash(with_nonce(sample, nonce))), want) << nonce;
    EXPECT_EQ(util::to_hex(prefix.hash(nonce)), want) << nonce;
  }
  Header ones;
  ones.fill(0xff);
  EXPECT_EQ(util::to_hex(qhash(ones)),
            "0dc1f7d703ada892ed9864511a087ed8b6053b85e2055ed0de185ca329caf55f");
}

TEST(Qhash, CheckedRejectsWrongLengths) {
  for (std::size_t len : {0u, 279u, 281u, 1000u}) {
    const util::Result<Hash256> r = qhash_checked(util::Bytes(len));
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().message(), "qhash: header must be 280 bytes, got " + std::to_string(len));
  }
  EXPECT_TRUE(qhash_checked(util::Bytes(280)).is_ok());
}

TEST(QhashPrefix, SingleNonceEqualsTheDefinition) {
  std::mt19937_64 rng(2);
  for (int trial = 0; trial < 30; ++trial) {
    const Header h = random_header(rng);
    const QhashPrefix prefix(fixed_part(h));
    for (const std::uint64_t nonce :
         {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}, std::uint64_t{rng()}}) {
      ASSERT_EQ(prefix.hash(nonce), qhash(with_nonce(h, nonce))) << "nonce " << nonce;
    }
  }
}

TEST(QhashPrefix, IgnoresTheNonceBytesOfTheHeaderItWasBuiltFrom) {
  std::mt19937_64 rng(3);
  const Header h = random_header(rng);
  EXPECT_EQ(QhashPrefix(fixed_part(h)).hash(42), qhash(with_nonce(h, 42)));
}

using QhashPath = CpuPathTest;

TEST_P(QhashPath, FourAndEightNoncesEqualTheDefinition) {
  const KeccakBackend& backend = keccak_backend(GetParam());
  std::mt19937_64 rng(4);
  for (int trial = 0; trial < 40; ++trial) {
    const Header h = random_header(rng);
    const QhashPrefix prefix(fixed_part(h));
    std::array<std::uint64_t, 8> nonces;
    for (auto& n : nonces) n = rng();
    nonces[0] = 0;
    nonces[7] = ~std::uint64_t{0};
    std::array<Hash256, 8> out8;
    std::array<Hash256, 4> out4;
    prefix.hash_x8(nonces, out8, backend);
    prefix.hash_x4(std::span<const std::uint64_t, 4>(nonces.data(), 4), out4, backend);
    for (std::size_t j = 0; j < 8; ++j) {
      const Hash256 want = qhash(with_nonce(h, nonces[j]));
      ASSERT_EQ(out8[j], want) << "x8 nonce " << j;
      if (j < 4) {
        ASSERT_EQ(out4[j], want) << "x4 nonce " << j;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, QhashPath, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto
