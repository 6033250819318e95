// Proof of work: qhash(header) read as a little-endian 256-bit number must not exceed the target
// that the header's compact bits encode (and that target must be valid and within the network's
// pow limit). chain work per block = 2^256 / (target + 1).
#pragma once

#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "crypto/sha3.h"
#include "primitives/block.h"
#include "util/result.h"
#include "util/uint256.h"

namespace qpow::consensus {

// qhash of the header's 280-byte encoding (crypto/qhash.h).
crypto::Hash256 pow_hash(const primitives::BlockHeader& header);

// kBadDifficulty for bits that are negative, overflowing, zero or above the pow limit;
// kHighHash when qhash is above the target.
Verdict check_pow(const primitives::BlockHeader& header, const ChainParams& params);

// The work a header with these bits adds to its chain; bits must be valid (check_pow first).
util::Uint256 header_work(std::uint32_t bits);

}  // namespace qpow::consensus
