#include "util/hex.h"

#include <fmt/format.h>

namespace qpow::util {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

Status decode_into(std::string_view hex, std::uint8_t* out) {
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit_value(hex[i]);
    if (hi < 0) return invalid_hex_character(hex, i);
    const int lo = hex_digit_value(hex[i + 1]);
    if (lo < 0) return invalid_hex_character(hex, i + 1);
    out[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return Status::ok();
}

}  // namespace

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status invalid_hex_character(std::string_view text, std::size_t position) {
  const auto u = static_cast<unsigned char>(text[position]);
  const std::string shown = u >= 0x21 && u <= 0x7e ? fmt::format("'{}'", text[position])
                                                   : fmt::format("byte 0x{:02x}", u);
  return Status::malformed(
      fmt::format("hex: invalid character {} at position {}", shown, position));
}

std::string to_hex(ByteSpan bytes) {
  std::string text(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return text;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return Status::malformed(fmt::format("hex: odd number of digits ({})", hex.size()));
  }
  Bytes out(hex.size() / 2);
  QPOW_RETURN_IF_ERROR(decode_into(hex, out.data()));
  return out;
}

Status from_hex_exact(std::string_view hex, MutableByteSpan out) {
  if (hex.size() % 2 != 0) {
    return Status::malformed(fmt::format("hex: odd number of digits ({})", hex.size()));
  }
  if (hex.size() / 2 != out.size()) {
    return Status::malformed(fmt::format("hex: expected {} bytes ({} digits), got {} digits",
                                         out.size(), out.size() * 2, hex.size()));
  }
  return decode_into(hex, out.data());
}

}  // namespace qpow::util
