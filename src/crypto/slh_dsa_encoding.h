// Internal: the integer and base-2^b conversions of FIPS 205 §4.4 (Algorithms 2-4).
#pragma once

#include <cstddef>
#include <cstdint>

namespace qpow::crypto::slhdsa::internal {

// Algorithm 2, toInt(X, n): the big-endian integer of n <= 8 bytes.
inline std::uint64_t to_int(const std::uint8_t* x, std::size_t n) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) total = (total << 8) | x[i];
  return total;
}

// Algorithm 3, toByte(x, n): x as n big-endian bytes (bytes beyond 8 are zero).
inline void to_byte(std::uint64_t x, std::uint8_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t shift = 8 * (n - 1 - i);
    out[i] = shift < 64 ? static_cast<std::uint8_t>(x >> shift) : 0;
  }
}

// Algorithm 4, base_2b(X, b, out_len): out_len integers of b bits (b <= 16) read from X
// most-significant bit first. X must hold at least ceil(out_len * b / 8) bytes.
inline void base_2b(const std::uint8_t* x, unsigned b, std::size_t out_len, std::uint32_t* out) {
  std::size_t in = 0;
  unsigned bits = 0;
  std::uint32_t total = 0;
  const std::uint32_t mask = (std::uint32_t{1} << b) - 1;
  for (std::size_t i = 0; i < out_len; ++i) {
    while (bits < b) {
      total = (total << 8) | x[in++];
      bits += 8;
    }
    bits -= b;
    out[i] = (total >> bits) & mask;
  }
}

}  // namespace qpow::crypto::slhdsa::internal
