// The pre-rotation commitment (DESIGN §4): an account may commit to the hash of the key that
// will replace its current one. After a suspected compromise of the current key, only a rotation
// to the committed key is valid, and it must be signed by that key, which never left cold
// storage; the thief of the current key can neither rotate to a key of their own nor complete
// the rotation. docs/protocol.md describes the procedure.
//
//   commitment = SHA3-256("qpow/next-key/v1" || scheme id || public key)
#pragma once

#include <string_view>

#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "util/bytes.h"

namespace qpow::primitives {

inline constexpr std::string_view kKeyCommitmentDomain = "qpow/next-key/v1";

inline crypto::Hash256 key_commitment(crypto::SchemeId scheme, util::ByteSpan public_key) {
  const std::uint8_t id = static_cast<std::uint8_t>(scheme);
  return crypto::Sha3_256()
      .absorb(util::as_bytes(kKeyCommitmentDomain))
      .absorb({&id, 1})
      .absorb(public_key)
      .finalize();
}

}  // namespace qpow::primitives
