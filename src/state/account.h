// An account's state (DESIGN §4): balance, nonce, the key that currently controls it, and an
// optional pre-rotation commitment to the next key. The sparse Merkle tree stores it under the
// account's address, so its encoding is consensus-critical and canonical: one account has exactly
// one encoding, and decoding rejects every other byte string.
//
// Encoding, version 2 (integers little-endian, util/serialize.h). The record is the account's
// value followed by its key's bytes:
//   value (what the state root commits to, at most kAccountValueBytesMax = 83 bytes, so its
//   hash is one Keccak-f[1600] permutation):
//     u8  version            = 2
//     u64 balance
//     u64 nonce
//     u8  has_key            0 or 1
//     if has_key:  u8 scheme id (registered) || 32-byte key commitment
//                  (primitives::key_commitment of the key: SHA3-256("qpow/next-key/v1" ||
//                  scheme || public key))
//     u8  has_next           0 or 1
//     if has_next: 32-byte next-key commitment
//   key material, if has_key: CompactSize length || public key (length == the scheme's
//   public_key_bytes, <= max_account_key_bytes())
// Nothing may follow. The value binds the key through its commitment; the key's bytes ride in
// the same record so that a read returns everything the rules need in one lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "consensus/account_key.h"
#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "primitives/key_commitment.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

inline constexpr std::uint8_t kAccountEncodingVersion = 2;
// version, balance, nonce, has_key, scheme, key commitment, has_next, next-key commitment.
inline constexpr std::size_t kAccountValueBytesMax = 1 + 8 + 8 + 1 + 1 + 32 + 1 + 32;

using AccountKey = consensus::AccountKey;

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

// The canonical encoding (value then key material), or check_account()'s error.
util::Result<util::Bytes> encode_account(const Account& account);
// For a caller that places records itself: the length of that encoding, and the encoding written
// into `out` of exactly that length (asserted). The account must pass check_account(), which the
// caller has already run.
std::size_t account_encoding_bytes(const Account& account);
void encode_account_into(const Account& account, util::MutableByteSpan out);

// The value part of the encoding alone, without allocating: what value_hash() (smt_hash.h)
// hashes.
struct AccountValue {
  util::ByteArray<kAccountValueBytesMax> bytes{};
  std::size_t size = 0;

  util::ByteSpan span() const { return util::ByteSpan(bytes.data(), size); }
};
AccountValue encode_account_value(const Account& account);

// The account these bytes encode. Rejects an unknown version, a flag other than 0 or 1, an
// unregistered scheme, a key of the wrong length, truncation and trailing bytes; the message
// names the field and offset. The key commitment is taken as stored, not re-derived from the key
// (that would hash the whole key on every read): records come from this node's own state, which
// only ever stores commitments the rules computed. Use check_account_key_commitment() on a
// record from anywhere else.
util::Result<Account> decode_account(util::ByteSpan bytes);
// The same, taking the record: the key keeps the record's buffer rather than a copy of its bytes.
util::Result<Account> decode_account(util::Bytes&& record);

// OK unless the account's key commitment is not the one its key's bytes give.
util::Status check_account_key_commitment(const Account& account);

// The pre-rotation commitment to a next key; defined once, in primitives/key_commitment.h.
using primitives::key_commitment;

}  // namespace qpow::state
