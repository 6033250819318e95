// Runs NIST ACVP ML-DSA vector files (FIPS 204 keyGen, sigGen, sigVer; JSON as described in
// ../shared/vectors/README.md) against qpow's ML-DSA on one CPU path. Each runner checks every
// case it can apply with gtest EXPECTs and returns how many it checked.
#pragma once

#include <cstddef>
#include <filesystem>

#include "crypto/cpu_features.h"

namespace qpow::crypto::mldsa::test {

// keyGen internalProjection: seed -> (pk, sk).
std::size_t run_acvp_keygen(const std::filesystem::path& file, CpuPath path);
// sigGen prompt + expectedResults, joined on tgId / tcId.
std::size_t run_acvp_siggen(const std::filesystem::path& prompt,
                            const std::filesystem::path& expected, CpuPath path);
// sigVer internalProjection: (pk, message or mu, context, hashAlg, signature) -> testPassed.
std::size_t run_acvp_sigver(const std::filesystem::path& file, CpuPath path);

}  // namespace qpow::crypto::mldsa::test
