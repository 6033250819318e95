// The sponge construction over Keccak-f[1600] with multi-rate padding (FIPS 202 §4, §5.1):
// absorb any number of byte strings, optionally finish with a partial byte, then squeeze any
// number of output bytes. SHA-3, SHAKE, cSHAKE and KMAC are thin layers over this class.
//
// Domain separation: FIPS 202 appends a few suffix bits to the message before padding (SHA-3
// "01", SHAKE "1111"; SP 800-185's cSHAKE "00"). They are given as a value whose bit i is the
// i-th suffix bit, plus their count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak.h"
#include "util/bytes.h"

namespace qpow::crypto {

struct SpongeSuffix {
  std::uint8_t bits;
  unsigned count;
};
inline constexpr SpongeSuffix kSha3Suffix{0b10, 2};     // "01"
inline constexpr SpongeSuffix kShakeSuffix{0b1111, 4};  // "1111"
inline constexpr SpongeSuffix kCShakeSuffix{0b00, 2};   // "00"

class KeccakSponge {
 public:
  // rate_bytes: a multiple of 8 below 200 (e.g. 136 for SHA3-256 and SHAKE256).
  KeccakSponge(std::size_t rate_bytes, SpongeSuffix suffix);

  void absorb(util::ByteSpan data);
  // The final 1..7 bits of a message that is not a whole number of bytes; bit i of `bits` is
  // message bit i (FIPS 202 bit order). Only squeeze() may follow.
  void absorb_bits(std::uint8_t bits, unsigned count);
  // Pads on the first call; later calls continue the output stream.
  void squeeze(util::MutableByteSpan out);
  // Back to the empty state with the same rate and suffix.
  void reset();

  std::size_t rate() const { return rate_; }
  // Bytes absorbed into the current block (0 .. rate - 1) while absorbing.
  std::size_t block_offset() const { return offset_; }
  // The raw state, for callers that continue the sponge by hand at a block boundary (qhash's
  // prefix does, to hash many nonces from one absorbed header).
  const KeccakState& state() const { return state_; }

 private:
  void xor_bytes(std::size_t offset, util::ByteSpan data);
  void xor_bit(std::size_t bit_offset);
  void finish_absorbing();

  KeccakState state_{};
  std::size_t rate_;
  std::size_t offset_ = 0;  // absorbing: bytes of the current block; squeezing: bytes read
  SpongeSuffix suffix_;
  std::uint8_t trailing_bits_ = 0;
  unsigned trailing_count_ = 0;
  bool squeezing_ = false;
};

}  // namespace qpow::crypto
