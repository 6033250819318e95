#include "crypto/sponge.h"

#include <algorithm>

#include "util/assert.h"

namespace qpow::crypto {

using util::ByteSpan;
using util::MutableByteSpan;

KeccakSponge::KeccakSponge(std::size_t rate_bytes, SpongeSuffix suffix)
    : rate_(rate_bytes), suffix_(suffix) {
  QPOW_ASSERT(rate_bytes > 0 && rate_bytes < kKeccakStateBytes && rate_bytes % 8 == 0);
  QPOW_ASSERT(suffix.count <= 4 && (suffix.bits >> suffix.count) == 0);
}

void KeccakSponge::reset() {
  state_.fill(0);
  offset_ = 0;
  trailing_bits_ = 0;
  trailing_count_ = 0;
  squeezing_ = false;
}

void KeccakSponge::xor_bytes(std::size_t offset, ByteSpan data) {
  std::size_t i = 0;
  while (i < data.size() && (offset + i) % 8 != 0) {
    const std::size_t k = offset + i;
    state_[k / 8] ^= static_cast<std::uint64_t>(data[i]) << (8 * (k % 8));
    ++i;
  }
  for (; i + 8 <= data.size(); i += 8) state_[(offset + i) / 8] ^= util::load_le64(&data[i]);
  for (; i < data.size(); ++i) {
    const std::size_t k = offset + i;
    state_[k / 8] ^= static_cast<std::uint64_t>(data[i]) << (8 * (k % 8));
  }
}

void KeccakSponge::xor_bit(std::size_t bit_offset) {
  state_[bit_offset / 64] ^= std::uint64_t{1} << (bit_offset % 64);
}

void KeccakSponge::absorb(ByteSpan data) {
  QPOW_ASSERT_MSG(!squeezing_ && trailing_count_ == 0, "absorb after squeeze or partial byte");
  while (!data.empty()) {
    if (offset_ == 0 && data.size() >= rate_) {
      for (std::size_t i = 0; i < rate_ / 8; ++i) state_[i] ^= util::load_le64(&data[8 * i]);
      keccak_f1600(state_);
      data = data.subspan(rate_);
      continue;
    }
    const std::size_t take = std::min(rate_ - offset_, data.size());
    xor_bytes(offset_, data.first(take));
    offset_ += take;
    data = data.subspan(take);
    if (offset_ == rate_) {
      keccak_f1600(state_);
      offset_ = 0;
    }
  }
}

void KeccakSponge::absorb_bits(std::uint8_t bits, unsigned count) {
  QPOW_ASSERT_MSG(!squeezing_ && trailing_count_ == 0, "absorb_bits called twice or after squeeze");
  QPOW_ASSERT(count >= 1 && count <= 7 && (bits >> count) == 0);
  trailing_bits_ = bits;
  trailing_count_ = count;
}

// Appends the trailing message bits, the domain suffix and pad10*1 (FIPS 202 §5.1), bit by bit
// from the current offset, then runs the permutation that ends the absorbing phase.
void KeccakSponge::finish_absorbing() {
  const std::uint32_t tail = trailing_bits_ |
                             (static_cast<std::uint32_t>(suffix_.bits) << trailing_count_) |
                             (std::uint32_t{1} << (trailing_count_ + suffix_.count));
  const unsigned tail_bits = trailing_count_ + suffix_.count + 1;
  const std::size_t block_bits = rate_ * 8;
  std::size_t bit = offset_ * 8;
  for (unsigned i = 0; i < tail_bits; ++i) {
    if (bit == block_bits) {
      keccak_f1600(state_);
      bit = 0;
    }
    if (((tail >> i) & 1) != 0) xor_bit(bit);
    ++bit;
  }
  // The closing 1 of pad10*1 is the last bit of a block: this one if it has room, else the next.
  if (bit == block_bits) keccak_f1600(state_);
  xor_bit(block_bits - 1);
  keccak_f1600(state_);
  squeezing_ = true;
  offset_ = 0;
}

void KeccakSponge::squeeze(MutableByteSpan out) {
  if (!squeezing_) finish_absorbing();
  std::size_t i = 0;
  while (i < out.size()) {
    if (offset_ == rate_) {
      keccak_f1600(state_);
      offset_ = 0;
    }
    if (offset_ % 8 == 0 && out.size() - i >= 8 && rate_ - offset_ >= 8) {
      util::store_le64(&out[i], state_[offset_ / 8]);
      i += 8;
      offset_ += 8;
      continue;
    }
    out[i++] = static_cast<std::uint8_t>(state_[offset_ / 8] >> (8 * (offset_ % 8)));
    ++offset_;
  }
}

}  // namespace qpow::crypto
