#include "crypto/slh_dsa_fors.h"

#include <algorithm>
#include <cstring>

#include "crypto/secure_memory.h"
#include "crypto/slh_dsa_encoding.h"
#include "crypto/slh_dsa_treehash.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

// The leaves of FORS tree `tree`: F(PK.seed, ADRS, fors_skGen(...)) (Algorithm 15 lines 2-5), four
// per call. The secret value of the leaf being revealed is copied into the signature (Algorithm
// 16 line 4); every other secret value is wiped once hashed.
class ForsLeaves final : public LeafSource {
 public:
  ForsLeaves(const TweakableHash& hash, const Address& adrs, std::uint32_t index_base,
             std::uint32_t revealed, std::uint8_t* sk_out)
      : hash_(hash), index_base_(index_base), revealed_(revealed), sk_out_(sk_out) {
    // Algorithm 14 lines 1-3: fors_skGen's address.
    sk_adrs_ = adrs;
    sk_adrs_.set_type_and_clear(Address::Type::kForsPrf);
    sk_adrs_.set_keypair(adrs.keypair());
    leaf_adrs_ = adrs;
  }

  void leaves_x4(std::uint32_t first, std::uint8_t* out) override {
    const std::size_t n = hash_.params().n;
    std::uint8_t sk[kLanes][kMaxN];
    AddressLanes sk_adrs;
    AddressLanes leaf_adrs;
    for (std::size_t j = 0; j < kLanes; ++j) {
      const auto index = static_cast<std::uint32_t>(index_base_ + first + j);
      sk_adrs[j] = sk_adrs_;
      sk_adrs[j].set_tree_index(index);
      leaf_adrs[j] = leaf_adrs_;
      leaf_adrs[j].set_tree_height(0);
      leaf_adrs[j].set_tree_index(index);
    }
    hash_.prf_x4(sk_adrs, {sk[0], sk[1], sk[2], sk[3]}, kLanes);
    if (revealed_ >= first && revealed_ - first < kLanes) {
      std::memcpy(sk_out_, sk[revealed_ - first], n);
    }
    hash_.thash_x4(leaf_adrs, {sk[0], sk[1], sk[2], sk[3]}, 1,
                   {out, out + n, out + 2 * n, out + 3 * n}, kLanes);
    secure_wipe(sk, sizeof sk);
  }

 private:
  const TweakableHash& hash_;
  Address sk_adrs_;
  Address leaf_adrs_;
  std::uint32_t index_base_;
  std::uint32_t revealed_;
  std::uint8_t* sk_out_;
};

void fors_pk_from_roots(const TweakableHash& hash, const Address& adrs, const std::uint8_t* roots,
                        std::uint8_t* pk) {
  // Algorithm 17 lines 21-24: PK_FORS = T_k(PK.seed, forspkADRS, root).
  Address pk_adrs = adrs;
  pk_adrs.set_type_and_clear(Address::Type::kForsRoots);
  pk_adrs.set_keypair(adrs.keypair());
  hash.thash(pk_adrs, roots, hash.params().k, pk);
}

}  // namespace

void fors_sign(const TweakableHash& hash, const std::uint8_t* md, const Address& adrs,
               std::uint8_t* sig, std::uint8_t* pk) {
  const Params& p = hash.params();
  const std::size_t n = p.n;
  std::uint32_t indices[kMaxK];
  base_2b(md, static_cast<unsigned>(p.a), p.k, indices);  // line 2
  std::uint8_t roots[kMaxK * kMaxN];
  for (std::size_t i = 0; i < p.k; ++i) {
    const auto index_base = static_cast<std::uint32_t>(i << p.a);
    std::uint8_t* tree_sig = sig + i * (p.a + 1) * n;  // sk, then AUTH (a n bytes)
    ForsLeaves leaves(hash, adrs, index_base, indices[i], tree_sig);
    TreeJob job{};
    job.height = p.a;
    job.node_adrs = adrs;
    job.index_base = index_base;
    job.auth_leaf = indices[i];
    job.auth = tree_sig + n;
    tree_root(hash, job, leaves, roots + i * n);
  }
  fors_pk_from_roots(hash, adrs, roots, pk);
}

void fors_pk_from_sig(const TweakableHash& hash, const std::uint8_t* sig, const std::uint8_t* md,
                      const Address& adrs, std::uint8_t* pk) {
  const Params& p = hash.params();
  const std::size_t n = p.n;
  std::uint32_t indices[kMaxK];
  base_2b(md, static_cast<unsigned>(p.a), p.k, indices);  // line 1
  std::uint8_t roots[kMaxK * kMaxN];
  // Four trees at a time: the leaf (lines 3-6), then one level of every path per call (7-17).
  for (std::size_t t = 0; t < p.k; t += kLanes) {
    const std::size_t lanes = std::min(kLanes, p.k - t);
    AddressLanes node_adrs;
    InLanes in{};
    OutLanes out{};
    std::uint32_t index[kLanes] = {};
    std::uint8_t pairs[kLanes][2 * kMaxN];
    for (std::size_t j = 0; j < lanes; ++j) {
      const std::size_t i = t + j;
      index[j] = static_cast<std::uint32_t>((i << p.a) + indices[i]);
      node_adrs[j] = adrs;
      node_adrs[j].set_tree_height(0);
      node_adrs[j].set_tree_index(index[j]);
      in[j] = sig + i * (p.a + 1) * n;
      out[j] = roots + i * n;
    }
    hash.thash_x4(node_adrs, in, 1, out, lanes);
    for (std::size_t z = 0; z < p.a; ++z) {
      for (std::size_t j = 0; j < lanes; ++j) {
        const std::uint8_t* auth = sig + (t + j) * (p.a + 1) * n + (1 + z) * n;
        const bool left = ((index[j] >> z) & 1) == 0;
        std::memcpy(pairs[j] + (left ? 0 : n), out[j], n);
        std::memcpy(pairs[j] + (left ? n : 0), auth, n);
        node_adrs[j].set_tree_height(static_cast<std::uint32_t>(z + 1));
        node_adrs[j].set_tree_index(index[j] >> (z + 1));
        in[j] = pairs[j];
      }
      hash.thash_x4(node_adrs, in, 2, out, lanes);
    }
  }
  fors_pk_from_roots(hash, adrs, roots, pk);
}

}  // namespace qpow::crypto::slhdsa::internal
