// Uint256: arithmetic modulo 2^256 checked against slow references written here (std::bitset
// shifts, shift-and-add multiplication), overflow detection, and Bitcoin's compact "bits" form.
#include "util/uint256.h"

#include <bitset>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace qpow::util {

// Failure messages show the number, not its bytes (found by argument-dependent lookup).
static void PrintTo(const Uint256& v, std::ostream* os) {
  *os << "0x" << v.to_hex();
}

namespace {

Uint256 hex(const char* text) {
  const Result<Uint256> v = Uint256::from_hex(text);
  if (!v.is_ok()) {
    ADD_FAILURE() << "bad Uint256 literal in test: " << v.status().to_string();
    return Uint256();
  }
  return *v;
}

// 64 hex digits: `first`, then 63 times `fill`.
Uint256 top_digit_then(char first, char fill) {
  std::string text(64, fill);
  text[0] = first;
  return hex(text.c_str());
}

Uint256 pow2(unsigned k) {
  return Uint256(1) << k;
}

// A value with a random number of significant bits, so that every limb count gets exercised.
Uint256 random_value(std::mt19937_64& rng) {
  Uint256 v;
  for (int i = 0; i < 4; ++i) v = (v << 64) + Uint256(rng());
  return v >> static_cast<unsigned>(rng() % 256);
}

std::bitset<256> to_bits(const Uint256& v) {
  std::bitset<256> bits;
  for (unsigned i = 0; i < 256; ++i)
    bits[i] = ((v.limb(static_cast<int>(i / 64)) >> (i % 64)) & 1) != 0;
  return bits;
}

// The exact 512-bit product a * b as (high, low), by shift-and-add over the bits of b.
struct Wide {
  Uint256 high;
  Uint256 low;
};
Wide slow_mul(const Uint256& a, const Uint256& b) {
  const std::bitset<256> b_bits = to_bits(b);
  Wide out;
  for (unsigned i = 0; i < 256; ++i) {
    if (!b_bits[i]) continue;
    const Uint256 low_part = a << i;
    const Uint256 high_part = i == 0 ? Uint256() : a >> (256 - i);
    const Uint256 sum = out.low + low_part;
    out.high += high_part + Uint256(sum < low_part ? 1 : 0);
    out.low = sum;
  }
  return out;
}

TEST(Uint256, HexRoundTrip) {
  const std::string text = "0123456789abcdef00112233445566778899aabbccddeeff0f1e2d3c4b5a6978";
  EXPECT_EQ(hex(text.c_str()).to_hex(), text);
  EXPECT_EQ(hex("1").to_hex(), std::string(63, '0') + "1");
  EXPECT_EQ(hex("ABCdef").to_hex(), std::string(58, '0') + "abcdef");
  EXPECT_EQ(hex("123"), Uint256(0x123));
  EXPECT_EQ(Uint256().to_hex(), std::string(64, '0'));
  EXPECT_EQ(Uint256::max().to_hex(), std::string(64, 'f'));
  EXPECT_EQ(hex(std::string(64, 'f').c_str()), Uint256::max());
}

TEST(Uint256, FromHexErrors) {
  const Result<Uint256> empty = Uint256::from_hex("");
  EXPECT_EQ(empty.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(empty.status().message(), "uint256: expected 1 to 64 hex digits, got 0");

  const Result<Uint256> too_long = Uint256::from_hex(std::string(65, '1'));
  EXPECT_EQ(too_long.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(too_long.status().message(), "uint256: expected 1 to 64 hex digits, got 65");

  for (const char* bad : {"12g4", "0x12", " 1", "-1", "1 "}) {
    EXPECT_EQ(Uint256::from_hex(bad).status().code(), StatusCode::kMalformed) << bad;
  }
  // The position is the one in the caller's text, not in an internally padded copy.
  EXPECT_EQ(Uint256::from_hex("12g4").status().message(),
            "uint256: hex: invalid character 'g' at position 2");
  EXPECT_EQ(Uint256::from_hex("abc ").status().message(),
            "uint256: hex: invalid character byte 0x20 at position 3");
}

TEST(Uint256, LittleEndianBytesRoundTrip) {
  ByteArray<32> bytes;
  for (std::size_t i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(i + 1);
  const Uint256 v = Uint256::from_le_bytes(bytes);
  EXPECT_EQ(v.low64(), 0x0807060504030201u);
  EXPECT_EQ(v.limb(3), 0x201f1e1d1c1b1a19u);
  EXPECT_EQ(v.to_hex(), "201f1e1d1c1b1a191817161514131211100f0e0d0c0b0a090807060504030201");
  EXPECT_EQ(v.to_le_bytes(), bytes);
}

TEST(Uint256, Comparisons) {
  const Uint256 small(~std::uint64_t{0});
  const Uint256 big = pow2(64);
  EXPECT_LT(small, big);
  EXPECT_GT(pow2(255), pow2(254) + pow2(253));
  EXPECT_LT(hex("ffffffffffffffffffffffffffffffff"), hex("100000000000000000000000000000000"));
  EXPECT_EQ(Uint256(5) <=> Uint256(5), std::strong_ordering::equal);
  EXPECT_LE(Uint256(5), Uint256(5));
  EXPECT_NE(pow2(128), pow2(129));
  EXPECT_TRUE(Uint256().is_zero());
  EXPECT_FALSE(pow2(200).is_zero());
}

TEST(Uint256, AddCarriesAcrossLimbs) {
  EXPECT_EQ(Uint256(~std::uint64_t{0}) + Uint256(1), pow2(64));
  EXPECT_EQ((pow2(192) - Uint256(1)) + Uint256(1), pow2(192));
  EXPECT_EQ(hex("ffffffffffffffffffffffffffffffff") + Uint256(1), pow2(128));
  EXPECT_EQ(Uint256::max() + Uint256(1), Uint256());  // wraps modulo 2^256
  EXPECT_EQ(Uint256::max() + Uint256::max(), Uint256::max() - Uint256(1));
}

TEST(Uint256, SubBorrowsAcrossLimbs) {
  EXPECT_EQ(pow2(64) - Uint256(1), Uint256(~std::uint64_t{0}));
  EXPECT_EQ(pow2(255) - Uint256(1), top_digit_then('7', 'f'));
  EXPECT_EQ(Uint256() - Uint256(1), Uint256::max());  // wraps modulo 2^256
  EXPECT_EQ(Uint256(3) - Uint256(5), Uint256::max() - Uint256(1));
  EXPECT_EQ(~Uint256(), Uint256::max());
}

TEST(Uint256, AddSubRandomRoundTrip) {
  std::mt19937_64 rng(256);
  for (int i = 0; i < 1000; ++i) {
    const Uint256 a = random_value(rng);
    const Uint256 b = random_value(rng);
    EXPECT_EQ((a + b) - b, a);
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(Uint256::checked_add(a, b).has_value(), (a + b) >= a);
  }
}

TEST(Uint256, MultiplyBySmallFactorsMatchesRepeatedAddition) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 50; ++i) {
    const Uint256 x = i == 0 ? Uint256::max() : random_value(rng);
    Uint256 sum;
    for (std::uint64_t f = 0; f <= 40; ++f) {
      EXPECT_EQ(x * f, sum) << x.to_hex() << " * " << f;
      sum += x;
    }
  }
}

TEST(Uint256, MultiplyKnownValues) {
  const std::uint64_t m = ~std::uint64_t{0};
  EXPECT_EQ(Uint256(m) * m, hex("fffffffffffffffe0000000000000001"));
  EXPECT_EQ(hex("ffffffffffffffffffffffffffffffff") * m,
            hex("fffffffffffffffeffffffffffffffff0000000000000001"));
  EXPECT_EQ(pow2(200) * 256, pow2(208));
  EXPECT_EQ(pow2(255) * 2, Uint256());  // wraps modulo 2^256
  EXPECT_EQ(Uint256::max() * 2, Uint256::max() - Uint256(1));
}

TEST(Uint256, MultiplyMatchesShiftAndAdd) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 300; ++i) {
    const Uint256 x = random_value(rng);
    const std::uint64_t f = rng() >> (rng() % 64);
    const Wide exact = slow_mul(x, Uint256(f));
    EXPECT_EQ(x * f, exact.low);
    EXPECT_EQ(Uint256::checked_mul(x, f).has_value(), exact.high.is_zero());
  }
}

TEST(Uint256, CheckedAddAndMulDetectOverflow) {
  EXPECT_EQ(Uint256::checked_add(Uint256::max(), Uint256()), Uint256::max());
  EXPECT_FALSE(Uint256::checked_add(Uint256::max(), Uint256(1)).has_value());
  EXPECT_FALSE(Uint256::checked_add(pow2(255), pow2(255)).has_value());
  EXPECT_EQ(Uint256::checked_add(pow2(254), pow2(254)), pow2(255));

  EXPECT_EQ(Uint256::checked_mul(Uint256::max(), 1), Uint256::max());
  EXPECT_EQ(Uint256::checked_mul(Uint256::max(), 0), Uint256());
  EXPECT_FALSE(Uint256::checked_mul(Uint256::max(), 2).has_value());
  EXPECT_FALSE(Uint256::checked_mul(pow2(255), 2).has_value());
  EXPECT_EQ(Uint256::checked_mul(pow2(254), 2), pow2(255));
  EXPECT_FALSE(Uint256::checked_mul(pow2(193), ~std::uint64_t{0}).has_value());
  EXPECT_EQ(Uint256::checked_mul(pow2(192), ~std::uint64_t{0}),
            Uint256::max() - (pow2(192) - Uint256(1)));
}

TEST(Uint256, DivideAndModByU64) {
  EXPECT_EQ(pow2(128) / 2, pow2(127));
  EXPECT_EQ(Uint256::max() / ~std::uint64_t{0},
            hex("1000000000000000100000000000000010000000000000001"));
  EXPECT_EQ(Uint256::max().mod_u64(10), 5u);  // 2^256 - 1 ends in ...935
  EXPECT_EQ(Uint256(7) / 8, Uint256());

  std::mt19937_64 rng(0xd1f1de);
  for (int i = 0; i < 2000; ++i) {
    const Uint256 x = random_value(rng);
    const std::uint64_t d = (rng() >> (rng() % 64)) | 1;
    const Uint256 q = x / d;
    const std::uint64_t r = x.mod_u64(d);
    ASSERT_LT(r, d);
    const std::optional<Uint256> qd = Uint256::checked_mul(q, d);
    ASSERT_TRUE(qd.has_value());
    EXPECT_EQ(*qd + Uint256(r), x) << x.to_hex() << " / " << d;
    EXPECT_EQ(x / Uint256(d), q);
  }
}

TEST(Uint256, DivideByUint256KnownValues) {
  EXPECT_EQ(Uint256::max() / Uint256::max(), Uint256(1));
  EXPECT_EQ(Uint256::max() / pow2(255), Uint256(1));
  EXPECT_EQ(Uint256::max() / (pow2(255) + Uint256(1)), Uint256(1));
  EXPECT_EQ(pow2(255) / Uint256::max(), Uint256());
  EXPECT_EQ(Uint256::max() / pow2(128), pow2(128) - Uint256(1));
  EXPECT_EQ(Uint256::max() / Uint256(1), Uint256::max());
  EXPECT_EQ(Uint256() / Uint256(3), Uint256());
  EXPECT_EQ(pow2(200) / pow2(73), pow2(127));
}

TEST(Uint256, DivideByUint256Brackets) {
  std::mt19937_64 rng(0xb16d1f);
  for (int i = 0; i < 400; ++i) {
    const Uint256 x = i == 0 ? Uint256::max() : random_value(rng);
    Uint256 d = random_value(rng);
    if (d.is_zero()) d = Uint256(1);
    const Uint256 q = x / d;
    // q * d <= x < (q + 1) * d, with the product computed exactly in 512 bits.
    const Wide qd = slow_mul(q, d);
    ASSERT_TRUE(qd.high.is_zero()) << x.to_hex() << " / " << d.to_hex();
    ASSERT_LE(qd.low, x) << x.to_hex() << " / " << d.to_hex();
    EXPECT_LT(x - qd.low, d) << x.to_hex() << " / " << d.to_hex();
  }
}

TEST(Uint256, ShiftsMatchBitset) {
  std::mt19937_64 rng(0x5417);
  for (int i = 0; i < 50; ++i) {
    const Uint256 x = i == 0 ? Uint256::max() : random_value(rng);
    for (const unsigned s : {0u, 1u, 63u, 64u, 65u, 128u, 255u, 256u, 300u}) {
      EXPECT_EQ(to_bits(x << s), to_bits(x) << s) << x.to_hex() << " << " << s;
      EXPECT_EQ(to_bits(x >> s), to_bits(x) >> s) << x.to_hex() << " >> " << s;
    }
  }
  EXPECT_EQ(Uint256(1) << 255, top_digit_then('8', '0'));
  EXPECT_EQ(pow2(255) >> 255, Uint256(1));
  EXPECT_EQ(Uint256::max() << 256, Uint256());
  EXPECT_EQ(Uint256::max() >> 300, Uint256());
  EXPECT_EQ(Uint256(0x8000000000000001) << 1, pow2(64) + Uint256(2));
}

TEST(Uint256, BitLength) {
  EXPECT_EQ(Uint256().bit_length(), 0u);
  EXPECT_EQ(Uint256(1).bit_length(), 1u);
  EXPECT_EQ(Uint256::max().bit_length(), 256u);
  for (unsigned k = 0; k < 256; ++k) {
    EXPECT_EQ(pow2(k).bit_length(), k + 1);
    EXPECT_EQ((pow2(k) + (pow2(k) - Uint256(1))).bit_length(), k + 1);
  }
}

// Known answers from Bitcoin Core src/test/arith_uint256_tests.cpp (bignum_SetCompact).
TEST(Uint256, CompactZeroForms) {
  for (const std::uint32_t bits :
       {0x00000000u, 0x00123456u, 0x01003456u, 0x02000056u, 0x03000000u, 0x04000000u, 0x00923456u,
        0x01803456u, 0x02800056u, 0x03800000u, 0x04800000u}) {
    const CompactValue c = Uint256::from_compact(bits);
    EXPECT_TRUE(c.value.is_zero()) << std::hex << bits;
    EXPECT_FALSE(c.negative) << std::hex << bits;
    EXPECT_FALSE(c.overflow) << std::hex << bits;
    EXPECT_EQ(c.value.to_compact(), 0u);
  }
}

struct CompactCase {
  std::uint32_t bits;
  const char* value_hex;
  bool negative;
  std::uint32_t compact;  // to_compact(negative)
};

TEST(Uint256, CompactKnownAnswers) {
  const CompactCase cases[] = {
      {0x01123456, "12", false, 0x01120000},
      {0x01fedcba, "7e", true, 0x01fe0000},
      {0x02123456, "1234", false, 0x02123400},
      {0x03123456, "123456", false, 0x03123456},
      {0x04123456, "12345600", false, 0x04123456},
      {0x04923456, "12345600", true, 0x04923456},
      {0x05009234, "92340000", false, 0x05009234},
      {0x20123456, "1234560000000000000000000000000000000000000000000000000000000000", false,
       0x20123456},
      // Bitcoin's genesis block target.
      {0x1d00ffff, "00000000ffff0000000000000000000000000000000000000000000000000000", false,
       0x1d00ffff},
  };
  for (const CompactCase& c : cases) {
    const CompactValue got = Uint256::from_compact(c.bits);
    EXPECT_EQ(got.value, hex(c.value_hex)) << std::hex << c.bits;
    EXPECT_EQ(got.negative, c.negative) << std::hex << c.bits;
    EXPECT_FALSE(got.overflow) << std::hex << c.bits;
    EXPECT_EQ(got.value.to_compact(c.negative), c.compact) << std::hex << c.bits;
  }
  // A mantissa with its top bit set moves a byte into the exponent.
  EXPECT_EQ(Uint256(0x80).to_compact(), 0x02008000u);
  EXPECT_EQ(Uint256::max().to_compact(), 0x2100ffffu);
  // Negative only marks a non-zero mantissa.
  EXPECT_EQ(Uint256().to_compact(true), 0u);
}

TEST(Uint256, CompactOverflow) {
  EXPECT_TRUE(Uint256::from_compact(0xff123456).overflow);
  EXPECT_TRUE(Uint256::from_compact(0x23000001).overflow);
  EXPECT_TRUE(Uint256::from_compact(0x22000100).overflow);
  EXPECT_TRUE(Uint256::from_compact(0x21010000).overflow);
  // The largest values that still fit: 0xff << 248 and 0xffff << 240.
  const CompactValue top_byte = Uint256::from_compact(0x220000ff);
  EXPECT_FALSE(top_byte.overflow);
  EXPECT_EQ(top_byte.value, Uint256(0xff) << 248);
  const CompactValue top_two = Uint256::from_compact(0x2100ffff);
  EXPECT_FALSE(top_two.overflow);
  EXPECT_EQ(top_two.value, Uint256(0xffff) << 240);
  // A zero mantissa never overflows, whatever the exponent.
  EXPECT_FALSE(Uint256::from_compact(0xff000000).overflow);
}

TEST(Uint256, CompactRoundTripsItsOwnEncoding) {
  std::mt19937_64 rng(0xc0b);
  for (int i = 0; i < 1000; ++i) {
    const Uint256 x = random_value(rng);
    const std::uint32_t bits = x.to_compact();
    const CompactValue back = Uint256::from_compact(bits);
    EXPECT_FALSE(back.negative);
    EXPECT_FALSE(back.overflow);
    EXPECT_LE(back.value, x);
    EXPECT_EQ(back.value.to_compact(), bits) << x.to_hex();
  }
}

}  // namespace
}  // namespace qpow::util
