#include "consensus/asert.h"

#include <optional>

#include <fmt/format.h>

#include "consensus/compact_target.h"
#include "util/assert.h"

namespace qpow::consensus {
namespace {

__extension__ using i128 = __int128;
__extension__ using u128 = unsigned __int128;

constexpr std::int64_t kRadix = std::int64_t{1} << kAsertRadixBits;

// The spec's cubic approximation of 2^x on [0, 1) in 16-bit fixed point:
//   factor = ((c1*f + c2*f^2 + c3*f^3 + 2^47) >> 48) + 2^16, f = the exponent's fraction * 2^16.
// It is exact at both ends (2^0 = 1, and it approaches 2 as f approaches 2^16).
constexpr std::uint64_t kCubicC1 = 195'766'423'245'049;
constexpr std::uint64_t kCubicC2 = 971'821'376;
constexpr std::uint64_t kCubicC3 = 5'127;
constexpr unsigned kCubicShift = 48;
constexpr std::uint64_t kCubicRounding = std::uint64_t{1} << (kCubicShift - 1);

constexpr std::uint64_t fraction_factor(std::uint64_t frac) {
  return ((kCubicC1 * frac + kCubicC2 * frac * frac + kCubicC3 * frac * frac * frac +
           kCubicRounding) >>
          kCubicShift) +
         static_cast<std::uint64_t>(kRadix);
}

// Spec Note 7: the polynomial needs unsigned 64-bit arithmetic. Check that its largest value
// (f = 2^16 - 1) fits, computing it exactly in 128 bits.
constexpr u128 kMaxFrac = static_cast<u128>(kRadix - 1);
static_assert(kCubicC1 * kMaxFrac + kCubicC2 * kMaxFrac * kMaxFrac +
                  kCubicC3 * kMaxFrac * kMaxFrac * kMaxFrac + kCubicRounding <
              (u128{1} << 64));
static_assert(fraction_factor(0) == 65536);
static_assert(fraction_factor(static_cast<std::uint64_t>(kRadix - 1)) == 131071);

// The factor is below 2^17, so target * factor may need 256 + 17 bits.
constexpr unsigned kFactorBits = kAsertRadixBits + 1;
constexpr std::uint64_t kFactorMask = (std::uint64_t{1} << kFactorBits) - 1;

// value << shift, or nothing when the result needs more than 256 bits.
std::optional<util::Uint256> checked_shl(const util::Uint256& value, std::int64_t shift) {
  QPOW_ASSERT(shift >= 0);
  if (value.is_zero()) return value;
  if (static_cast<std::int64_t>(value.bit_length()) + shift > 256) return std::nullopt;
  return value << static_cast<unsigned>(shift);
}

// floor(value * factor * 2^power) exactly, or nothing when it needs more than 256 bits.
std::optional<util::Uint256> scale(const util::Uint256& value, std::uint64_t factor,
                                   std::int64_t power) {
  QPOW_ASSERT(factor <= kFactorMask);
  // Split value = high * 2^17 + low so that value * factor = q * 2^17 + r with r < 2^17 and
  // q = floor(value * factor / 2^17) < 2^256: no intermediate needs more than 256 bits.
  const std::uint64_t low_product = (value.low64() & kFactorMask) * factor;  // < 2^34
  const auto high_product = util::Uint256::checked_mul(value >> kFactorBits, factor);
  QPOW_ASSERT(high_product.has_value());
  const auto q =
      util::Uint256::checked_add(*high_product, util::Uint256(low_product >> kFactorBits));
  QPOW_ASSERT(q.has_value());
  const std::uint64_t r = low_product & kFactorMask;

  // value * factor * 2^power = q * 2^(power + 17) + r * 2^power.
  const std::int64_t q_shift = power + static_cast<std::int64_t>(kFactorBits);
  if (q_shift < 0) {
    // r * 2^power < 1 and floor(floor(x / 2^17) / 2^k) = floor(x / 2^(17 + k)).
    return -q_shift >= 256 ? util::Uint256() : *q >> static_cast<unsigned>(-q_shift);
  }
  const auto q_part = checked_shl(*q, q_shift);
  if (!q_part) return std::nullopt;
  // q * 2^q_shift is an integer, so only r's part needs flooring.
  const auto r_part =
      power < 0 ? std::optional(util::Uint256(r >> -power)) : checked_shl(util::Uint256(r), power);
  if (!r_part) return std::nullopt;
  return util::Uint256::checked_add(*q_part, *r_part);
}

util::Status check_params(const AsertParams& params) {
  if (params.target_spacing_s <= 0) {
    return util::Status::invalid_argument(fmt::format(
        "asert params.target_spacing_s: must be positive, got {}", params.target_spacing_s));
  }
  if (params.half_life_s <= 0) {
    return util::Status::invalid_argument(
        fmt::format("asert params.half_life_s: must be positive, got {}", params.half_life_s));
  }
  if (params.pow_limit.is_zero()) {
    return util::Status::invalid_argument("asert params.pow_limit: must be non-zero");
  }
  return util::Status::ok();
}

// time_delta - target_spacing * (height_delta + 1), bounded by kAsertMaxScheduleOffsetS. In 128
// bits no step can overflow: the product is below 2^126 and the differences below 2^65.
util::Result<std::int64_t> schedule_offset(const AsertParams& params, const AsertAnchor& anchor,
                                           std::int64_t eval_height, std::int64_t eval_time) {
  if (anchor.height < 0) {
    return util::Status::invalid_argument(
        fmt::format("asert anchor.height: must be at least 0, got {}", anchor.height));
  }
  if (eval_height < anchor.height) {
    return util::Status::invalid_argument(
        fmt::format("asert eval_height: {} is below anchor.height {}", eval_height, anchor.height));
  }
  const i128 height_delta = i128{eval_height} - anchor.height;
  const i128 time_delta = i128{eval_time} - anchor.parent_time;
  const i128 offset = time_delta - i128{params.target_spacing_s} * (height_delta + 1);
  if (offset > kAsertMaxScheduleOffsetS || offset < -kAsertMaxScheduleOffsetS) {
    return util::Status::out_of_range(fmt::format(
        "asert: eval block (height {}, time {}) is more than {} s off the schedule of the anchor "
        "(height {}, parent time {}, spacing {} s)",
        eval_height, eval_time, kAsertMaxScheduleOffsetS, anchor.height, anchor.parent_time,
        params.target_spacing_s));
  }
  return static_cast<std::int64_t>(offset);
}

}  // namespace

util::Result<std::uint32_t> asert_next_bits(const AsertParams& params, const AsertAnchor& anchor,
                                            std::int64_t eval_height, std::int64_t eval_time) {
  QPOW_RETURN_IF_ERROR(check_params(params));
  const util::Result<util::Uint256> anchor_target = target_from_bits(anchor.bits, params.pow_limit);
  if (!anchor_target.is_ok()) return anchor_target.status().with_context("asert anchor.bits");
  QPOW_ASSIGN_OR_RETURN(const std::int64_t offset,
                        schedule_offset(params, anchor, eval_height, eval_time));

  // |offset| < 2^47, so offset * 2^16 fits in 64 bits. The spec requires truncating division
  // (C++ `/`) here and an arithmetic shift (C++20 `>>` on a signed value) for the integer part,
  // so that the fraction lands in [0, 2^16) for negative exponents too.
  const std::int64_t exponent = offset * kRadix / params.half_life_s;
  const std::int64_t shifts = exponent >> kAsertRadixBits;
  const auto frac = static_cast<std::uint64_t>(exponent - shifts * kRadix);
  QPOW_ASSERT(frac < static_cast<std::uint64_t>(kRadix));

  // next = floor(anchor_target * factor * 2^shifts / 2^16), computed exactly.
  const std::optional<util::Uint256> next = scale(
      *anchor_target, fraction_factor(frac), shifts - static_cast<std::int64_t>(kAsertRadixBits));
  if (!next || *next > params.pow_limit) return params.pow_limit.to_compact();
  if (next->is_zero()) return util::Uint256(1).to_compact();
  return next->to_compact();
}

util::Result<AsertAnchor> asert_genesis_anchor(const AsertParams& params,
                                               std::uint32_t genesis_bits,
                                               std::int64_t genesis_time) {
  if (params.target_spacing_s <= 0) {
    return util::Status::invalid_argument(fmt::format(
        "asert params.target_spacing_s: must be positive, got {}", params.target_spacing_s));
  }
  std::int64_t parent_time = 0;
  if (__builtin_sub_overflow(genesis_time, params.target_spacing_s, &parent_time)) {
    return util::Status::invalid_argument(
        fmt::format("asert genesis time {}: minus the spacing {} s overflows 64 bits", genesis_time,
                    params.target_spacing_s));
  }
  return AsertAnchor{.height = 0, .bits = genesis_bits, .parent_time = parent_time};
}

}  // namespace qpow::consensus
