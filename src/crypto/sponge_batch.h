// SHA3-256, SHAKE128 and SHAKE256 of 4 (or 8) equal-length messages at once, on the multi-state
// Keccak permutation (keccak_f1600_x4 / _x8). The results equal four (eight) separate one-shot
// calls; the batch only shares the work of the permutation across SIMD lanes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/keccak.h"
#include "crypto/sha3.h"
#include "util/bytes.h"

namespace qpow::crypto {

// Every input of a batch must have the same length, and every output the same length; unequal
// lengths are a programming error (asserted).
void sha3_256_x4(std::span<const util::ByteSpan, 4> inputs, std::span<Hash256, 4> outputs,
                 const KeccakBackend& backend = keccak_active_backend());
void sha3_256_x8(std::span<const util::ByteSpan, 8> inputs, std::span<Hash256, 8> outputs,
                 const KeccakBackend& backend = keccak_active_backend());

// SHA3-256 of any number of messages of any lengths: messages of equal length are hashed 4 at a
// time on the multi-state permutation (on the portable path, which has no SIMD to share, one at a
// time), the rest one by one. outputs[i] = SHA3-256(inputs[i]); the spans have equal sizes.
void sha3_256_many(std::span<const util::ByteSpan> inputs, std::span<Hash256> outputs);

// For messages shorter than the SHA3-256 rate (136 bytes), which need one permutation each: the
// messages and their padding go straight into the lanes, with no block buffer in between. The
// results equal those of sha3_256_x4 and sha3_256_many.
void sha3_256_x4_one_block(std::span<const util::ByteSpan, 4> inputs, std::span<Hash256, 4> outputs,
                           const KeccakBackend& backend = keccak_active_backend());
// Every input shorter than the rate (asserted), of any mix of lengths: equal lengths are grouped
// by a counting sort and hashed 4 at a time as above, the rest one by one.
void sha3_256_many_one_block(std::span<const util::ByteSpan> inputs, std::span<Hash256> outputs);

void shake128_x4(std::span<const util::ByteSpan, 4> inputs,
                 std::span<const util::MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend = keccak_active_backend());
void shake256_x4(std::span<const util::ByteSpan, 4> inputs,
                 std::span<const util::MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend = keccak_active_backend());

// SHAKE128 or SHAKE256 on 4 equal-length inputs, squeezed one rate-sized block at a time: for
// rejection sampling, which needs an output length it cannot know in advance (FIPS 204's
// RejNTTPoly and RejBoundedPoly). Block i of state j equals bytes [i * kRate, (i + 1) * kRate) of
// SHAKE(inputs[j]).
template <unsigned kSecurityBits>
class ShakeX4 {
  static_assert(kSecurityBits == 128 || kSecurityBits == 256);

 public:
  static constexpr std::size_t kRate = kKeccakStateBytes - kSecurityBits / 4;

  explicit ShakeX4(std::span<const util::ByteSpan, 4> inputs,
                   const KeccakBackend& backend = keccak_active_backend());

  // Writes the next `blocks` blocks of state j to out[j] (each out[j] holds blocks * kRate bytes).
  void squeeze_blocks(std::span<std::uint8_t* const, 4> out, std::size_t blocks);

 private:
  KeccakStateX4 state_{};
  const KeccakBackend* backend_;
  bool fresh_ = true;  // the first block is ready without another permutation
};

using Shake128X4 = ShakeX4<128>;
using Shake256X4 = ShakeX4<256>;

}  // namespace qpow::crypto
