// The signature scheme registry: every signature scheme qpow accepts, identified by a one-byte
// scheme id that travels with each public key, with its name, its sizes, and one uniform
// keygen / sign / verify interface that the rest of qpow uses.
//
// Key and signature formats are each scheme's standard encoding: FIPS 204 for ML-DSA (the
// expanded secret key), FIPS 205 for SLH-DSA, the composite draft's for the hybrid (whose secret
// key is its two seeds). Every scheme signs with a context string of up to 255 bytes.
//
// Scheme ids are consensus values: never renumber one; retire it and add a new one instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "crypto/secure_memory.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::crypto {

enum class SchemeId : std::uint8_t {
  kMlDsa44 = 0x01,
  kMlDsa65 = 0x02,  // the default for accounts
  kMlDsa87 = 0x03,
  kSlhDsaSha2_128s = 0x11,
  kSlhDsaShake_128s = 0x12,
  kSlhDsaSha2_128f = 0x13,
  kSlhDsaShake_128f = 0x14,
  kSlhDsaSha2_192s = 0x15,
  kSlhDsaShake_192s = 0x16,
  kSlhDsaSha2_192f = 0x17,
  kSlhDsaShake_192f = 0x18,
  kSlhDsaSha2_256s = 0x19,
  kSlhDsaShake_256s = 0x1a,
  kSlhDsaSha2_256f = 0x1b,
  kSlhDsaShake_256f = 0x1c,
  kHybridMlDsa65Ed25519 = 0x21,
};

inline constexpr SchemeId kDefaultScheme = SchemeId::kMlDsa65;
inline constexpr std::size_t kMaxContextBytes = 255;

struct SchemeInfo {
  SchemeId id;
  std::string_view name;  // "ml-dsa-65", "slh-dsa-shake-128s", "hybrid-ml-dsa-65-ed25519"
  std::size_t public_key_bytes;
  std::size_t secret_key_bytes;
  std::size_t signature_bytes;
  std::size_t seed_bytes;  // what keygen(id, seed) takes (see keygen)
  std::size_t rnd_bytes;   // the signing randomness SignOptions::rnd must have
};

// All schemes, in id order.
std::span<const SchemeInfo> all_schemes();
// The scheme with this id byte or name, or an error naming the valid choices.
util::Result<const SchemeInfo*> find_scheme(std::uint8_t id);
util::Result<const SchemeInfo*> find_scheme(std::string_view name);
const SchemeInfo& scheme_info(SchemeId id);

struct KeyPair {
  util::Bytes public_key;
  SecretBytes secret_key;
};

// Keys from a seed: ML-DSA takes ξ (32 bytes); SLH-DSA takes SK.seed || SK.prf || PK.seed
// (3n bytes); the hybrid takes its ML-DSA seed ξ || Ed25519 private key (64 bytes).
util::Result<KeyPair> keygen(SchemeId id, util::ByteSpan seed);
// Keys from a fresh seed from the operating system.
util::Result<KeyPair> keygen(SchemeId id);

enum class SigningMode : std::uint8_t {
  kHedged,         // fresh randomness from the OS mixed into each signature (the default)
  kDeterministic,  // the standard's deterministic variant: same inputs, same signature
};

struct SignOptions {
  util::ByteSpan ctx = {};  // context string, 0..255 bytes
  SigningMode mode = SigningMode::kHedged;
  std::optional<util::ByteSpan> rnd = {};  // explicit randomness (rnd_bytes), overrides mode
};

// The signature of message under sk. Fails for a secret key of the wrong size or malformed, a
// context over 255 bytes, an rnd of the wrong size, or if the OS has no randomness.
util::Result<util::Bytes> sign(SchemeId id, util::ByteSpan sk, util::ByteSpan message,
                               const SignOptions& options = {});

// True if sig is a valid signature of message under pk with context ctx; false for any signature
// that does not verify, whatever its length. Fails (an error, not false) only for a public key of
// the wrong size or a context over 255 bytes: those are not keys or contexts of this scheme.
util::Result<bool> verify(SchemeId id, util::ByteSpan pk, util::ByteSpan message,
                          util::ByteSpan sig, util::ByteSpan ctx = {});

}  // namespace qpow::crypto
