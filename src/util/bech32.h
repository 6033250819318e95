// Bech32 and Bech32m strings (BIP 173, BIP 350): a human-readable part, the separator '1', and
// 5-bit data symbols protected by a 6-symbol BCH checksum. qpow addresses use Bech32m; plain
// Bech32 is decoded too so that a string of the wrong variant is recognised and reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::util {

enum class Bech32Variant : std::uint8_t { kBech32, kBech32m };

// BIP 173's limit on the whole string.
inline constexpr std::size_t kBech32MaxLength = 90;

struct Bech32Decoded {
  Bech32Variant variant = Bech32Variant::kBech32m;
  std::string hrp;                 // lower case
  std::vector<std::uint8_t> data;  // 5-bit symbols, checksum removed
};

// Encodes 5-bit symbols under a human-readable part of 1..83 characters in 33..126. The result is
// lower case. Fails if the hrp or a symbol is out of range or the string would exceed max_length.
Result<std::string> bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data,
                                  Bech32Variant variant, std::size_t max_length = kBech32MaxLength);

// Decodes and checks a string of either variant (upper or lower case, never mixed).
Result<Bech32Decoded> bech32_decode(std::string_view text,
                                    std::size_t max_length = kBech32MaxLength);

// Regroups bits, most significant first: 8 -> 5 with pad = true to encode bytes, 5 -> 8 with
// pad = false to decode them (then a partial group must be under from_bits bits and all zero).
Result<Bytes> convert_bits(std::span<const std::uint8_t> in, int from_bits, int to_bits, bool pad);

}  // namespace qpow::util
