#include "primitives/amount.h"

#include <limits>

#include <fmt/format.h>

namespace qpow::primitives {
namespace {

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// A printable description of one character for an error message; bytes outside printable ASCII
// (a UTF-8 lead byte of a non-ASCII digit, a control character) print as hex.
std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

// Every character of digits is an ASCII digit; offset is where digits starts in the amount text.
util::Status check_digits(std::string_view digits, std::size_t offset) {
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (!is_ascii_digit(digits[i])) {
      return util::Status::malformed(
          fmt::format("amount: {} at position {} is not a digit", describe(digits[i]), offset + i));
    }
  }
  return util::Status::ok();
}

// value * 10 + digit, or an error when that passes UINT64_MAX.
util::Status append_digit(std::uint64_t digit, std::uint64_t* value) {
  if (*value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
    return util::Status::out_of_range("amount: larger than the largest amount " +
                                      format_amount(std::numeric_limits<std::uint64_t>::max()));
  }
  *value = *value * 10 + digit;
  return util::Status::ok();
}

}  // namespace

util::Result<std::uint64_t> parse_amount(std::string_view text) {
  if (text.empty()) return util::Status::malformed("amount: empty");
  if (text.size() > kAmountTextMaxChars) {
    return util::Status::out_of_range(
        fmt::format("amount: {} characters, at most {}", text.size(), kAmountTextMaxChars));
  }
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (whole.empty()) return util::Status::malformed("amount: no digits before '.'");
  if (point != std::string_view::npos && fraction.empty()) {
    return util::Status::malformed("amount: no digits after '.'");
  }

  QPOW_RETURN_IF_ERROR(check_digits(whole, 0));
  QPOW_RETURN_IF_ERROR(check_digits(fraction, point + 1));
  if (fraction.size() > kAmountDecimals) {
    return util::Status::out_of_range(
        fmt::format("amount: {} digits after '.', at most {}", fraction.size(), kAmountDecimals));
  }
  // The value is the digits of whole and fraction read as one integer, with the fraction padded
  // to 8 digits: exact at every step, and overflow is caught at the digit that causes it.
  std::uint64_t units = 0;
  for (const char c : whole) {
    QPOW_RETURN_IF_ERROR(append_digit(static_cast<std::uint64_t>(c - '0'), &units));
  }
  for (const char c : fraction) {
    QPOW_RETURN_IF_ERROR(append_digit(static_cast<std::uint64_t>(c - '0'), &units));
  }
  for (std::size_t i = fraction.size(); i < kAmountDecimals; ++i) {
    QPOW_RETURN_IF_ERROR(append_digit(0, &units));
  }
  return units;
}

std::string format_amount(std::uint64_t base_units) {
  const std::uint64_t whole = base_units / kCoin;
  std::uint64_t fraction = base_units % kCoin;
  if (fraction == 0) return fmt::format("{}", whole);
  unsigned digits = kAmountDecimals;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  return fmt::format("{}.{:0{}}", whole, fraction, digits);
}

}  // namespace qpow::primitives
