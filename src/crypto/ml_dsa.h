// ML-DSA (FIPS 204, August 2024): the module-lattice digital signature standard, parameter sets
// ML-DSA-44, ML-DSA-65 and ML-DSA-87.
//
// Three layers of interface, as in the standard:
//   - internal (Algorithms 6-8): keys from the seed ξ, and signing / verifying a formatted
//     message M' (or, with an "external μ", the 64-byte message representative itself);
//   - pure ML-DSA (Algorithms 2-3): M' = 0 || |ctx| || ctx || M, with a context of 0..255 bytes;
//   - HashML-DSA (Algorithms 4-5): M' = 1 || |ctx| || ctx || OID(PH) || PH(M).
// Signing takes the 32-byte `rnd` explicitly: random bytes for the hedged variant (the default
// qpow uses), all zeros for the deterministic one. The callers in qpow (the scheme registry) get
// rnd from the OS.
//
// Encodings of keys and signatures are exactly the standard's. Malformed input never crashes:
// verification returns false for a signature or public key of the wrong length, an out-of-range
// z, or a hint encoding that is not canonical; signing fails with an error for a secret key of the
// wrong length or with out-of-range coefficients, and for a context longer than 255 bytes.
//
// `path` selects the implementation of the polynomial arithmetic and of the multi-way Keccak
// (portable, AVX2; AVX-512 machines use the AVX2 code). Every path gives the same bytes; tests
// run each. Secret intermediate values are wiped before returning.
//
// Errors: signing returns kInvalidArgument for a secret key of the wrong length or with an s1 / s2
// coefficient outside [-η, η], kOutOfRange for a context longer than kMaxContextBytes, and
// kInternal if the rejection loop passes its bound (FIPS 204 Appendix C; not seen in practice).
// Buffers for outputs (pk, sk, sig) of the wrong size are programming errors and abort.
// Threads: no shared mutable state; calls may run concurrently. Each call keeps its work space
// on the stack: up to about 122 KiB for signing with ML-DSA-87, 95 KiB for key generation and
// 84 KiB for verification.
// Implementation: ml_dsa_internal.h (Algorithms 6-8), ml_dsa_kernels.h (polynomial arithmetic
// per path), ml_dsa_sampling.h, ml_dsa_encoding.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/cpu_features.h"
#include "crypto/prehash.h"
#include "util/bytes.h"
#include "util/status.h"

namespace qpow::crypto::mldsa {

enum class ParameterSet : std::uint8_t { kMlDsa44, kMlDsa65, kMlDsa87 };

struct Sizes {
  std::size_t public_key;
  std::size_t secret_key;
  std::size_t signature;
};

// 1312 / 2560 / 2420 bytes for ML-DSA-44, 1952 / 4032 / 3309 for 65, 2592 / 4896 / 4627 for 87.
Sizes sizes(ParameterSet set);

inline constexpr std::size_t kSeedBytes = 32;  // ξ
inline constexpr std::size_t kRndBytes = 32;   // rnd
inline constexpr std::size_t kMuBytes = 64;    // μ
inline constexpr std::size_t kMaxContextBytes = 255;

using Seed = std::span<const std::uint8_t, kSeedBytes>;
using Rnd = std::span<const std::uint8_t, kRndBytes>;
using Mu = std::span<const std::uint8_t, kMuBytes>;

CpuPath default_path();  // active_cpu_selection().path

// Algorithm 6, ML-DSA.KeyGen_internal(ξ). pk and sk must have sizes(set) lengths (asserted).
void keygen_internal(ParameterSet set, Seed xi, util::MutableByteSpan pk, util::MutableByteSpan sk,
                     CpuPath path = default_path());

// Algorithm 7, ML-DSA.Sign_internal(sk, M', rnd); sig must have sizes(set).signature bytes.
util::Status sign_internal(ParameterSet set, util::ByteSpan sk, util::ByteSpan message_prime,
                           Rnd rnd, util::MutableByteSpan sig, CpuPath path = default_path());
// Algorithm 7 from line 7 on, with μ given ("external μ").
util::Status sign_mu(ParameterSet set, util::ByteSpan sk, Mu mu, Rnd rnd, util::MutableByteSpan sig,
                     CpuPath path = default_path());

// Algorithm 8, ML-DSA.Verify_internal(pk, M', σ), and the same with μ given.
bool verify_internal(ParameterSet set, util::ByteSpan pk, util::ByteSpan message_prime,
                     util::ByteSpan sig, CpuPath path = default_path());
bool verify_mu(ParameterSet set, util::ByteSpan pk, Mu mu, util::ByteSpan sig,
               CpuPath path = default_path());

// Algorithms 2 and 3: pure ML-DSA with a context string.
util::Status sign(ParameterSet set, util::ByteSpan sk, util::ByteSpan message, util::ByteSpan ctx,
                  Rnd rnd, util::MutableByteSpan sig, CpuPath path = default_path());
bool verify(ParameterSet set, util::ByteSpan pk, util::ByteSpan message, util::ByteSpan sig,
            util::ByteSpan ctx, CpuPath path = default_path());

// Algorithms 4 and 5: HashML-DSA with pre-hash `ph` (any of crypto/prehash.h).
util::Status hash_sign(ParameterSet set, util::ByteSpan sk, util::ByteSpan message,
                       util::ByteSpan ctx, PreHash ph, Rnd rnd, util::MutableByteSpan sig,
                       CpuPath path = default_path());
bool hash_verify(ParameterSet set, util::ByteSpan pk, util::ByteSpan message, util::ByteSpan sig,
                 util::ByteSpan ctx, PreHash ph, CpuPath path = default_path());

}  // namespace qpow::crypto::mldsa
