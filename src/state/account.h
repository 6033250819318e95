// An account's state (DESIGN §4): balance, nonce, the key that currently controls it, and an
// optional pre-rotation commitment to the next key. This is the value the sparse Merkle tree
// stores under the account's address, so its encoding is consensus-critical and canonical: one
// account has exactly one encoding, and decoding rejects every other byte string.
//
// Encoding, version 1 (integers little-endian, util/serialize.h):
//   u8  version            = 1
//   u64 balance
//   u64 nonce
//   u8  has_key            0 or 1
//   if has_key:  u8 scheme id (registered) || CompactSize length || public key
//                (length <= max_account_key_bytes() and == the scheme's public_key_bytes)
//   u8  has_commitment     0 or 1
//   if has_commitment: 32-byte next-key commitment
// Nothing may follow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "primitives/key_commitment.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

inline constexpr std::uint8_t kAccountEncodingVersion = 1;

struct AccountKey {
  crypto::SchemeId scheme = crypto::kDefaultScheme;
  util::Bytes public_key = {};

  friend bool operator==(const AccountKey&, const AccountKey&) = default;
};

struct Account {
  std::uint64_t balance = 0;
  std::uint64_t nonce = 0;
  // Empty until the account first sends: until then only its address (a hash of the key) is
  // known on chain.
  std::optional<AccountKey> key = {};
  // key_commitment() of the key the account will rotate to; a rotation must reveal a key that
  // matches it, so a thief holding only the current key cannot take the account over.
  std::optional<crypto::Hash256> next_key_commitment = {};

  friend bool operator==(const Account&, const Account&) = default;
};

// The largest public key of any registered scheme: the bound on an encoded key's length.
std::size_t max_account_key_bytes();

// The largest encoding an account can have (a key of max_account_key_bytes() and a commitment).
std::size_t max_account_encoding_bytes();

// OK if the account has an encoding: its key, if any, is of a registered scheme and has that
// scheme's public key length. The error names the field.
util::Status check_account(const Account& account);

// The canonical encoding, or check_account()'s error.
util::Result<util::Bytes> encode_account(const Account& account);

// The account these bytes encode. Rejects an unknown version, a flag other than 0 or 1, an
// unregistered scheme, a key of the wrong length, truncation and trailing bytes; the message
// names the field and offset.
util::Result<Account> decode_account(util::ByteSpan bytes);

// The pre-rotation commitment to a next key; defined once, in primitives/key_commitment.h.
using primitives::key_commitment;

}  // namespace qpow::state
