#include "consensus/compact_target.h"

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::consensus {

util::Result<util::Uint256> target_from_bits(std::uint32_t bits) {
  const util::CompactValue decoded = util::Uint256::from_compact(bits);
  if (decoded.negative) {
    return util::Status::malformed(
        fmt::format("bits 0x{:08x}: negative target (sign bit 0x{:08x} set with mantissa 0x{:06x})",
                    bits, kCompactSignBit, bits & 0x007f'ffffu));
  }
  if (decoded.overflow) {
    return util::Status::malformed(fmt::format(
        "bits 0x{:08x}: target overflows 256 bits (exponent {} bytes, mantissa 0x{:06x})", bits,
        bits >> 24, bits & 0x007f'ffffu));
  }
  if (decoded.value.is_zero()) {
    return util::Status::malformed(
        fmt::format("bits 0x{:08x}: target is zero, which no hash can meet", bits));
  }
  return decoded.value;
}

util::Result<util::Uint256> target_from_bits(std::uint32_t bits, const util::Uint256& pow_limit) {
  QPOW_ASSIGN_OR_RETURN(util::Uint256 target, target_from_bits(bits));
  if (target > pow_limit) {
    return util::Status::out_of_range(
        fmt::format("bits 0x{:08x}: target 0x{} exceeds the proof-of-work limit 0x{}", bits,
                    target.to_hex(), pow_limit.to_hex()));
  }
  return target;
}

util::Uint256 chain_work(const util::Uint256& target) {
  QPOW_ASSERT_MSG(!target.is_zero(), "chain_work of a zero target");
  // 2^256 / (target + 1) needs 257 bits. With t = target:
  //   2^256 / (t + 1) = ((2^256 - t - 1) / (t + 1)) + 1 = (~t / (t + 1)) + 1,
  // exact in floor division because (t + 1) divides the added (t + 1). For t = 2^256 - 1, t + 1
  // wraps to zero; the answer there is 1.
  if (target == util::Uint256::max()) return util::Uint256(1);
  return (~target / (target + util::Uint256(1))) + util::Uint256(1);
}

util::Result<util::Uint256> block_work(std::uint32_t bits) {
  QPOW_ASSIGN_OR_RETURN(const util::Uint256 target, target_from_bits(bits));
  return chain_work(target);
}

bool hash_meets_target(const crypto::Hash256& pow_hash, const util::Uint256& target) {
  return util::Uint256::from_le_bytes(pow_hash) <= target;
}

}  // namespace qpow::consensus
