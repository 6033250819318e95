// SWIFFT (n = 64, p = 257) against a reference written here the slow, obvious way: keys expanded
// from SHAKE256 by their documented rule, and z = sum of a_i * x_i by schoolbook multiplication
// in Z_257[X] / (X^64 + 1). Also the NTT on its own, linearity, packing, and known outputs.
#include "crypto/swifft.h"

#include <array>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/sha3.h"
#include "support/test_bytes.h"

namespace qpow::crypto {
namespace {

constexpr int kP = 257;

// Keys by the rule in swifft.h: SHAKE256(tag) read as 16-bit little-endian words, skip 65535,
// keep w mod 257.
std::vector<SwifftPoly> reference_keys(std::size_t count) {
  const util::Bytes stream = Shake256::hash(util::as_bytes("qpow/swifft/v1/keys"), 4 * 64 * count);
  std::vector<SwifftPoly> keys(count);
  std::size_t filled = 0;
  for (std::size_t i = 0; i + 1 < stream.size() && filled < 64 * count; i += 2) {
    const unsigned w = stream[i] | (stream[i + 1] << 8);
    if (w == 65535) continue;
    keys[filled / 64][filled % 64] = static_cast<std::uint16_t>(w % kP);
    ++filled;
  }
  EXPECT_EQ(filled, 64 * count);
  return keys;
}

// Schoolbook product in Z_257[X] / (X^64 + 1): X^64 wraps to -1.
SwifftPoly negacyclic_product(const SwifftPoly& a, const SwifftPoly& b) {
  std::array<long, 64> acc{};
  for (int i = 0; i < 64; ++i) {
    for (int j = 0; j < 64; ++j) {
      const long term =
          static_cast<long>(a[static_cast<std::size_t>(i)]) * b[static_cast<std::size_t>(j)];
      if (i + j < 64) {
        acc[static_cast<std::size_t>(i + j)] += term;
      } else {
        acc[static_cast<std::size_t>(i + j - 64)] -= term;
      }
    }
  }
  SwifftPoly out;
  for (std::size_t k = 0; k < 64; ++k)
    out[k] = static_cast<std::uint16_t>(((acc[k] % kP) + kP) % kP);
  return out;
}

SwifftPoly reference_swifft(const util::Bytes& input) {
  const std::size_t blocks = input.size() / 8;
  const std::vector<SwifftPoly> keys = reference_keys(blocks);
  SwifftPoly z{};
  for (std::size_t i = 0; i < blocks; ++i) {
    SwifftPoly x{};
    for (std::size_t k = 0; k < 64; ++k) x[k] = (input[8 * i + k / 8] >> (k % 8)) & 1;
    const SwifftPoly term = negacyclic_product(keys[i], x);
    for (std::size_t k = 0; k < 64; ++k) z[k] = static_cast<std::uint16_t>((z[k] + term[k]) % kP);
  }
  return z;
}

SwifftPoly random_poly(std::mt19937_64& rng) {
  SwifftPoly p;
  for (auto& c : p) c = static_cast<std::uint16_t>(rng() % kP);
  return p;
}

TEST(Swifft, KeysFollowTheDocumentedExpansion) {
  const std::vector<SwifftPoly> keys = reference_keys(kSwifftMaxBlocks);
  for (std::size_t i = 0; i < kSwifftMaxBlocks; ++i)
    EXPECT_EQ(swifft_key(i), keys[i]) << "key " << i;
}

TEST(SwifftNtt, InverseUndoesForward) {
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 200; ++trial) {
    const SwifftPoly a = random_poly(rng);
    SwifftPoly t = a;
    swifft_ntt_forward(t);
    swifft_ntt_inverse(t);
    ASSERT_EQ(t, a);
  }
}

TEST(SwifftNtt, ForwardEvaluatesAtOddPowersOfPsiInBitReversedOrder) {
  std::mt19937_64 rng(2);
  const SwifftPoly a = random_poly(rng);
  SwifftPoly t = a;
  swifft_ntt_forward(t);
  auto pow_mod = [](long b, long e) {
    long r = 1;
    for (; e > 0; --e) r = r * b % kP;
    return r;
  };
  for (unsigned i = 0; i < 64; ++i) {
    unsigned rev = 0;
    for (int bit = 0; bit < 6; ++bit) rev |= ((i >> bit) & 1u) << (5 - bit);
    const long point = pow_mod(9, 2 * rev + 1);
    long value = 0;
    for (int k = 63; k >= 0; --k) value = (value * point + a[static_cast<std::size_t>(k)]) % kP;
    EXPECT_EQ(t[i], value) << "output " << i;
  }
}

TEST(SwifftNtt, PointwiseProductIsTheNegacyclicProduct) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    const SwifftPoly a = random_poly(rng), b = random_poly(rng);
    SwifftPoly ta = a, tb = b;
    swifft_ntt_forward(ta);
    swifft_ntt_forward(tb);
    SwifftPoly prod;
    for (std::size_t k = 0; k < 64; ++k) prod[k] = static_cast<std::uint16_t>(ta[k] * tb[k] % kP);
    swifft_ntt_inverse(prod);
    ASSERT_EQ(prod, negacyclic_product(a, b));
  }
}

TEST(Swifft, EqualsTheSchoolbookReferenceForEveryBlockCount) {
  std::mt19937_64 rng(4);
  for (std::size_t blocks = 1; blocks <= kSwifftMaxBlocks; ++blocks) {
    const util::Bytes input = test::random_bytes(rng, 8 * blocks);
    const util::Result<SwifftPoly> z = swifft(input);
    ASSERT_TRUE(z.is_ok());
    ASSERT_EQ(*z, reference_swifft(input)) << blocks << " blocks";
  }
}

TEST(Swifft, IsLinearOnDisjointInputs) {
  std::mt19937_64 rng(5);
  const util::Bytes zeros(280, 0);
  EXPECT_EQ(*swifft(zeros), SwifftPoly{});
  for (int trial = 0; trial < 100; ++trial) {
    const util::Bytes r = test::random_bytes(rng, 280);
    const util::Bytes mask = test::random_bytes(rng, 280);
    util::Bytes x(280), y(280), both(280);
    for (std::size_t i = 0; i < 280; ++i) {
      x[i] = r[i] & mask[i];
      y[i] = r[i] & static_cast<std::uint8_t>(~mask[i]);
      both[i] = x[i] | y[i];
    }
    const SwifftPoly zx = *swifft(x), zy = *swifft(y), zb = *swifft(both);
    for (std::size_t k = 0; k < 64; ++k) ASSERT_EQ(zb[k], (zx[k] + zy[k]) % kP);
  }
}

TEST(Swifft, RejectsInputsThatAreNotWholeBlocksOrTooLong) {
  for (std::size_t len : {0u, 1u, 7u, 9u, 279u, 513u, 520u}) {
    const util::Result<SwifftPoly> z = swifft(util::Bytes(len, 1));
    ASSERT_FALSE(z.is_ok()) << len;
    EXPECT_NE(z.status().message().find(std::to_string(len) + " bytes"), std::string::npos);
  }
  EXPECT_TRUE(swifft(util::Bytes(512, 1)).is_ok());
}

TEST(SwifftPack, RoundTripsAndRejectsValuesAbove256) {
  std::mt19937_64 rng(6);
  for (int trial = 0; trial < 100; ++trial) {
    SwifftPoly z = random_poly(rng);
    z[static_cast<std::size_t>(trial % 64)] = 256;
    const SwifftPacked packed = swifft_pack(z);
    const util::Result<SwifftPoly> back = swifft_unpack(packed);
    ASSERT_TRUE(back.is_ok());
    ASSERT_EQ(*back, z);
  }
  SwifftPacked bad{};
  bad[3] = 1;
  bad[64] = 0x08;  // coefficient 3 would be 257
  const util::Result<SwifftPoly> rejected = swifft_unpack(bad);
  ASSERT_FALSE(rejected.is_ok());
  EXPECT_NE(rejected.status().message().find("coefficient 3 is 257"), std::string::npos);
}

// Known outputs (also in docs/protocol.md); the tests above tie them to the definition.
TEST(Swifft, KnownOutputs) {
  util::Bytes sample(280);
  for (std::size_t i = 0; i < sample.size(); ++i) sample[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(util::to_hex(swifft_pack(*swifft(sample))),
            "f9f67c65b0baa427bbe5b10861edf311dcc485febe44e52a23264e3515672733"
            "849352a9799e348a52756716feda71eb7943f433bc06e055a09a16cffdee0729"
            "0000000000000000");
  // x_0 = 1 makes the digest the key a_0 itself.
  EXPECT_EQ(util::to_hex(swifft_pack(*swifft(test::unhex("0100000000000000")))),
            "c45c1e9d0db89b4e96b0cb213725f12ff5ce9ca4a562f45e6d9a27aa7e84f7cc"
            "063b0c8989a9198228d6055ec66047badcba08f84c4784a3f700cb6230bf1726"
            "0000000000000000");
  EXPECT_EQ(swifft_key(34)[0], 17);
  EXPECT_EQ(swifft_key(63)[63], 249);
  std::string key0;
  for (std::size_t k = 0; k < 8; ++k) key0 += std::to_string(swifft_key(0)[k]) + " ";
  EXPECT_EQ(key0, "196 92 30 157 13 184 155 78 ");
}

}  // namespace
}  // namespace qpow::crypto
