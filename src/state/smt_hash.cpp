#include "state/smt_hash.h"

#include <algorithm>
#include <bit>

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

crypto::Hash256 internal_hash(const crypto::Hash256& left, const crypto::Hash256& right) {
  // One buffer and one absorb: this is the hot path of every root computation.
  util::ByteArray<1 + 2 * sizeof(crypto::Hash256)> buffer;
  buffer[0] = kInternalPrefix;
  std::copy(left.begin(), left.end(), buffer.begin() + 1);
  std::copy(right.begin(), right.end(), buffer.begin() + 1 + left.size());
  return crypto::Sha3_256::hash(buffer);
}

}  // namespace qpow::state
