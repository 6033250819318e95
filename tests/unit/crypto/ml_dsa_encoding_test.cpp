// ML-DSA's encodings (FIPS 204 §7.1-7.2): bit packing against a bit-by-bit rendering of
// Algorithms 16-19 (through IntegerToBits / BitsToBytes, Algorithms 9-12), and HintBitUnpack's
// rejection of every non-canonical hint encoding (Algorithm 21).
#include "crypto/ml_dsa_encoding.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ml_dsa_params.h"

namespace qpow::crypto::mldsa {
namespace {

// BitsToBytes(IntegerToBits(v_0, bits) || ... ): bit j of value i is bit i·bits + j of the
// string, and bit t of the string is bit t mod 8 of byte t / 8.
std::vector<std::uint8_t> pack_reference(const std::vector<std::uint32_t>& values,
                                         std::size_t bits) {
  std::vector<std::uint8_t> out(values.size() * bits / 8, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < bits; ++j) {
      const std::size_t t = i * bits + j;
      out[t / 8] |= static_cast<std::uint8_t>(((values[i] >> j) & 1u) << (t % 8));
    }
  }
  return out;
}

TEST(MlDsaEncoding, SimpleBitPackMatchesTheBitStringDefinition) {
  std::mt19937_64 rng(20);
  for (const std::size_t bits : {4, 6, 10}) {
    Poly a;
    std::vector<std::uint32_t> values(kN);
    for (std::size_t i = 0; i < kN; ++i) {
      values[i] = static_cast<std::uint32_t>(rng()) & ((1u << bits) - 1);
      a.c[i] = static_cast<std::int32_t>(values[i]);
    }
    std::vector<std::uint8_t> packed(kN * bits / 8);
    simple_bit_pack(a, bits, packed.data());
    EXPECT_EQ(packed, pack_reference(values, bits)) << bits << " bits";
    Poly back;
    simple_bit_unpack(back, bits, packed.data());
    for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(back.c[i], a.c[i]) << bits << " bits, " << i;
  }
}

// BitPack(w, a, b) stores b - w_i; the values at both ends of [b - 2^bits + 1, b] included.
TEST(MlDsaEncoding, BitPackMatchesTheBitStringDefinition) {
  std::mt19937_64 rng(21);
  const struct {
    std::size_t bits;
    std::int32_t b;
  } kCases[] = {{3, 2}, {4, 4}, {13, 1 << 12}, {18, 1 << 17}, {20, 1 << 19}};
  for (const auto& c : kCases) {
    Poly a;
    std::vector<std::uint32_t> stored(kN);
    for (std::size_t i = 0; i < kN; ++i) {
      stored[i] = static_cast<std::uint32_t>(rng()) & ((1u << c.bits) - 1);
      if (i == 0) stored[i] = 0;
      if (i == 1) stored[i] = (1u << c.bits) - 1;
      a.c[i] = c.b - static_cast<std::int32_t>(stored[i]);
    }
    std::vector<std::uint8_t> packed(kN * c.bits / 8);
    bit_pack(a, c.b, c.bits, packed.data());
    EXPECT_EQ(packed, pack_reference(stored, c.bits)) << c.bits << " bits";
    Poly back;
    bit_unpack(back, c.b, c.bits, packed.data());
    for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(back.c[i], a.c[i]) << c.bits << " bits, " << i;
  }
}

// A hint vector with ones at the given positions per polynomial.
std::vector<HintBits> hints(const Params& p, const std::vector<std::vector<int>>& ones) {
  std::vector<HintBits> h(p.k, HintBits{});
  for (std::size_t i = 0; i < ones.size(); ++i) {
    for (const int j : ones[i]) h[i].word[j / 64] |= std::uint64_t{1} << (j % 64);
  }
  return h;
}

class MlDsaHintEncoding : public ::testing::Test {
 protected:
  const Params& p = kMlDsa65;  // ω = 55, k = 6
  std::vector<std::uint8_t> encode(const std::vector<HintBits>& h) {
    std::vector<std::uint8_t> y(p.omega + p.k);
    hint_bit_pack(p, h.data(), y.data());
    return y;
  }
  bool decodes(const std::vector<std::uint8_t>& y) {
    std::vector<HintBits> h(p.k);
    return hint_bit_unpack(p, y.data(), h.data());
  }
};

TEST_F(MlDsaHintEncoding, RoundTrips) {
  const std::vector<HintBits> h = hints(p, {{0, 5, 255}, {}, {3}, {1, 2}, {}, {200, 201}});
  const std::vector<std::uint8_t> y = encode(h);
  EXPECT_EQ(y[p.omega + 0], 3);
  EXPECT_EQ(y[p.omega + 5], 8);
  std::vector<HintBits> back(p.k);
  ASSERT_TRUE(hint_bit_unpack(p, y.data(), back.data()));
  for (std::size_t i = 0; i < p.k; ++i) {
    for (std::size_t w = 0; w < kN / 64; ++w) ASSERT_EQ(back[i].word[w], h[i].word[w]);
  }
}

TEST_F(MlDsaHintEncoding, AcceptsExactlyOmegaOnes) {
  std::vector<std::vector<int>> ones(p.k);
  for (std::size_t n = 0; n < p.omega; ++n) ones[n % p.k].push_back(static_cast<int>(n));
  EXPECT_TRUE(decodes(encode(hints(p, ones))));
}

// Positions may drop from one polynomial to the next; only within one must they increase.
TEST_F(MlDsaHintEncoding, AcceptsPositionsThatRestartInTheNextPolynomial) {
  EXPECT_TRUE(decodes(encode(hints(p, {{100, 200}, {5, 6}}))));
}

TEST_F(MlDsaHintEncoding, RejectsPositionsOutOfOrderWithinAPolynomial) {
  std::vector<std::uint8_t> y = encode(hints(p, {{10, 20, 30}}));
  std::swap(y[1], y[2]);  // 10, 30, 20
  EXPECT_FALSE(decodes(y));
}

TEST_F(MlDsaHintEncoding, RejectsARepeatedPosition) {
  std::vector<std::uint8_t> y = encode(hints(p, {{10, 20}}));
  y[1] = 10;  // 10, 10
  EXPECT_FALSE(decodes(y));
}

TEST_F(MlDsaHintEncoding, RejectsACountAboveOmega) {
  std::vector<std::uint8_t> y = encode(hints(p, {{1}}));
  for (std::size_t i = 0; i < p.k; ++i) y[p.omega + i] = static_cast<std::uint8_t>(p.omega + 1);
  EXPECT_FALSE(decodes(y));
  y[p.omega + p.k - 1] = 0xff;
  EXPECT_FALSE(decodes(y));
}

TEST_F(MlDsaHintEncoding, RejectsDecreasingCounts) {
  std::vector<std::uint8_t> y = encode(hints(p, {{1, 2}, {3}}));  // counts 2, 3, 3, 3, 3, 3
  y[p.omega + 1] = 1;                                             // 2, 1, ...
  EXPECT_FALSE(decodes(y));
}

TEST_F(MlDsaHintEncoding, RejectsNonZeroPadding) {
  const std::vector<std::uint8_t> valid = encode(hints(p, {{1, 2}, {3}}));
  for (std::size_t pad = 3; pad < p.omega; ++pad) {
    std::vector<std::uint8_t> y = valid;
    y[pad] = 1;
    EXPECT_FALSE(decodes(y)) << "padding byte " << pad;
  }
}

}  // namespace
}  // namespace qpow::crypto::mldsa
