// Header validity rules as pure functions (no clock: the caller passes the node's adjusted time).
//
//   standalone:  version, chain id, shard, proof of work
//   contextual:  height = parent height + 1, parent link, time above the median of the last 11
//                blocks and at most 2 hours past adjusted time, bits exactly what ASERT gives
#pragma once

#include <cstdint>
#include <span>

#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "primitives/block.h"
#include "util/result.h"

namespace qpow::consensus {

Verdict check_header_standalone(const primitives::BlockHeader& header, const ChainParams& params);

// What the rules need to know about the chain a header extends.
struct HeaderContext {
  crypto::Hash256 parent_hash{};
  std::uint64_t parent_height = 0;
  std::uint64_t parent_time = 0;
  std::uint64_t median_time_past = 0;  // median of the parent and up to 10 of its ancestors
  std::uint64_t adjusted_time = 0;     // the validating node's network-adjusted time
};

Verdict check_header_contextual(const primitives::BlockHeader& header, const HeaderContext& ctx,
                                const ChainParams& params);

// The median of up to kMedianTimeSpan timestamps (the block and its ancestors), in any order;
// with an even count the upper median, as Bitcoin's GetMedianTimePast. Empty gives 0.
std::uint64_t median_time_past(std::span<const std::uint64_t> timestamps);

// The bits required of a child of (parent_height, parent_time): aserti3-2d anchored at genesis.
util::Result<std::uint32_t> required_bits(const ChainParams& params, std::uint64_t parent_height,
                                          std::uint64_t parent_time);

}  // namespace qpow::consensus
