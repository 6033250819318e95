// What a keystore holds for one account: the address (fixed when the account's first key was
// made; it survives rotation, see primitives/address.h), an optional label, the order in which
// the account was added, the key that controls it now, the pre-generated next key whose
// commitment the account carries (wallet/next_key.h), and the key that was current before the
// last rotation, kept so the wallet can still sign while the rotation is not yet on chain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/secure_memory.h"
#include "crypto/signature_scheme.h"
#include "primitives/address.h"
#include "util/bytes.h"
#include "util/status.h"

namespace qpow::wallet {

inline constexpr std::size_t kLabelMaxBytes = 64;

// One key pair and its scheme. Sizes always match the scheme's (crypto::SchemeInfo).
struct StoredKey {
  crypto::SchemeId scheme = crypto::kDefaultScheme;
  util::Bytes public_key;
  crypto::SecretBytes secret_key;

  // The scheme id byte followed by the public key: the form a transaction carries.
  util::Bytes tagged_public_key() const;
};

struct KeyEntry {
  primitives::Address address;
  std::string label;        // empty, or unique within the keystore
  std::uint32_t order = 0;  // strictly increasing in the order accounts were added
  StoredKey current;
  std::optional<StoredKey> next;     // present when the account commits to a next key
  std::optional<StoredKey> retired;  // the key current before the last rotation
};

// A label is at most kLabelMaxBytes bytes with no control characters (they would break the
// one-line-per-key listings); empty means "no label".
util::Status check_label(std::string_view label);

}  // namespace qpow::wallet
