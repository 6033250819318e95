#include "util/uint256.h"

#include <bit>

#include <fmt/format.h>

#include "util/assert.h"
#include "util/hex.h"

namespace qpow::util {
namespace {

__extension__ using u128 = unsigned __int128;

}  // namespace

Uint256 Uint256::from_le_bytes(std::span<const std::uint8_t, 32> bytes) {
  Uint256 v;
  for (std::size_t i = 0; i < 4; ++i) v.limbs_[i] = load_le64(bytes.data() + 8 * i);
  return v;
}

ByteArray<32> Uint256::to_le_bytes() const {
  ByteArray<32> out;
  for (std::size_t i = 0; i < 4; ++i) store_le64(out.data() + 8 * i, limbs_[i]);
  return out;
}

Result<Uint256> Uint256::from_hex(std::string_view hex) {
  if (hex.empty() || hex.size() > 64) {
    return Status::malformed(
        fmt::format("uint256: expected 1 to 64 hex digits, got {}", hex.size()));
  }
  // Most significant digit first: shift the value up one digit at a time.
  Uint256 value;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const int digit = hex_digit_value(hex[i]);
    if (digit < 0) return invalid_hex_character(hex, i).with_context("uint256");
    value <<= 4;
    value.limbs_[0] |= static_cast<std::uint64_t>(digit);
  }
  return value;
}

std::string Uint256::to_hex() const {
  ByteArray<32> le = to_le_bytes();
  ByteArray<32> be;
  for (std::size_t i = 0; i < 32; ++i) be[i] = le[31 - i];
  return util::to_hex(be);
}

unsigned Uint256::bit_length() const {
  for (int i = 3; i >= 0; --i) {
    const std::uint64_t limb = limbs_[static_cast<std::size_t>(i)];
    if (limb != 0) return static_cast<unsigned>(64 * i + std::bit_width(limb));
  }
  return 0;
}

std::strong_ordering operator<=>(const Uint256& a, const Uint256& b) {
  for (int i = 3; i >= 0; --i) {
    const auto k = static_cast<std::size_t>(i);
    if (a.limbs_[k] != b.limbs_[k]) return a.limbs_[k] <=> b.limbs_[k];
  }
  return std::strong_ordering::equal;
}

Uint256 Uint256::operator~() const {
  Uint256 v;
  for (std::size_t i = 0; i < 4; ++i) v.limbs_[i] = ~limbs_[i];
  return v;
}

Uint256& Uint256::operator+=(const Uint256& other) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const u128 sum = static_cast<u128>(limbs_[i]) + other.limbs_[i] + carry;
    limbs_[i] = static_cast<std::uint64_t>(sum);
    carry = static_cast<std::uint64_t>(sum >> 64);
  }
  return *this;
}

Uint256& Uint256::operator-=(const Uint256& other) {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const u128 diff = static_cast<u128>(limbs_[i]) - other.limbs_[i] - borrow;
    limbs_[i] = static_cast<std::uint64_t>(diff);
    borrow = static_cast<std::uint64_t>(diff >> 64) & 1;
  }
  return *this;
}

Uint256& Uint256::operator*=(std::uint64_t factor) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const u128 product = static_cast<u128>(limbs_[i]) * factor + carry;
    limbs_[i] = static_cast<std::uint64_t>(product);
    carry = static_cast<std::uint64_t>(product >> 64);
  }
  return *this;
}

Uint256& Uint256::operator<<=(unsigned shift) {
  if (shift >= 256) return *this = Uint256();
  const unsigned limb_shift = shift / 64;
  const unsigned bit_shift = shift % 64;
  std::array<std::uint64_t, 4> out{};
  for (unsigned i = limb_shift; i < 4; ++i) {
    const unsigned src = i - limb_shift;
    out[i] = limbs_[src] << bit_shift;
    if (bit_shift != 0 && src > 0) out[i] |= limbs_[src - 1] >> (64 - bit_shift);
  }
  limbs_ = out;
  return *this;
}

Uint256& Uint256::operator>>=(unsigned shift) {
  if (shift >= 256) return *this = Uint256();
  const unsigned limb_shift = shift / 64;
  const unsigned bit_shift = shift % 64;
  std::array<std::uint64_t, 4> out{};
  for (unsigned i = 0; i + limb_shift < 4; ++i) {
    const unsigned src = i + limb_shift;
    out[i] = limbs_[src] >> bit_shift;
    if (bit_shift != 0 && src < 3) out[i] |= limbs_[src + 1] << (64 - bit_shift);
  }
  limbs_ = out;
  return *this;
}

std::uint64_t Uint256::mod_u64(std::uint64_t divisor) const {
  QPOW_ASSERT_MSG(divisor != 0, "division by zero");
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    rem = ((rem << 64) | limbs_[static_cast<std::size_t>(i)]) % divisor;
  }
  return static_cast<std::uint64_t>(rem);
}

Uint256& Uint256::operator/=(std::uint64_t divisor) {
  QPOW_ASSERT_MSG(divisor != 0, "division by zero");
  u128 rem = 0;
  for (int i = 3; i >= 0; --i) {
    const auto k = static_cast<std::size_t>(i);
    const u128 cur = (rem << 64) | limbs_[k];
    limbs_[k] = static_cast<std::uint64_t>(cur / divisor);
    rem = cur % divisor;
  }
  return *this;
}

Uint256& Uint256::operator/=(const Uint256& divisor) {
  QPOW_ASSERT_MSG(!divisor.is_zero(), "division by zero");
  // Binary long division: bring down one bit of the dividend at a time.
  Uint256 quotient;
  Uint256 remainder;
  for (int bit = static_cast<int>(bit_length()) - 1; bit >= 0; --bit) {
    remainder <<= 1;
    const auto b = static_cast<unsigned>(bit);
    remainder.limbs_[0] |= (limbs_[b / 64] >> (b % 64)) & 1;
    if (remainder >= divisor) {
      remainder -= divisor;
      quotient.limbs_[b / 64] |= std::uint64_t{1} << (b % 64);
    }
  }
  return *this = quotient;
}

std::optional<Uint256> Uint256::checked_add(const Uint256& a, const Uint256& b) {
  Uint256 sum = a + b;
  if (sum < a) return std::nullopt;
  return sum;
}

std::optional<Uint256> Uint256::checked_mul(const Uint256& a, std::uint64_t b) {
  std::uint64_t carry = 0;
  Uint256 product;
  for (std::size_t i = 0; i < 4; ++i) {
    const u128 p = static_cast<u128>(a.limbs_[i]) * b + carry;
    product.limbs_[i] = static_cast<std::uint64_t>(p);
    carry = static_cast<std::uint64_t>(p >> 64);
  }
  if (carry != 0) return std::nullopt;
  return product;
}

CompactValue Uint256::from_compact(std::uint32_t bits) {
  // Layout (Bitcoin's nBits): size = bits >> 24 bytes; mantissa = the low 23 bits; bit 23 is
  // the sign. value = mantissa * 256^(size - 3).
  const unsigned size = bits >> 24;
  std::uint32_t word = bits & 0x007f'ffff;
  CompactValue out;
  if (size <= 3) {
    word >>= 8 * (3 - size);
    out.value = Uint256(word);
  } else {
    out.value = Uint256(word);
    out.value <<= 8 * (size - 3);
  }
  out.negative = word != 0 && (bits & 0x0080'0000) != 0;
  out.overflow =
      word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return out;
}

std::uint32_t Uint256::to_compact(bool negative) const {
  unsigned size = (bit_length() + 7) / 8;
  std::uint32_t compact = 0;
  if (size <= 3) {
    compact = static_cast<std::uint32_t>(low64() << (8 * (3 - size)));
  } else {
    compact = static_cast<std::uint32_t>((*this >> (8 * (size - 3))).low64());
  }
  // The mantissa is signed: if its top bit would be set, move one byte into the exponent.
  if ((compact & 0x0080'0000) != 0) {
    compact >>= 8;
    ++size;
  }
  QPOW_ASSERT((compact & ~std::uint32_t{0x007f'ffff}) == 0);
  QPOW_ASSERT(size < 256);
  compact |= static_cast<std::uint32_t>(size) << 24;
  if (negative && (compact & 0x007f'ffff) != 0) compact |= 0x0080'0000;
  return compact;
}

}  // namespace qpow::util
