// SLH-DSA (FIPS 205, August 2024): the stateless hash-based signature standard, all twelve
// parameter sets (SHA2 and SHAKE; security categories 1, 3, 5; "s" small and "f" fast).
//
// Interfaces, as in the standard:
//   - internal (Algorithms 18-20): keys from SK.seed, SK.prf and PK.seed; signing and verifying
//     a formatted message M' with the randomizer input opt_rand (PK.seed for the deterministic
//     variant, n fresh random bytes for the randomized one);
//   - pure SLH-DSA (Algorithms 22, 24): M' = 0 || |ctx| || ctx || M, context 0..255 bytes;
//   - HashSLH-DSA (Algorithms 23, 25): M' = 1 || |ctx| || ctx || OID(PH) || PH(M).
// Keys and signatures are encoded exactly as the standard: pk = PK.seed || PK.root,
// sk = SK.seed || SK.prf || PK.seed || PK.root.
//
// Malformed input never crashes: verification returns false for a public key or signature of
// the wrong length; signing fails with an error for a secret key of the wrong length or a
// context longer than 255 bytes. `path` selects single-state or multi-way Keccak hashing for the
// SHAKE sets (every path gives the same bytes). Secret values are wiped before returning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "crypto/cpu_features.h"
#include "crypto/prehash.h"
#include "util/bytes.h"
#include "util/status.h"

namespace qpow::crypto::slhdsa {

enum class ParameterSet : std::uint8_t {
  kSha2_128s,
  kShake_128s,
  kSha2_128f,
  kShake_128f,
  kSha2_192s,
  kShake_192s,
  kSha2_192f,
  kShake_192f,
  kSha2_256s,
  kShake_256s,
  kSha2_256f,
  kShake_256f,
};

inline constexpr std::size_t kMaxContextBytes = 255;

// "SLH-DSA-SHA2-128s", "SLH-DSA-SHAKE-256f", ... (the standard's and ACVP's names).
std::string_view name(ParameterSet set);
std::optional<ParameterSet> parse_name(std::string_view name);

struct Sizes {
  std::size_t n;           // security parameter: 16, 24 or 32 bytes
  std::size_t public_key;  // 2n
  std::size_t secret_key;  // 4n
  std::size_t signature;   // 7856 (128s) ... 49856 (256f)
};
Sizes sizes(ParameterSet set);

CpuPath default_path();  // active_cpu_selection().path

// Algorithm 18, slh_keygen_internal(SK.seed, SK.prf, PK.seed): each n bytes (asserted), pk and
// sk of sizes(set) lengths (asserted).
void keygen_internal(ParameterSet set, util::ByteSpan sk_seed, util::ByteSpan sk_prf,
                     util::ByteSpan pk_seed, util::MutableByteSpan pk, util::MutableByteSpan sk,
                     CpuPath path = default_path());

// Algorithm 19, slh_sign_internal(M', SK, addrnd): opt_rand is n bytes (PK.seed for the
// deterministic variant). sig must have sizes(set).signature bytes. A secret key, opt_rand or
// signature buffer of another length is an invalid_argument Status (nothing is written then).
util::Status sign_internal(ParameterSet set, util::ByteSpan sk, util::ByteSpan message_prime,
                           util::ByteSpan opt_rand, util::MutableByteSpan sig,
                           CpuPath path = default_path());
// Algorithm 20, slh_verify_internal(M', SIG, PK).
bool verify_internal(ParameterSet set, util::ByteSpan pk, util::ByteSpan message_prime,
                     util::ByteSpan sig, CpuPath path = default_path());

// Algorithms 22 and 24: pure SLH-DSA with a context string. opt_rand as above. Signing with a
// context over kMaxContextBytes is an invalid_argument Status; verifying with one is false.
util::Status sign(ParameterSet set, util::ByteSpan sk, util::ByteSpan message, util::ByteSpan ctx,
                  util::ByteSpan opt_rand, util::MutableByteSpan sig,
                  CpuPath path = default_path());
bool verify(ParameterSet set, util::ByteSpan pk, util::ByteSpan message, util::ByteSpan sig,
            util::ByteSpan ctx, CpuPath path = default_path());

// Algorithms 23 and 25: HashSLH-DSA with pre-hash `ph`.
util::Status hash_sign(ParameterSet set, util::ByteSpan sk, util::ByteSpan message,
                       util::ByteSpan ctx, PreHash ph, util::ByteSpan opt_rand,
                       util::MutableByteSpan sig, CpuPath path = default_path());
bool hash_verify(ParameterSet set, util::ByteSpan pk, util::ByteSpan message, util::ByteSpan sig,
                 util::ByteSpan ctx, PreHash ph, CpuPath path = default_path());

}  // namespace qpow::crypto::slhdsa
