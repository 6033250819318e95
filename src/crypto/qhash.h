// qhash v1, qpow's proof-of-work hash (DESIGN §4; the byte-level definition with test vectors
// is in docs/protocol.md):
//
//     qhash(H) = cSHAKE256(X = H || pack(SWIFFT(H)), L = 256, N = "", S = "qpow/pow/v1")
//
// for a header encoding H of exactly 280 bytes whose last 8 bytes are the nonce (a little-endian
// u64). SWIFFT runs over H's 35 blocks of 64 bits; the nonce is block 34 on its own.
//
// The layout is chosen so that, with the fixed part of the header absorbed once (QhashPrefix),
// each nonce costs one Keccak-f[1600] permutation plus one SWIFFT block: cSHAKE256's rate is 136
// bytes, its customization fills the first block, the 272 fixed header bytes fill the next two,
// and the last block holds the nonce (8 bytes), the packed SWIFFT digest (72 bytes) and the
// padding. SWIFFT is linear, so the nonce block's contribution is added to a precomputed sum.
//
// What this buys: domain separation from every other SHA-3 use, and a lattice layer in the
// input. It does not make proof of work immune to Grover's algorithm; no hash function can.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/keccak.h"
#include "crypto/sha3.h"
#include "crypto/swifft.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::crypto {

inline constexpr std::size_t kQhashHeaderBytes = 280;
inline constexpr std::size_t kQhashNonceOffset = 272;
inline constexpr std::string_view kQhashCustomization = "qpow/pow/v1";

using QhashHeader = std::span<const std::uint8_t, kQhashHeaderBytes>;
using QhashFixedPart = std::span<const std::uint8_t, kQhashNonceOffset>;

// The definition: SWIFFT, pack, then cSHAKE256 over the full input, step by step.
Hash256 qhash(QhashHeader header);
// qhash of caller-supplied bytes, which must be exactly kQhashHeaderBytes long.
util::Result<Hash256> qhash_checked(util::ByteSpan header);

// The fixed part of a header (everything before the nonce) prepared once; then any nonce is
// hashed with one permutation. Results equal qhash() of the full header. Immutable after
// construction, so one prefix may be shared by many threads.
class QhashPrefix {
 public:
  explicit QhashPrefix(QhashFixedPart fixed);

  Hash256 hash(std::uint64_t nonce) const;
  // 4 or 8 nonces at once on the multi-state permutation of `backend`.
  void hash_x4(std::span<const std::uint64_t, 4> nonces, std::span<Hash256, 4> out,
               const KeccakBackend& backend = keccak_active_backend()) const;
  void hash_x8(std::span<const std::uint64_t, 8> nonces, std::span<Hash256, 8> out,
               const KeccakBackend& backend = keccak_active_backend()) const;

 private:
  // The 10 words of the last block that depend on the nonce: the nonce, then the packed digest.
  static constexpr std::size_t kNonceWords = 1 + kSwifftPackedBytes / 8;
  using NonceWords = std::array<std::uint64_t, kNonceWords>;
  NonceWords nonce_words(std::uint64_t nonce, CpuPath path) const;
  template <std::size_t N>
  void hash_many(std::span<const std::uint64_t, N> nonces, std::span<Hash256, N> out,
                 const KeccakBackend& backend) const;

  // The sponge state at the start of the last block, with the padding of that block already
  // XORed in (it does not depend on the nonce).
  KeccakState last_block_base_{};
  // SWIFFT of the header with a zero nonce.
  SwifftPoly swifft_fixed_{};
};

}  // namespace qpow::crypto
