// The keystore file format, version 1: a fixed header in the clear and one sealed payload.
//
//   offset  bytes  field
//        0      8  magic "QPOWKEYS"
//        8      2  format version, u16 little-endian (1)
//       10      1  key derivation: 1 = Argon2id v1.3
//       11      4  Argon2id opslimit, u32
//       15      4  Argon2id memlimit in KiB, u32
//       19     16  salt
//       35     24  XChaCha20-Poly1305 nonce, fresh for every write
//       59      4  sealed length L, u32 (payload + 16-byte tag)
//       63      L  sealed payload; the 63 header bytes are its associated data
//
// The payload (all integers little-endian) lists the accounts in creation order:
//
//   u32 count (<= kKeystoreKeysMax), then per account:
//     u32 order (strictly increasing), 32-byte address, u8 label length (<= kLabelMaxBytes),
//     label, key current, u8 flags (bit 0: a next key follows, bit 1: a retired key follows;
//     other bits zero), [key next], [key retired]
//   key = u8 scheme id, public key, secret key (both of exactly the scheme's sizes)
//
// Every field is checked while decoding: a known scheme, bounded counts and lengths, canonical
// flags, unique addresses and labels, and nothing left over. The payload is the only place secret
// keys exist, so it is built in and decrypted into wiped-on-destruction memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/secure_memory.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wallet/key_entry.h"
#include "wallet/keystore_cipher.h"

namespace qpow::wallet {

inline constexpr util::ByteArray<8> kKeystoreMagic = {'Q', 'P', 'O', 'W', 'K', 'E', 'Y', 'S'};
inline constexpr std::uint16_t kKeystoreVersion = 1;
inline constexpr std::uint8_t kKdfArgon2id13 = 1;
inline constexpr std::size_t kKeystoreHeaderBytes = 63;
inline constexpr std::uint32_t kKeystoreKeysMax = 256;
// Room for kKeystoreKeysMax accounts of the largest scheme with both a next and a retired key
// (a test checks this against the scheme table).
inline constexpr std::size_t kPayloadMaxBytes = 8 * 1024 * 1024;
inline constexpr std::size_t kKeystoreFileMaxBytes =
    kKeystoreHeaderBytes + kPayloadMaxBytes + kAeadTagBytes;

struct KeystoreHeader {
  KdfParams kdf;
  util::ByteArray<kSaltBytes> salt{};
  util::ByteArray<kNonceBytes> nonce{};
  std::uint32_t sealed_bytes = 0;
};

// The kKeystoreHeaderBytes bytes of a header.
util::Bytes encode_header(const KeystoreHeader& header);

// A keystore file split into its parts. The spans point into the decoded buffer.
struct KeystoreFileView {
  KeystoreHeader header;
  util::ByteSpan header_bytes;  // the associated data
  util::ByteSpan sealed;
};

// Checks magic, version, KDF id and costs, and that the file is exactly header + sealed length;
// errors name the field and offset ("keystore.nonce: need 24 bytes at offset 35, have 3").
util::Result<KeystoreFileView> decode_keystore_file(util::ByteSpan file);

// The payload for these accounts. The caller keeps the count and labels within their bounds.
crypto::SecretBytes encode_payload(std::span<const KeyEntry> entries);
// The accounts of a decrypted payload.
util::Result<std::vector<KeyEntry>> decode_payload(util::ByteSpan payload);

// The encoded size of one account; the largest is what kPayloadMaxBytes is sized for.
std::size_t encoded_entry_bytes(const KeyEntry& entry);

}  // namespace qpow::wallet
