// SWIFFT (Lyubashevsky, Micciancio, Peikert, Rosen, FSE 2008): a lattice-based compression
// function, here with n = 64 and p = 257.
//
// The input is m blocks of 64 bits. Block i is read as the polynomial x_i(X) = sum_k b_k X^k
// whose coefficient b_k is bit k % 8 (least significant first) of byte 8i + k / 8. The output is
//
//     z = sum_i a_i * x_i   in  Z_257[X] / (X^64 + 1),
//
// a polynomial with 64 coefficients in [0, 256], where the keys a_i are fixed polynomials
// expanded from SHAKE256 (see swifft_key). The product is computed with the negacyclic
// number-theoretic transform over Z_257. SWIFFT is linear: if x and y have no bit in common,
// SWIFFT(x | y) = SWIFFT(x) + SWIFFT(y), which is what lets a miner add only the nonce block's
// contribution to a precomputed sum.
//
// Key expansion: SHAKE256 of the ASCII tag "qpow/swifft/v1/keys" is read as 16-bit little-endian
// words; a word w < 65535 gives the coefficient w mod 257, the word 65535 is skipped (so every
// residue is equally likely). Coefficients fill a_0[0..63], then a_1, ..., up to
// kSwifftMaxBlocks keys.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::crypto {

inline constexpr std::size_t kSwifftN = 64;
inline constexpr std::uint32_t kSwifftP = 257;
inline constexpr std::size_t kSwifftBlockBytes = 8;
inline constexpr std::size_t kSwifftMaxBlocks = 64;  // inputs of up to 512 bytes
inline constexpr std::size_t kSwifftPackedBytes = 72;
inline constexpr std::string_view kSwifftKeyTag = "qpow/swifft/v1/keys";

// A polynomial of Z_257[X] / (X^64 + 1): coefficient k of X^k, each in [0, 256].
using SwifftPoly = std::array<std::uint16_t, kSwifftN>;
using SwifftPacked = std::array<std::uint8_t, kSwifftPackedBytes>;

// Key polynomial a_i, i < kSwifftMaxBlocks.
const SwifftPoly& swifft_key(std::size_t i);

// SWIFFT of `input`, which must be 1 to kSwifftMaxBlocks whole 8-byte blocks.
util::Result<SwifftPoly> swifft(util::ByteSpan input);

// Packs the 64 coefficients into 72 bytes: bytes 0..63 hold each coefficient mod 256, and bytes
// 64..71 are a little-endian 64-bit word whose bit k is set when coefficient k is 256.
SwifftPacked swifft_pack(const SwifftPoly& z);
// The inverse of swifft_pack; rejects encodings of values above 256.
util::Result<SwifftPoly> swifft_unpack(std::span<const std::uint8_t, kSwifftPackedBytes> packed);

// The negacyclic NTT over Z_257 used above, exposed for tests: forward evaluates a polynomial at
// the 64 odd powers of psi = 9, a primitive 128th root of unity (in bit-reversed order); inverse
// undoes it. Inputs must be reduced (coefficients in [0, 256]); outputs are reduced.
void swifft_ntt_forward(SwifftPoly& a);
void swifft_ntt_inverse(SwifftPoly& a);

}  // namespace qpow::crypto
