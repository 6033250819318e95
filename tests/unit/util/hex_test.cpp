// Hex text <-> bytes: lower-case output, strict input whose errors name what and where.
#include "util/hex.h"

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "support/test_bytes.h"
#include "util/bytes.h"

namespace qpow::util {
namespace {

TEST(Hex, EncodesLowerCase) {
  const Bytes bytes = {0x00, 0x01, 0xab, 0xcd, 0xef, 0xff, 0x10};
  EXPECT_EQ(to_hex(bytes), "0001abcdefff10");
}

TEST(Hex, EncodesEveryByteValue) {
  Bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  const std::string text = to_hex(all);
  ASSERT_EQ(text.size(), 512u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string expected = {"0123456789abcdef"[i >> 4], "0123456789abcdef"[i & 15]};
    EXPECT_EQ(text.substr(2 * i, 2), expected) << "byte " << i;
  }
  const Result<Bytes> back = from_hex(text);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, all);
}

TEST(Hex, RoundTripsRandomBytes) {
  std::mt19937_64 rng(0x6865'7821);
  for (std::size_t n = 0; n < 70; ++n) {
    const Bytes bytes = test::random_bytes(rng, n);
    const std::string text = to_hex(bytes);
    EXPECT_EQ(text.size(), 2 * n);
    const Result<Bytes> back = from_hex(text);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Hex, AcceptsUpperAndMixedCase) {
  const Bytes expected = {0xab, 0xcd, 0xef, 0x09};
  for (const char* text : {"ABCDEF09", "abcdef09", "AbCdEf09"}) {
    const Result<Bytes> bytes = from_hex(text);
    ASSERT_TRUE(bytes.is_ok()) << text << ": " << bytes.status().to_string();
    EXPECT_EQ(*bytes, expected) << text;
  }
}

TEST(Hex, EmptyStringIsEmptyBytes) {
  EXPECT_EQ(to_hex(Bytes{}), "");
  const Result<Bytes> bytes = from_hex("");
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_TRUE(bytes->empty());
}

TEST(Hex, OddLengthRejectedNamingTheDigitCount) {
  const Result<Bytes> bytes = from_hex("abc");
  ASSERT_FALSE(bytes.is_ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(bytes.status().message(), "hex: odd number of digits (3)");
  EXPECT_EQ(from_hex("0").status().message(), "hex: odd number of digits (1)");
}

TEST(Hex, InvalidCharacterRejectedNamingThePosition) {
  const Result<Bytes> bytes = from_hex("00ag01");
  ASSERT_FALSE(bytes.is_ok());
  EXPECT_EQ(bytes.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(bytes.status().message(), "hex: invalid character 'g' at position 3");
}

TEST(Hex, InvalidCharacterAtEveryPosition) {
  for (std::size_t pos = 0; pos < 8; ++pos) {
    std::string text = "0123abcd";
    text[pos] = 'z';
    const Result<Bytes> bytes = from_hex(text);
    ASSERT_FALSE(bytes.is_ok()) << text;
    EXPECT_NE(bytes.status().message().find("position " + std::to_string(pos)), std::string::npos)
        << bytes.status().message();
  }
}

TEST(Hex, NonPrintableCharacterShownAsByte) {
  const std::string text("0\x01", 2);
  const Result<Bytes> bytes = from_hex(text);
  ASSERT_FALSE(bytes.is_ok());
  EXPECT_EQ(bytes.status().message(), "hex: invalid character byte 0x01 at position 1");
}

TEST(Hex, PrefixAndWhitespaceRejected) {
  for (const char* text : {"0x00", "0X00", " 00 ", "00 11", "00\n1", "\t0", "+0", "-1", "00,1"}) {
    const Result<Bytes> bytes = from_hex(text);
    EXPECT_FALSE(bytes.is_ok()) << "accepted \"" << text << "\"";
  }
  EXPECT_EQ(from_hex("0x00").status().message(), "hex: invalid character 'x' at position 1");
  EXPECT_EQ(from_hex("00 1").status().message(), "hex: invalid character byte 0x20 at position 2");
}

TEST(Hex, FromHexExactDecodesIntoBuffer) {
  std::array<std::uint8_t, 4> out{};
  ASSERT_TRUE(from_hex_exact("DEADbeef", out).is_ok());
  EXPECT_EQ(out, (std::array<std::uint8_t, 4>{0xde, 0xad, 0xbe, 0xef}));

  std::array<std::uint8_t, 0> none{};
  EXPECT_TRUE(from_hex_exact("", none).is_ok());
}

TEST(Hex, FromHexExactRejectsLengthMismatch) {
  std::array<std::uint8_t, 4> out{};
  const Status short_input = from_hex_exact("deadbe", out);
  EXPECT_EQ(short_input.code(), StatusCode::kMalformed);
  EXPECT_EQ(short_input.message(), "hex: expected 4 bytes (8 digits), got 6 digits");

  const Status long_input = from_hex_exact("deadbeef00", out);
  EXPECT_EQ(long_input.code(), StatusCode::kMalformed);
  EXPECT_EQ(long_input.message(), "hex: expected 4 bytes (8 digits), got 10 digits");

  EXPECT_EQ(from_hex_exact("deadbee", out).message(), "hex: odd number of digits (7)");
  EXPECT_EQ(from_hex_exact("deadbeeg", out).message(), "hex: invalid character 'g' at position 7");
}

}  // namespace
}  // namespace qpow::util
