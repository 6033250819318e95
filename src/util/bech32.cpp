#include "util/bech32.h"

#include <array>

#include <fmt/format.h>

namespace qpow::util {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::size_t kChecksumSymbols = 6;
constexpr std::size_t kHrpMaxLength = 83;
// The checksum constants of BIP 173 (Bech32) and BIP 350 (Bech32m).
constexpr std::uint32_t kBech32Const = 1;
constexpr std::uint32_t kBech32mConst = 0x2bc8'30a3;

std::uint32_t checksum_const(Bech32Variant variant) {
  return variant == Bech32Variant::kBech32 ? kBech32Const : kBech32mConst;
}

// The BCH code's generator as in BIP 173: remainder of the symbol polynomial.
std::uint32_t polymod(std::span<const std::uint8_t> values) {
  constexpr std::array<std::uint32_t, 5> kGen = {0x3b6a'57b2, 0x2650'8e6d, 0x1ea1'19fa, 0x3d42'33dd,
                                                 0x2a14'62b3};
  std::uint32_t chk = 1;
  for (const std::uint8_t v : values) {
    const std::uint32_t top = chk >> 25;
    chk = ((chk & 0x01ff'ffff) << 5) ^ v;
    for (std::size_t i = 0; i < 5; ++i) {
      if (((top >> i) & 1) != 0) chk ^= kGen[i];
    }
  }
  return chk;
}

std::vector<std::uint8_t> hrp_expand(std::string_view hrp) {
  std::vector<std::uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (const char c : hrp) out.push_back(static_cast<std::uint8_t>(c) >> 5);
  out.push_back(0);
  for (const char c : hrp) out.push_back(static_cast<std::uint8_t>(c) & 31);
  return out;
}

int charset_index(char c) {
  const std::size_t pos = kCharset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

Status check_hrp(std::string_view hrp) {
  if (hrp.empty() || hrp.size() > kHrpMaxLength) {
    return Status::malformed(
        fmt::format("bech32: human-readable part must be 1 to {} characters, got {}", kHrpMaxLength,
                    hrp.size()));
  }
  for (std::size_t i = 0; i < hrp.size(); ++i) {
    const auto c = static_cast<unsigned char>(hrp[i]);
    if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
      return Status::malformed(
          fmt::format("bech32: human-readable part character 0x{:02x} at position {} is not "
                      "lower-case printable ASCII",
                      c, i));
    }
  }
  return Status::ok();
}

// Case rules of BIP 173: every character in 33..126, and not both upper and lower case.
Result<std::string> lower_checked(std::string_view text) {
  bool has_lower = false;
  bool has_upper = false;
  std::string lower(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 33 || c > 126) {
      return Status::malformed(
          fmt::format("bech32: character 0x{:02x} at position {} is out of range", c, i));
    }
    if (c >= 'a' && c <= 'z') has_lower = true;
    if (c >= 'A' && c <= 'Z') {
      has_upper = true;
      lower[i] = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (has_lower && has_upper) return Status::malformed("bech32: mixed upper and lower case");
  return lower;
}

}  // namespace

Result<std::string> bech32_encode(std::string_view hrp, std::span<const std::uint8_t> data,
                                  Bech32Variant variant, std::size_t max_length) {
  QPOW_RETURN_IF_ERROR(check_hrp(hrp));
  const std::size_t length = hrp.size() + 1 + data.size() + kChecksumSymbols;
  if (length > max_length) {
    return Status::out_of_range(fmt::format(
        "bech32: encoding would be {} characters, over the limit of {}", length, max_length));
  }
  std::vector<std::uint8_t> values = hrp_expand(hrp);
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] > 31) {
      return Status::invalid_argument(
          fmt::format("bech32: data symbol {} at index {} is not 5-bit", data[i], i));
    }
    values.push_back(data[i]);
  }
  values.insert(values.end(), kChecksumSymbols, 0);
  const std::uint32_t mod = polymod(values) ^ checksum_const(variant);

  std::string out(hrp);
  out += '1';
  for (const std::uint8_t d : data) out += kCharset[d];
  for (std::size_t i = 0; i < kChecksumSymbols; ++i) {
    out += kCharset[(mod >> (5 * (5 - i))) & 31];
  }
  return out;
}

Result<Bech32Decoded> bech32_decode(std::string_view text, std::size_t max_length) {
  if (text.size() > max_length) {
    return Status::out_of_range(
        fmt::format("bech32: {} characters, over the limit of {}", text.size(), max_length));
  }
  QPOW_ASSIGN_OR_RETURN(const std::string lower, lower_checked(text));
  const std::size_t sep = lower.rfind('1');
  if (sep == std::string::npos) return Status::malformed("bech32: no separator '1'");
  if (sep == 0) return Status::malformed("bech32: empty human-readable part");
  if (lower.size() - sep - 1 < kChecksumSymbols) {
    return Status::malformed(fmt::format("bech32: checksum needs {} symbols, have {}",
                                         kChecksumSymbols, lower.size() - sep - 1));
  }
  Bech32Decoded out;
  out.hrp = lower.substr(0, sep);
  QPOW_RETURN_IF_ERROR(check_hrp(out.hrp));

  std::vector<std::uint8_t> values = hrp_expand(out.hrp);
  for (std::size_t i = sep + 1; i < lower.size(); ++i) {
    const int v = charset_index(lower[i]);
    if (v < 0) {
      return Status::malformed(
          fmt::format("bech32: invalid data character '{}' at position {}", lower[i], i));
    }
    values.push_back(static_cast<std::uint8_t>(v));
  }
  const std::uint32_t mod = polymod(values);
  if (mod == kBech32Const) {
    out.variant = Bech32Variant::kBech32;
  } else if (mod == kBech32mConst) {
    out.variant = Bech32Variant::kBech32m;
  } else {
    return Status::malformed("bech32: checksum mismatch");
  }
  const std::size_t hrp_values = out.hrp.size() * 2 + 1;
  out.data.assign(values.begin() + static_cast<std::ptrdiff_t>(hrp_values),
                  values.end() - static_cast<std::ptrdiff_t>(kChecksumSymbols));
  return out;
}

Result<Bytes> convert_bits(std::span<const std::uint8_t> in, int from_bits, int to_bits, bool pad) {
  QPOW_ASSERT(from_bits > 0 && from_bits <= 8 && to_bits > 0 && to_bits <= 8);
  const std::uint32_t max_out = (1u << to_bits) - 1;
  const std::uint32_t max_acc = (1u << (from_bits + to_bits - 1)) - 1;
  std::uint32_t acc = 0;
  int bits = 0;
  Bytes out;
  out.reserve(in.size() * static_cast<std::size_t>(from_bits) / static_cast<std::size_t>(to_bits) +
              1);
  for (std::size_t i = 0; i < in.size(); ++i) {
    if ((in[i] >> from_bits) != 0) {
      return Status::malformed(
          fmt::format("convert_bits: value {} at index {} exceeds {} bits", in[i], i, from_bits));
    }
    acc = ((acc << from_bits) | in[i]) & max_acc;
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & max_out));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (to_bits - bits)) & max_out));
  } else if (bits >= from_bits) {
    return Status::malformed(
        fmt::format("convert_bits: {} bits of padding, more than {}", bits, from_bits - 1));
  } else if (((acc << (to_bits - bits)) & max_out) != 0) {
    return Status::malformed("convert_bits: non-zero padding bits");
  }
  return out;
}

}  // namespace qpow::util
