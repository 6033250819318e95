// Hexadecimal text <-> bytes. Decoding is strict: an odd number of digits or any character
// outside [0-9a-fA-F] (a "0x" prefix and whitespace included) is an error that names its position.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::util {

// Lower-case hex of the bytes, two digits per byte.
std::string to_hex(ByteSpan bytes);

// Bytes from hex text of any even length.
Result<Bytes> from_hex(std::string_view hex);

// Bytes from hex text that must decode to exactly out.size() bytes.
Status from_hex_exact(std::string_view hex, MutableByteSpan out);

// The value 0..15 of one hex digit (either case), or -1.
int hex_digit_value(char c);
// The error for a non-hex character at `position` of some hex text, e.g.
// "hex: invalid character 'g' at position 2".
Status invalid_hex_character(std::string_view text, std::size_t position);

}  // namespace qpow::util
