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

void shake128_x4(std::span<const util::ByteSpan, 4> inputs,
                 std::span<const util::MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend = keccak_active_backend());
void shake256_x4(std::span<const util::ByteSpan, 4> inputs,
                 std::span<const util::MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend = keccak_active_backend());

}  // namespace qpow::crypto
