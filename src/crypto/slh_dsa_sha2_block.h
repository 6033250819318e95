// Internal: the SHA-256 and SHA-512 compression functions (FIPS 180-4 §6.2.2, §6.4.2), for the
// SHA2 parameter sets of SLH-DSA. Their tweakable hashes F, H, PRF and T_l all start with the
// same block, PK.seed || toByte(0, 64 - n) (SHA-256) or toByte(0, 128 - n) (SHA-512), so SLH-DSA
// compresses it once per key and continues from that state for every call (slh_dsa_hash_sha2.cpp;
// bench_slh_dsa.cpp measures this against OpenSSL's EVP interface).
//
// SHA-256 has two implementations: portable C++, and the x86 SHA extensions (SHA-NI), which need
// cpu_features().sha. SHA-512 is portable only (x86 has no SHA-512 instructions before Arrow Lake).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace qpow::crypto::slhdsa::internal {

inline constexpr std::size_t kSha256BlockBytes = 64;
inline constexpr std::size_t kSha512BlockBytes = 128;
using Sha256State = std::array<std::uint32_t, 8>;
using Sha512State = std::array<std::uint64_t, 8>;

// FIPS 180-4 §5.3.3 and §5.3.5.
inline constexpr Sha256State kSha256Init = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
inline constexpr Sha512State kSha512Init = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64
// primes.
inline constexpr std::array<std::uint32_t, 64> kSha256RoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Compress `blocks` consecutive 64-byte blocks into state.
void sha256_compress_portable(Sha256State& state, const std::uint8_t* data, std::size_t blocks);
// The same with SHA-NI; only when sha256_shani_supported().
void sha256_compress_shani(Sha256State& state, const std::uint8_t* data, std::size_t blocks);
// One block into each of `count` (1 .. 4) independent states, their instructions interleaved:
// SHA256RNDS2 has a latency of several cycles, which the other streams fill.
inline constexpr std::size_t kSha256ShaNiMaxLanes = 4;
void sha256_compress_shani_lanes(std::size_t count, Sha256State* const* states,
                                 const std::uint8_t* const* blocks);
bool sha256_shani_supported();

// Compress `blocks` consecutive 128-byte blocks into state.
void sha512_compress(Sha512State& state, const std::uint8_t* data, std::size_t blocks);

}  // namespace qpow::crypto::slhdsa::internal
