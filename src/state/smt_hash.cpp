#include "state/smt_hash.h"

#include <algorithm>
#include <array>
#include <bit>

#include "crypto/sponge_batch.h"
#include "util/assert.h"

namespace qpow::state {

SmtKey smt_key(const primitives::Address& address) {
  return crypto::Sha3_256::hash(address.bytes);
}

std::size_t common_prefix_bits(const SmtKey& a, const SmtKey& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint8_t diff = a[i] ^ b[i];
    if (diff != 0) return 8 * i + static_cast<std::size_t>(std::countl_zero(diff));
  }
  return kSmtDepth;
}

crypto::Hash256 value_hash(const Account& account) {
  return crypto::Sha3_256::hash(encode_account_value(account).span());
}

LeafPreimage leaf_preimage(const SmtKey& key, const crypto::Hash256& value_hash) {
  LeafPreimage buffer;
  buffer[0] = kLeafPrefix;
  std::copy(key.begin(), key.end(), buffer.begin() + 1);
  std::copy(value_hash.begin(), value_hash.end(), buffer.begin() + 1 + key.size());
  return buffer;
}

crypto::Hash256 leaf_hash(const SmtKey& key, const crypto::Hash256& value_hash) {
  return crypto::Sha3_256::hash(leaf_preimage(key, value_hash));
}

InternalPreimage internal_preimage(const crypto::Hash256& left, const crypto::Hash256& right) {
  InternalPreimage buffer;
  buffer[0] = kInternalPrefix;
  std::copy(left.begin(), left.end(), buffer.begin() + 1);
  std::copy(right.begin(), right.end(), buffer.begin() + 1 + left.size());
  return buffer;
}

crypto::Hash256 internal_hash(const crypto::Hash256& left, const crypto::Hash256& right) {
  // One buffer and one absorb. Proofs and single reads hash nodes one at a time; an update
  // batches them (hash_preimages).
  return crypto::Sha3_256::hash(internal_preimage(left, right));
}

void hash_preimages(std::span<const InternalPreimage> preimages,
                    std::span<crypto::Hash256> outputs) {
  QPOW_ASSERT(preimages.size() == outputs.size());
  const crypto::KeccakBackend& backend = crypto::keccak_active_backend();
  std::size_t i = 0;
  // The portable backend has no SIMD lanes to share, so batches would only add copying.
  if (backend.path != crypto::CpuPath::kPortable) {
    for (; i + 4 <= preimages.size(); i += 4) {
      const std::array<util::ByteSpan, 4> in{preimages[i], preimages[i + 1], preimages[i + 2],
                                             preimages[i + 3]};
      crypto::sha3_256_x4_one_block(std::span<const util::ByteSpan, 4>(in),
                                    std::span<crypto::Hash256, 4>(outputs.subspan(i, 4)), backend);
    }
  }
  for (; i < preimages.size(); ++i) outputs[i] = crypto::Sha3_256::hash(preimages[i]);
}

}  // namespace qpow::state
