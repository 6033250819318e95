// Uint256: a 256-bit unsigned integer for proof-of-work targets and chain work. Arithmetic is
// modulo 2^256 (like the built-in unsigned types) unless a function says it checks overflow.
// Bytes are little-endian (least significant byte first), the way a hash is read as a number;
// hex text is big-endian numeric, most significant digit first, as people write numbers.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::util {

struct CompactValue;

class Uint256 {
 public:
  constexpr Uint256() = default;
  constexpr explicit Uint256(std::uint64_t v) : limbs_{v, 0, 0, 0} {}

  static Uint256 from_le_bytes(std::span<const std::uint8_t, 32> bytes);
  ByteArray<32> to_le_bytes() const;
  // 1 to 64 hex digits, most significant first; no prefix, no sign.
  static Result<Uint256> from_hex(std::string_view hex);
  // Exactly 64 lower-case hex digits, most significant first.
  std::string to_hex() const;

  // 2^256 - 1.
  static constexpr Uint256 max() {
    Uint256 v;
    for (auto& limb : v.limbs_) limb = ~std::uint64_t{0};
    return v;
  }

  bool is_zero() const { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  std::uint64_t low64() const { return limbs_[0]; }
  // Limb i (0 = least significant) of four 64-bit limbs.
  std::uint64_t limb(int i) const { return limbs_[static_cast<std::size_t>(i)]; }
  // Position of the highest set bit plus one; 0 for zero.
  unsigned bit_length() const;

  friend bool operator==(const Uint256&, const Uint256&) = default;
  friend std::strong_ordering operator<=>(const Uint256& a, const Uint256& b);

  Uint256 operator~() const;
  Uint256& operator+=(const Uint256& other);
  Uint256& operator-=(const Uint256& other);
  Uint256& operator*=(std::uint64_t factor);
  // Shifts by 256 or more give zero.
  Uint256& operator<<=(unsigned shift);
  Uint256& operator>>=(unsigned shift);
  // Division by zero is a bug (asserted).
  Uint256& operator/=(std::uint64_t divisor);
  Uint256& operator/=(const Uint256& divisor);

  friend Uint256 operator+(Uint256 a, const Uint256& b) { return a += b; }
  friend Uint256 operator-(Uint256 a, const Uint256& b) { return a -= b; }
  friend Uint256 operator*(Uint256 a, std::uint64_t b) { return a *= b; }
  friend Uint256 operator<<(Uint256 a, unsigned s) { return a <<= s; }
  friend Uint256 operator>>(Uint256 a, unsigned s) { return a >>= s; }
  friend Uint256 operator/(Uint256 a, std::uint64_t b) { return a /= b; }
  friend Uint256 operator/(Uint256 a, const Uint256& b) { return a /= b; }

  // Remainder of division by a non-zero 64-bit divisor.
  std::uint64_t mod_u64(std::uint64_t divisor) const;

  // a + b and a * b, or nothing when the exact result needs more than 256 bits.
  static std::optional<Uint256> checked_add(const Uint256& a, const Uint256& b);
  static std::optional<Uint256> checked_mul(const Uint256& a, std::uint64_t b);

  // Bitcoin's compact "bits" form: an exponent byte and a 23-bit mantissa with a sign bit.
  // Decoding never fails; like Bitcoin it reports a set sign bit (negative) and a value that does
  // not fit in 256 bits (overflow), and the caller decides whether those are acceptable.
  static CompactValue from_compact(std::uint32_t bits);
  // The shortest compact form of this value (precision beyond 3 bytes is dropped).
  std::uint32_t to_compact(bool negative = false) const;

 private:
  std::array<std::uint64_t, 4> limbs_{};  // little-endian limbs
};

struct CompactValue {
  Uint256 value;
  bool negative = false;
  bool overflow = false;
};

}  // namespace qpow::util
