// The key that controls an account, as the rules and the state carry it: scheme, public key and
// the key's commitment (primitives/key_commitment.h), computed once when the key enters the chain.
//
// Why the commitment rides along: the account's value in the state tree commits to the key
// through this 32-byte hash instead of the key itself (docs/protocol.md, "Account state"), so a
// block that changes 2,000 accounts hashes 2,000 short values rather than re-hashing 2,000 keys
// of up to 2,592 bytes each. The key bytes are shared and immutable: copying an account's state
// copies a pointer, not the key.
#pragma once

#include <algorithm>
#include <memory>

#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "primitives/key_commitment.h"
#include "util/bytes.h"

namespace qpow::consensus {

class AccountKey {
 public:
  // No key bytes and a zero commitment: the value of a slot before the rules assign it (a
  // block's signing keys are sized first, then filled); no account's key has this value.
  AccountKey() = default;

  // The key with its commitment computed here (one hash over the key).
  static AccountKey from_public_key(crypto::SchemeId scheme, util::ByteSpan public_key) {
    return AccountKey(scheme, util::Bytes(public_key.begin(), public_key.end()),
                      primitives::key_commitment(scheme, public_key));
  }
  // The key with a commitment the caller has already computed or read back from this node's own
  // state records (which store both). Nothing is re-derived, so nothing may be passed here that
  // did not come from from_public_key() or primitives::key_commitment() of the same bytes.
  static AccountKey with_known_commitment(crypto::SchemeId scheme, util::Bytes public_key,
                                          const crypto::Hash256& commitment) {
    return AccountKey(scheme, std::move(public_key), commitment);
  }

  crypto::SchemeId scheme() const { return scheme_; }
  util::ByteSpan public_key() const {
    return public_key_ ? util::ByteSpan(*public_key_) : util::ByteSpan();
  }
  const crypto::Hash256& commitment() const { return commitment_; }

  // True if the stored commitment is the one the key's bytes give (a check for records that did
  // not come from this node's own database).
  bool commitment_matches() const {
    return primitives::key_commitment(scheme_, public_key()) == commitment_;
  }

  friend bool operator==(const AccountKey& a, const AccountKey& b) {
    if (a.scheme_ != b.scheme_ || a.commitment_ != b.commitment_) return false;
    const util::ByteSpan ka = a.public_key();
    const util::ByteSpan kb = b.public_key();
    return ka.size() == kb.size() && std::equal(ka.begin(), ka.end(), kb.begin());
  }

 private:
  AccountKey(crypto::SchemeId scheme, util::Bytes public_key, const crypto::Hash256& commitment)
      : scheme_(scheme),
        public_key_(std::make_shared<const util::Bytes>(std::move(public_key))),
        commitment_(commitment) {}

  crypto::SchemeId scheme_ = crypto::kDefaultScheme;
  std::shared_ptr<const util::Bytes> public_key_;
  crypto::Hash256 commitment_{};
};

}  // namespace qpow::consensus
