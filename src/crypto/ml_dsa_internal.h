// Internal: the three internal algorithms of ML-DSA (FIPS 204 §6, Algorithms 6-8) on decoded
// parameters and a chosen kernel table. ml_dsa.cpp wraps them into the public interface of
// ml_dsa.h (argument checks, message formatting for pure ML-DSA and HashML-DSA).
//
// Stack use: each algorithm keeps Â and its vectors in one workspace sized for ML-DSA-87 (about
// 122 KiB for signing, 95 KiB for key generation, 84 KiB for verification); nothing is allocated
// on the heap except by HashML-DSA's pre-hash.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/ml_dsa_kernels.h"
#include "crypto/ml_dsa_params.h"
#include "util/bytes.h"
#include "util/status.h"

namespace qpow::crypto::mldsa {

// The formatted message M' in pieces, so that no caller has to copy a message to prepend a
// header: M' = parts[0] || parts[1] || ...
using MessageParts = std::span<const util::ByteSpan>;

// What is signed or verified: μ itself ("external μ") when `mu` is set, else M'.
struct MessageInput {
  const std::uint8_t* mu = nullptr;  // kMuBytes
  MessageParts m_prime;
};

// μ = H(tr || M', 64) (Algorithm 7 line 6, Algorithm 8 line 7).
void message_representative(util::ByteSpan tr, MessageParts m_prime, std::uint8_t* mu);

// Algorithm 6. pk and sk have p.pk_bytes() and p.sk_bytes().
void keygen_core(const Params& p, const std::uint8_t* xi, std::uint8_t* pk, std::uint8_t* sk,
                 const PolyKernels& kernels);

// Algorithm 7. Fails for a secret key of the wrong length or with s1 / s2 coefficients outside
// [-η, η]; sig has p.sig_bytes().
util::Status sign_core(const Params& p, util::ByteSpan sk, const MessageInput& message,
                       const std::uint8_t* rnd, std::uint8_t* sig, const PolyKernels& kernels);

// Algorithm 8. False for a public key or signature of the wrong length, a malformed hint, an
// out-of-range z, or a signature that does not match.
bool verify_core(const Params& p, util::ByteSpan pk, const MessageInput& message,
                 util::ByteSpan sig, const PolyKernels& kernels);

}  // namespace qpow::crypto::mldsa
