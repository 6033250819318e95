// Internal: the twelve SLH-DSA parameter sets (FIPS 205 §11, Table 2) and the sizes that follow
// from them (FIPS 205 §5-§9). Every set uses lg_w = 4, so w = 16 and len2 = 3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/slh_dsa.h"

namespace qpow::crypto::slhdsa::internal {

enum class HashFamily : std::uint8_t {
  kShake,  // FIPS 205 §11.1
  kSha2,   // FIPS 205 §11.2
};

// FIPS 205 §5: Winternitz parameter, fixed for all approved sets.
inline constexpr std::size_t kLgW = 4;
inline constexpr std::uint32_t kW = 16;
inline constexpr std::size_t kLen2 = 3;

// Bounds over all twelve sets, for fixed-size buffers.
inline constexpr std::size_t kMaxN = 32;
inline constexpr std::size_t kMaxLen = 2 * kMaxN + kLen2;  // 67 WOTS+ chains
inline constexpr std::size_t kMaxTreeHeight = 14;          // max(a, h')
inline constexpr std::size_t kMaxK = 35;                   // FORS trees
inline constexpr std::size_t kMaxD = 22;                   // hypertree layers
inline constexpr std::size_t kMaxM = 49;                   // H_msg output bytes

struct Params {
  ParameterSet set;
  std::string_view name;
  HashFamily family;
  std::size_t n;   // security parameter (bytes)
  std::size_t h;   // total hypertree height
  std::size_t d;   // hypertree layers
  std::size_t hp;  // h' = h / d, height of one XMSS tree
  std::size_t a;   // height of a FORS tree
  std::size_t k;   // number of FORS trees
  std::size_t m;   // H_msg output bytes

  constexpr std::size_t len1() const { return 8 * n / kLgW; }
  constexpr std::size_t len() const { return len1() + kLen2; }
  constexpr std::size_t wots_sig_bytes() const { return len() * n; }
  constexpr std::size_t xmss_sig_bytes() const { return (len() + hp) * n; }
  constexpr std::size_t fors_sig_bytes() const { return k * (a + 1) * n; }
  constexpr std::size_t ht_sig_bytes() const { return d * xmss_sig_bytes(); }
  // FIPS 205 Algorithm 20 line 1: n (R) + k(1 + a)n (SIG_FORS) + (h + d len)n (SIG_HT).
  constexpr std::size_t sig_bytes() const { return n + fors_sig_bytes() + ht_sig_bytes(); }
  constexpr std::size_t pk_bytes() const { return 2 * n; }
  constexpr std::size_t sk_bytes() const { return 4 * n; }
  // FIPS 205 Algorithm 19 lines 7-9: how the H_msg digest splits into md, idx_tree, idx_leaf.
  constexpr std::size_t md_bytes() const { return (k * a + 7) / 8; }
  constexpr std::size_t tree_idx_bytes() const { return (h - hp + 7) / 8; }
  constexpr std::size_t leaf_idx_bytes() const { return (hp + 7) / 8; }
  // SHA2 sets of security category 1 use SHA-256 for H, T_l, H_msg and PRF_msg; categories 3
  // and 5 use SHA-512 there (FIPS 205 §11.2.1, §11.2.2).
  constexpr bool sha2_uses_sha512() const { return family == HashFamily::kSha2 && n > 16; }
};

const Params& params(ParameterSet set);

}  // namespace qpow::crypto::slhdsa::internal
