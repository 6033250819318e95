// Ed25519 (RFC 8032) from libsodium: the classical half of qpow's hybrid signature. Keys are kept
// in their 32-byte seed form (RFC 8032's private key); libsodium expands the seed per call.
// Verification is libsodium's, which rejects non-canonical encodings and small-order points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "util/bytes.h"

namespace qpow::crypto::ed25519 {

inline constexpr std::size_t kSeedBytes = 32;
inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSignatureBytes = 64;

using Seed = std::span<const std::uint8_t, kSeedBytes>;
using PublicKey = std::span<const std::uint8_t, kPublicKeyBytes>;

// The public key of the private key `seed`.
void public_key(Seed seed, std::span<std::uint8_t, kPublicKeyBytes> pk);

// The (deterministic) signature of message under `seed`.
void sign(Seed seed, util::ByteSpan message, std::span<std::uint8_t, kSignatureBytes> sig);

// True when sig is a valid signature of message under pk. Any length other than 64 is invalid.
bool verify(PublicKey pk, util::ByteSpan message, util::ByteSpan sig);

}  // namespace qpow::crypto::ed25519
