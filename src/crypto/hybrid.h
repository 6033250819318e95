// Hybrid ML-DSA-65 + Ed25519: the composite signature id-MLDSA65-Ed25519-SHA512 of the IETF draft
// "Composite ML-DSA for use in X.509 Public Key Infrastructure"
// (draft-ietf-lamps-pq-composite-sigs, OID 1.3.6.1.5.5.7.6.48). A forger must break both ML-DSA and
// Ed25519.
//
//   M'   = Prefix || Label || len(ctx) || ctx || SHA-512(M)
//          Prefix = "CompositeAlgorithmSignatures2025", Label = "COMPSIG-MLDSA65-Ed25519-SHA512"
//   sig  = ML-DSA-65.Sign(mldsa_sk, M', ctx = Label) || Ed25519.Sign(ed_sk, M')
//   pk   = ML-DSA-65 public key (1952) || Ed25519 public key (32)
//   sk   = ML-DSA-65 seed ξ (32) || Ed25519 private key (32)
// Verification accepts only if both components verify. The ML-DSA key is re-derived from its
// seed for each signature, as the draft specifies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/cpu_features.h"
#include "crypto/ml_dsa.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::crypto::hybrid {

inline constexpr std::string_view kPrefix = "CompositeAlgorithmSignatures2025";
inline constexpr std::string_view kLabel = "COMPSIG-MLDSA65-Ed25519-SHA512";
inline constexpr std::size_t kMlDsaPublicKeyBytes = 1952;
inline constexpr std::size_t kMlDsaSignatureBytes = 3309;
inline constexpr std::size_t kPublicKeyBytes = kMlDsaPublicKeyBytes + 32;
inline constexpr std::size_t kSecretKeyBytes = 32 + 32;
inline constexpr std::size_t kSignatureBytes = kMlDsaSignatureBytes + 64;
inline constexpr std::size_t kSeedBytes = kSecretKeyBytes;  // the private key is the two seeds
inline constexpr std::size_t kMaxContextBytes = 255;

// M' for a message and an application context; fails if the context exceeds 255 bytes.
util::Result<util::Bytes> message_representative(util::ByteSpan message, util::ByteSpan ctx);

// The public key of sk (= the 64-byte seed); pk must hold kPublicKeyBytes.
void public_key(std::span<const std::uint8_t, kSecretKeyBytes> sk, util::MutableByteSpan pk,
                CpuPath path = mldsa::default_path());

// Signs with the ML-DSA component's randomness `rnd` (zeros for deterministic signing; Ed25519
// is deterministic). Fails for a secret key of the wrong size or a context over 255 bytes.
util::Status sign(util::ByteSpan sk, util::ByteSpan message, util::ByteSpan ctx, mldsa::Rnd rnd,
                  util::MutableByteSpan sig, CpuPath path = mldsa::default_path());

// True only if both component signatures verify; false for any malformed input.
bool verify(util::ByteSpan pk, util::ByteSpan message, util::ByteSpan sig, util::ByteSpan ctx,
            CpuPath path = mldsa::default_path());

}  // namespace qpow::crypto::hybrid
