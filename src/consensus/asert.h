// ASERT difficulty adjustment: the aserti3-2d algorithm of Bitcoin Cash ("ASERT Difficulty
// Adjustment Algorithm (aserti3-2d)", BCH upgrade specification 2020-11-15), parameterised by the
// block spacing, the half-life and the proof-of-work limit (DESIGN §4).
//
// The target of the next block is the anchor's target scaled by
//     2^((time_delta - target_spacing * (height_delta + 1)) / half_life)
// where time_delta = eval_time - anchor.parent_time and height_delta = eval_height - anchor.height:
// every half-life that the chain runs ahead of its absolute schedule halves the target (doubles
// the difficulty), every half-life behind doubles it. The spec's integer recipe is followed
// exactly: a 16-bit fixed-point exponent from a truncating division, an arithmetic right shift for
// its integer part, the cubic approximation of 2^x for the fraction, then the result clamped to
// [1, pow_limit] and returned as compact bits. No floating point anywhere; pure and thread-safe.
//
// How qpow uses it: the anchor is the genesis block (height 0). The spec takes the timestamp of
// the anchor's *parent*, which genesis does not have (that is why the spec requires an anchor
// height above 0); qpow defines the genesis anchor's parent time as
//     genesis.time - target_spacing_s
// (asert_genesis_anchor), which puts genesis exactly on schedule: block 1 (evaluated at genesis)
// gets genesis's bits, and a chain whose blocks keep exactly to the spacing keeps them.
//
// Evaluation block: eval_height and eval_time are the height and timestamp of the block *before*
// the one whose bits are computed (its parent), exactly as the spec's "evaluation block" and the
// official test vectors' `height` and `time` columns mean them.
#pragma once

#include <cstdint>

#include "util/result.h"
#include "util/uint256.h"

namespace qpow::consensus {

struct AsertParams {
  std::int64_t target_spacing_s = 0;  // ideal seconds between blocks (BCH: 600); must be > 0
  std::int64_t half_life_s = 0;       // seconds ahead/behind schedule per doubling (BCH: 172800)
  util::Uint256 pow_limit{};          // the easiest target allowed; must be non-zero
};

struct AsertAnchor {
  std::int64_t height = 0;       // >= 0; qpow: 0, the genesis block
  std::uint32_t bits = 0;        // the anchor block's compact target; 0 < target <= pow_limit
  std::int64_t parent_time = 0;  // timestamp of the anchor's parent (see the header comment)
};

// Fixed-point precision of the exponent: 16 fractional bits (the spec's radix 65536).
inline constexpr unsigned kAsertRadixBits = 16;

// Bound on the schedule offset |time_delta - target_spacing_s * (height_delta + 1)|, in seconds.
// The spec multiplies it by the radix 2^16 in 64-bit signed arithmetic (its reference
// implementations assert the same bound), so it must stay below 2^47; that is about 4.4 million
// years, far past any timestamp a valid block can carry.
inline constexpr std::int64_t kAsertMaxScheduleOffsetS = (std::int64_t{1} << 47) - 1;

// The compact bits of the block after the evaluation block (height eval_height, timestamp
// eval_time). A result above pow_limit gives pow_limit.to_compact() (the compact form drops low
// bytes, so it never decodes above the limit); a result of zero gives the bits of target 1. Errors
// (never aborts) for: target_spacing_s or half_life_s not positive, a zero pow_limit, a negative
// anchor height, eval_height below the anchor height (StatusCode::kInvalidArgument); anchor bits
// that do not decode to 0 < target <= pow_limit (the errors of target_from_bits, prefixed "asert
// anchor.bits"); a schedule offset beyond kAsertMaxScheduleOffsetS (StatusCode::kOutOfRange).
util::Result<std::uint32_t> asert_next_bits(const AsertParams& params, const AsertAnchor& anchor,
                                            std::int64_t eval_height, std::int64_t eval_time);

// qpow's anchor: the genesis block itself, with parent_time = genesis_time - target_spacing_s.
// Errors (StatusCode::kInvalidArgument) when target_spacing_s is not positive or the subtraction
// would overflow.
util::Result<AsertAnchor> asert_genesis_anchor(const AsertParams& params,
                                               std::uint32_t genesis_bits,
                                               std::int64_t genesis_time);

}  // namespace qpow::consensus
