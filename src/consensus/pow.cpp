#include "consensus/pow.h"

#include <fmt/format.h>

#include "consensus/compact_target.h"
#include "crypto/qhash.h"
#include "util/assert.h"

namespace qpow::consensus {

crypto::Hash256 pow_hash(const primitives::BlockHeader& header) {
  const primitives::HeaderBytes bytes = primitives::encode_header(header);
  return crypto::qhash(bytes);
}

Verdict check_pow(const primitives::BlockHeader& header, const ChainParams& params) {
  auto target = target_from_bits(header.bits, params.pow_limit);
  if (!target.is_ok()) {
    return Verdict::reject(RejectReason::kBadDifficulty,
                           fmt::format("header.bits 0x{:08x}: {}", header.bits,
                                       target.status().message()));
  }
  const crypto::Hash256 h = pow_hash(header);
  if (!hash_meets_target(h, *target)) {
    return Verdict::reject(
        RejectReason::kHighHash,
        fmt::format("qhash {} is above the target {}",
                    util::Uint256::from_le_bytes(h).to_hex(), target->to_hex()));
  }
  return Verdict::ok();
}

util::Uint256 header_work(std::uint32_t bits) {
  auto work = block_work(bits);
  QPOW_ASSERT_MSG(work.is_ok(), "header_work of bits that check_pow did not accept");
  return *work;
}

}  // namespace qpow::consensus
