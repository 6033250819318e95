// Pre-rotation: an account commits to the hash of its *next* public key before that key is ever
// used, so an owner whose current key leaks can still rotate to a key the thief has never seen.
// The wallet generates the next key in advance; the account state carries the commitment, and a
// rotation transaction reveals the committed key and is signed by it (primitives/key_commitment.h).
#pragma once

#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "util/bytes.h"

namespace qpow::wallet {

// SHA3-256("qpow/next-key/v1" || scheme id byte || next public key). This is the consensus value
// of primitives::key_commitment, called rather than restated so the wallet cannot drift from it.
crypto::Hash256 next_key_commitment(crypto::SchemeId scheme, util::ByteSpan next_public_key);

}  // namespace qpow::wallet
