// How a keystore's contents are encrypted at rest: a 256-bit key derived from the passphrase with
// Argon2id (RFC 9106; libsodium's crypto_pwhash, version 1.3) under a random 16-byte salt, and
// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha; libsodium's crypto_aead_xchacha20poly1305_ietf)
// with a random 24-byte nonce per write and the file header as associated data, so a change to
// any header field (the KDF cost included) fails authentication.
//
// The Argon2id cost travels in the file, so a keystore written today with one cost opens with the
// same cost later and can be re-encrypted with a higher one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/secure_memory.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::wallet {

inline constexpr std::size_t kSaltBytes = 16;       // crypto_pwhash_SALTBYTES
inline constexpr std::size_t kNonceBytes = 24;      // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr std::size_t kCipherKeyBytes = 32;  // crypto_aead_xchacha20poly1305_ietf_KEYBYTES
inline constexpr std::size_t kAeadTagBytes = 16;    // crypto_aead_xchacha20poly1305_ietf_ABYTES
inline constexpr std::size_t kPassphraseMaxBytes = 1024;

// Argon2id cost: passes over memory (t) and memory in KiB (m), one lane.
struct KdfParams {
  std::uint32_t opslimit = 0;
  std::uint32_t memlimit_kib = 0;

  friend bool operator==(const KdfParams&, const KdfParams&) = default;
};

// libsodium's presets for Argon2id (crypto_pwhash_argon2id_{OPS,MEM}LIMIT_*).
inline constexpr KdfParams kKdfInteractive{.opslimit = 2, .memlimit_kib = 64 * 1024};
inline constexpr KdfParams kKdfModerate{.opslimit = 3, .memlimit_kib = 256 * 1024};
inline constexpr KdfParams kKdfSensitive{.opslimit = 4, .memlimit_kib = 1024 * 1024};

// What a keystore file may ask for. The minimums are Argon2id's own (libsodium's _MIN values);
// the maximums stop a damaged or hostile file from demanding hours of work or more memory than a
// machine has, while leaving room well above the sensitive preset.
inline constexpr std::uint32_t kKdfOpsLimitMin = 1;
inline constexpr std::uint32_t kKdfOpsLimitMax = 64;
inline constexpr std::uint32_t kKdfMemLimitKibMin = 8;
inline constexpr std::uint32_t kKdfMemLimitKibMax = 4 * 1024 * 1024;  // 4 GiB

// Error unless both costs are within the limits above; names the field and the range.
util::Status check_kdf_params(const KdfParams& params);

// A passphrase is 1 to kPassphraseMaxBytes bytes.
util::Status check_passphrase(std::string_view passphrase);

// The 32-byte encryption key for passphrase and salt. Fails for out-of-range parameters or when
// Argon2id cannot get its memory.
util::Result<crypto::SecretBytes> derive_key(std::string_view passphrase, util::ByteSpan salt,
                                             const KdfParams& params);

// Ciphertext || tag of plaintext under key and nonce, authenticating associated_data too.
util::Bytes seal(const crypto::SecretBytes& key, util::ByteSpan nonce,
                 util::ByteSpan associated_data, util::ByteSpan plaintext);

// The plaintext, or an error when the tag does not verify: a wrong passphrase and a modified file
// look the same to an AEAD, and the message says so.
util::Result<crypto::SecretBytes> unseal(const crypto::SecretBytes& key, util::ByteSpan nonce,
                                         util::ByteSpan associated_data, util::ByteSpan sealed);

}  // namespace qpow::wallet
