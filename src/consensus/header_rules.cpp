#include "consensus/header_rules.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "consensus/asert.h"
#include "consensus/pow.h"
#include "util/assert.h"

namespace qpow::consensus {
namespace {

// Timestamps beyond this are rejected before ASERT sees them, so its 64-bit arithmetic on
// (time - anchor time) can never overflow; it is the year 292,277 or so.
constexpr std::uint64_t kTimeMax = std::uint64_t{1} << 62;

}  // namespace

Verdict check_header_standalone(const primitives::BlockHeader& header, const ChainParams& params) {
  if (header.version != primitives::kHeaderVersion) {
    return Verdict::reject(RejectReason::kBadVersion,
                           fmt::format("header.version {} (this node knows version {})",
                                       header.version, primitives::kHeaderVersion));
  }
  if (header.chain_id != params.chain_id) {
    return Verdict::reject(RejectReason::kBadChainId,
                           fmt::format("header.chain_id {} on a network with chain id {}",
                                       header.chain_id, params.chain_id));
  }
  if (header.shard >= params.shard_count) {
    return Verdict::reject(RejectReason::kBadShard,
                           fmt::format("header.shard {} (this network has {} shard(s))",
                                       header.shard, params.shard_count));
  }
  if (header.time > kTimeMax) {
    return Verdict::reject(RejectReason::kTimeTooNew,
                           fmt::format("header.time {} is beyond any valid time", header.time));
  }
  return check_pow(header, params);
}

Verdict check_header_contextual(const primitives::BlockHeader& header, const HeaderContext& ctx,
                                const ChainParams& params) {
  if (header.parent != ctx.parent_hash) {
    return Verdict::reject(RejectReason::kUnknownParent, "header.parent is not the given parent");
  }
  if (header.height != ctx.parent_height + 1) {
    return Verdict::reject(RejectReason::kBadHeight,
                           fmt::format("header.height {} but the parent is at height {}",
                                       header.height, ctx.parent_height));
  }
  if (header.time <= ctx.median_time_past) {
    return Verdict::reject(RejectReason::kTimeTooOld,
                           fmt::format("header.time {} is not above the median time past {}",
                                       header.time, ctx.median_time_past));
  }
  if (header.time > ctx.adjusted_time + kMaxFutureBlockTimeS) {
    return Verdict::reject(
        RejectReason::kTimeTooNew,
        fmt::format("header.time {} is more than {} s past the adjusted time {}", header.time,
                    kMaxFutureBlockTimeS, ctx.adjusted_time));
  }
  auto bits = required_bits(params, ctx.parent_height, ctx.parent_time);
  if (!bits.is_ok()) {
    return Verdict::reject(RejectReason::kBadDifficulty, bits.status().message());
  }
  if (header.bits != *bits) {
    return Verdict::reject(RejectReason::kBadDifficulty,
                           fmt::format("header.bits 0x{:08x}, ASERT requires 0x{:08x}",
                                       header.bits, *bits));
  }
  return Verdict::ok();
}

std::uint64_t median_time_past(std::span<const std::uint64_t> timestamps) {
  QPOW_ASSERT(timestamps.size() <= kMedianTimeSpan);
  if (timestamps.empty()) return 0;
  std::vector<std::uint64_t> sorted(timestamps.begin(), timestamps.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted[sorted.size() / 2];
}

util::Result<std::uint32_t> required_bits(const ChainParams& params, std::uint64_t parent_height,
                                          std::uint64_t parent_time) {
  if (parent_time > kTimeMax) {
    return util::Status::out_of_range(fmt::format("parent time {} out of range", parent_time));
  }
  const AsertParams asert{.target_spacing_s = params.target_spacing_s,
                          .half_life_s = params.asert_half_life_s,
                          .pow_limit = params.pow_limit};
  QPOW_ASSIGN_OR_RETURN(const AsertAnchor anchor,
                        asert_genesis_anchor(asert, params.genesis_bits,
                                             static_cast<std::int64_t>(params.genesis_time)));
  return asert_next_bits(asert, anchor, static_cast<std::int64_t>(parent_height),
                         static_cast<std::int64_t>(parent_time));
}

}  // namespace qpow::consensus
