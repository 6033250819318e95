#include "wallet/next_key.h"

#include "primitives/key_commitment.h"

namespace qpow::wallet {

crypto::Hash256 next_key_commitment(crypto::SchemeId scheme, util::ByteSpan next_public_key) {
  return primitives::key_commitment(scheme, next_public_key);
}

}  // namespace qpow::wallet
