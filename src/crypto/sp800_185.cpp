#include "crypto/sp800_185.h"

#include "util/assert.h"

namespace qpow::crypto {

using util::Bytes;
using util::ByteSpan;

namespace {

// The big-endian bytes of x without leading zeros; at least one byte (SP 800-185 §2.3.1).
Bytes minimal_be(std::uint64_t x) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto byte = static_cast<std::uint8_t>(x >> shift);
    if (!out.empty() || byte != 0 || shift == 0) out.push_back(byte);
  }
  return out;
}

}  // namespace

Bytes left_encode(std::uint64_t x) {
  Bytes digits = minimal_be(x);
  Bytes out;
  out.reserve(digits.size() + 1);
  out.push_back(static_cast<std::uint8_t>(digits.size()));
  out.insert(out.end(), digits.begin(), digits.end());
  return out;
}

Bytes right_encode(std::uint64_t x) {
  Bytes out = minimal_be(x);
  out.push_back(static_cast<std::uint8_t>(out.size()));
  return out;
}

Bytes encode_string(ByteSpan s) {
  // Bit lengths here fit in 64 bits: inputs are far below 2^61 bytes.
  Bytes out = left_encode(8 * static_cast<std::uint64_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

void absorb_bytepad(KeccakSponge& sponge, std::initializer_list<ByteSpan> strings) {
  QPOW_ASSERT(sponge.block_offset() == 0);
  sponge.absorb(left_encode(sponge.rate()));
  for (const ByteSpan s : strings) sponge.absorb(encode_string(s));
  if (sponge.block_offset() != 0) {
    static constexpr std::uint8_t kZeros[kKeccakStateBytes] = {};
    sponge.absorb(ByteSpan(kZeros, sponge.rate() - sponge.block_offset()));
  }
}

}  // namespace qpow::crypto
