// Internal: SLH-DSA's hash functions for the SHA2 parameter sets (FIPS 205 §11.2). With
// pad(x) = toByte(0, x) and ADRS^c the 22-byte compressed address:
//
//   security category 1 (n = 16, §11.2.1), SHA-256 throughout:
//     PRF        = Trunc_n(SHA-256(PK.seed || pad(64 - n) || ADRS^c || SK.seed))
//     F, H, T_l  = Trunc_n(SHA-256(PK.seed || pad(64 - n) || ADRS^c || M))
//     PRF_msg    = Trunc_n(HMAC-SHA-256(SK.prf, opt_rand || M))
//     H_msg      = MGF1-SHA-256(R || PK.seed || SHA-256(R || PK.seed || PK.root || M), m)
//   categories 3 and 5 (n = 24, 32, §11.2.2): PRF and F as above (SHA-256); H and T_l use
//     SHA-512 with pad(128 - n); PRF_msg uses HMAC-SHA-512 and H_msg MGF1-SHA-512 / SHA-512.
//
// PRF, F, H and T_l continue from the state after their common first block (compressed once per
// key), so F, H and PRF cost one compression each. Those calls use qpow's own compression
// functions (slh_dsa_sha2_block.h): portable C++ on the portable path, SHA-NI otherwise when the
// CPU has it, with the four-lane calls run as four interleaved SHA-256 streams. Measured with
// bench_slh_dsa on the project's Zen 3 machine (medians of 3 repetitions, several runs): one F call
// costs 72-86 ns alone and 30-36 ns within a four-lane call, against 113-142 ns through OpenSSL's
// EVP interface (a prepared context copied per call, the only way EVP resumes a SHA-256 state), and
// SHA2-128f key generation is 3.7-4.4 times faster than with OpenSSL. PRF_msg and H_msg, called
// once per signature over the whole message, use OpenSSL, whose speed is adequate there.
#pragma once

#include <memory>

#include "crypto/slh_dsa_hash.h"

namespace qpow::crypto::slhdsa::internal {

std::unique_ptr<TweakableHash> make_sha2_hash(const Params& p, util::ByteSpan pk_seed,
                                              util::ByteSpan sk_seed, CpuPath path);

}  // namespace qpow::crypto::slhdsa::internal
