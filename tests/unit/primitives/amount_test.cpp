// parse_amount / format_amount: 8 decimals, integer arithmetic only, every malformed shape
// rejected with a message naming the problem, the u64 limit at the bound and one past it, and the
// round trip format -> parse on edge values and a seeded random sample.
#include "primitives/amount.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace qpow::primitives {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::uint64_t parsed(std::string_view text) {
  const util::Result<std::uint64_t> r = parse_amount(text);
  EXPECT_TRUE(r.is_ok()) << "'" << text << "': " << r.status().to_string();
  return r.is_ok() ? *r : 0;
}

void expect_rejected(std::string_view text, std::string_view fragment) {
  const util::Result<std::uint64_t> r = parse_amount(text);
  ASSERT_FALSE(r.is_ok()) << "'" << text << "' parsed as " << *r;
  EXPECT_NE(r.status().message().find(fragment), std::string::npos)
      << "'" << text << "': " << r.status().message();
  EXPECT_EQ(r.status().message().rfind("amount: ", 0), 0u) << r.status().message();
}

TEST(Amount, ConstantsAgree) {
  std::uint64_t scale = 1;
  for (unsigned i = 0; i < kAmountDecimals; ++i) scale *= 10;
  EXPECT_EQ(kCoin, scale);
  EXPECT_EQ(kCoin, 100'000'000u);
}

TEST(Amount, ParsesWholeAndFractionalAmounts) {
  EXPECT_EQ(parsed("0"), 0u);
  EXPECT_EQ(parsed("1"), kCoin);
  EXPECT_EQ(parsed("12"), 12 * kCoin);
  EXPECT_EQ(parsed("12.5"), 12 * kCoin + kCoin / 2);
  EXPECT_EQ(parsed("0.00000001"), 1u);
  EXPECT_EQ(parsed("0.1"), 10'000'000u);
  EXPECT_EQ(parsed("0.12345678"), 12'345'678u);
  EXPECT_EQ(parsed("1.10"), 110'000'000u);
  EXPECT_EQ(parsed("0.0"), 0u);
  EXPECT_EQ(parsed("0.00000000"), 0u);
  EXPECT_EQ(parsed("007"), 7 * kCoin);
  EXPECT_EQ(parsed("21000000"), 21'000'000 * kCoin);
}

TEST(Amount, LargestAmountAndOnePastIt) {
  EXPECT_EQ(parsed("184467440737.09551615"), kMax);
  EXPECT_EQ(parsed("184467440737.09551614"), kMax - 1);
  EXPECT_EQ(parsed("184467440737"), 184467440737u * kCoin);
  expect_rejected("184467440737.09551616", "larger than the largest amount 184467440737.09551615");
  expect_rejected("184467440737.1", "larger than the largest amount");
  expect_rejected("184467440738", "larger than the largest amount");
  expect_rejected("18446744073709551615", "larger than the largest amount");
  expect_rejected("18446744073709551616", "larger than the largest amount");
  expect_rejected("99999999999999999999", "larger than the largest amount");
}

TEST(Amount, DecimalPlacesAtTheLimitAndOnePast) {
  EXPECT_EQ(parsed("1.00000001"), kCoin + 1);
  expect_rejected("1.000000001", "9 digits after '.', at most 8");
  expect_rejected("0.000000000", "9 digits after '.', at most 8");
  expect_rejected("0.123456789012", "12 digits after '.'");
}

TEST(Amount, TextLengthAtTheLimitAndOnePast) {
  const std::string at_limit = std::string(kAmountTextMaxChars - 2, '0') + ".5";
  EXPECT_EQ(at_limit.size(), kAmountTextMaxChars);
  EXPECT_EQ(parsed(at_limit), kCoin / 2);
  expect_rejected("0" + at_limit, "33 characters, at most 32");
}

TEST(Amount, RejectsEmptyParts) {
  expect_rejected("", "empty");
  expect_rejected(".", "no digits before '.'");
  expect_rejected(".5", "no digits before '.'");
  expect_rejected("1.", "no digits after '.'");
}

TEST(Amount, RejectsSignsExponentsSpacesAndOtherCharacters) {
  expect_rejected("+1", "'+' at position 0 is not a digit");
  expect_rejected("-1", "'-' at position 0 is not a digit");
  expect_rejected("-0", "'-' at position 0");
  expect_rejected("1.-5", "'-' at position 2");
  expect_rejected("1e8", "'e' at position 1");
  expect_rejected("1E8", "'E' at position 1");
  expect_rejected("1.5e3", "'e' at position 3");
  expect_rejected(" 1", "byte 0x20 at position 0");
  expect_rejected("1 ", "byte 0x20 at position 1");
  expect_rejected("1\t", "byte 0x09 at position 1");
  expect_rejected("1,5", "',' at position 1");
  expect_rejected("1..5", "'.' at position 2");
  expect_rejected("1.2.3", "'.' at position 3");
  expect_rejected("0x10", "'x' at position 1");
  expect_rejected("inf", "'i' at position 0");
  expect_rejected("nan", "'n' at position 0");
  expect_rejected(std::string_view("1\0", 2), "byte 0x00 at position 1");
  // Another '.' or a letter among more than 8 decimals is named before the count.
  expect_rejected("1.123456789.", "'.' at position 11");
}

TEST(Amount, RejectsNonAsciiDigits) {
  expect_rejected("\xd9\xa3", "byte 0xd9 at position 0");        // ARABIC-INDIC DIGIT THREE
  expect_rejected("1\xef\xbc\x91", "byte 0xef at position 1");   // FULLWIDTH DIGIT ONE
  expect_rejected("1.\xe0\xa5\xa7", "byte 0xe0 at position 2");  // DEVANAGARI DIGIT ONE
  expect_rejected("\xc2\xb2", "byte 0xc2 at position 0");        // SUPERSCRIPT TWO
}

TEST(Amount, FormatIsCanonical) {
  EXPECT_EQ(format_amount(0), "0");
  EXPECT_EQ(format_amount(1), "0.00000001");
  EXPECT_EQ(format_amount(10), "0.0000001");
  EXPECT_EQ(format_amount(kCoin), "1");
  EXPECT_EQ(format_amount(kCoin / 2), "0.5");
  EXPECT_EQ(format_amount(12 * kCoin + kCoin / 2), "12.5");
  EXPECT_EQ(format_amount(kCoin + 1), "1.00000001");
  EXPECT_EQ(format_amount(110'000'000), "1.1");
  EXPECT_EQ(format_amount(12'345'678), "0.12345678");
  EXPECT_EQ(format_amount(kMax), "184467440737.09551615");
  EXPECT_EQ(format_amount(kMax - kMax % kCoin), "184467440737");
}

TEST(Amount, RoundTripsEdgeValuesAndASeededSample) {
  std::vector<std::uint64_t> values = {0,          1,         9,        10,
                                       99'999'999, kCoin - 1, kCoin,    kCoin + 1,
                                       kMax,       kMax - 1,  kMax / 2, kMax - kMax % kCoin};
  std::mt19937_64 rng(20240611);
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t v = rng();
    values.push_back(v);
    values.push_back(v >> (v % 64));  // small values, with zeros in the fraction
    values.push_back((v % 1000) * kCoin / 1000);
  }
  for (const std::uint64_t v : values) {
    const std::string text = format_amount(v);
    EXPECT_EQ(parsed(text), v) << text;
    // Canonical: a trailing zero after the point or a bare point never appears.
    if (text.find('.') != std::string::npos) {
      EXPECT_NE(text.back(), '0') << text;
    }
  }
}

}  // namespace
}  // namespace qpow::primitives
