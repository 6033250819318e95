// Amounts of the coin. Balances, transfers and fees are u64 counts of base units; one QPOW is
// 10^8 base units (8 decimals), so the largest amount is 184467440737.09551615 QPOW.
//
// Text is plain decimal: digits, optionally one '.' and 1 to 8 digits after it ("12", "12.5",
// "0.00000001"). Parsing works on the characters alone, with integer arithmetic and an explicit
// overflow check; no floating point, locale or std::stoull is involved, so every input has exactly
// one meaning on every host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace qpow::primitives {

inline constexpr unsigned kAmountDecimals = 8;
inline constexpr std::uint64_t kCoin = 100'000'000;  // base units per QPOW, 10^kAmountDecimals
// Longest accepted amount text. The largest amount needs 21 characters; the rest leaves room for
// leading zeros without letting a caller hand the parser unbounded input.
inline constexpr std::size_t kAmountTextMaxChars = 32;

// Base units from text in QPOW. Rejects: empty text, a missing digit on either side of '.'
// ("." "1." ".5"), more than kAmountDecimals digits after '.', any sign, exponent, space or other
// character (non-ASCII digits included), more than one '.', text longer than kAmountTextMaxChars,
// and amounts above UINT64_MAX base units. Leading zeros are accepted ("007" is 7 QPOW).
util::Result<std::uint64_t> parse_amount(std::string_view text);

// The canonical text of an amount: no leading zeros, no trailing zeros after the point, no point
// for whole amounts, "0" for zero. parse_amount(format_amount(x)) == x for every x.
std::string format_amount(std::uint64_t base_units);

}  // namespace qpow::primitives
