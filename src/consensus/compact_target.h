// Proof-of-work targets: Bitcoin's compact "bits" encoding of a 256-bit target, the work a target
// stands for, and the check that a proof-of-work hash meets its target (DESIGN §4).
//
// A block is valid work when its qhash, read as a 256-bit number, is at most the target its header
// names in `bits`. A smaller target is harder. Decoding follows Bitcoin Core's DeriveTarget
// (src/pow.cpp): the compact form must not be negative, must fit in 256 bits, must not be zero and,
// when a limit is given, must not exceed the network's proof-of-work limit.
//
// Everything here is pure integer arithmetic with no state; safe to call from any thread.
#pragma once

#include <cstdint>

#include "crypto/sha3.h"
#include "util/result.h"
#include "util/uint256.h"

namespace qpow::consensus {

// The sign bit of the compact form's 24-bit mantissa (Bitcoin's nBits layout).
inline constexpr std::uint32_t kCompactSignBit = 0x0080'0000;

// The target that `bits` encodes. Errors (all StatusCode::kMalformed) name the bits and say which
// rule failed: a negative target (sign bit set with a non-zero mantissa), a target that overflows
// 256 bits, or a zero target (no hash can meet it).
util::Result<util::Uint256> target_from_bits(std::uint32_t bits);

// As above, and also rejects (StatusCode::kOutOfRange) a target above `pow_limit`, the easiest
// target the network allows.
util::Result<util::Uint256> target_from_bits(std::uint32_t bits, const util::Uint256& pow_limit);

// The expected number of hashes needed to meet `target`: floor(2^256 / (target + 1)). Computed
// without 257-bit arithmetic as (~target / (target + 1)) + 1, as Bitcoin Core's GetBlockProof
// does; the maximum target 2^256 - 1 gives 1. `target` must not be zero (target_from_bits never
// returns zero; a zero here is a bug and aborts).
util::Uint256 chain_work(const util::Uint256& target);

// chain_work of the target that `bits` encodes, with the errors of target_from_bits(bits).
util::Result<util::Uint256> block_work(std::uint32_t bits);

// Whether `pow_hash` meets `target`. Byte order: the 32 hash bytes are read as a little-endian
// number (Uint256::from_le_bytes), so pow_hash[0] is the least significant byte and pow_hash[31]
// the most significant, as Bitcoin reads a block hash (UintToArith256). The hash meets the target
// when that number is less than or equal to the target.
bool hash_meets_target(const crypto::Hash256& pow_hash, const util::Uint256& target);

}  // namespace qpow::consensus
