#include "crypto/slh_dsa_hypertree.h"

#include <cstring>

#include "crypto/slh_dsa_xmss.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

Address tree_address(std::size_t layer, std::uint64_t tree) {
  Address adrs;
  adrs.set_layer(static_cast<std::uint32_t>(layer));
  adrs.set_tree(tree);
  return adrs;
}

}  // namespace

void ht_sign(const TweakableHash& hash, const std::uint8_t* msg, std::uint64_t idx_tree,
             std::uint32_t idx_leaf, std::uint8_t* sig) {
  const Params& p = hash.params();
  const std::uint32_t leaf_mask = (std::uint32_t{1} << p.hp) - 1;
  std::uint8_t root[kMaxN];
  std::memcpy(root, msg, p.n);
  for (std::size_t j = 0; j < p.d; ++j) {
    // Layer j signs the root of layer j - 1 (for j = 0, the message): lines 1-3 and 8-13.
    const XmssSignRequest request{idx_leaf, root, sig + j * p.xmss_sig_bytes()};
    xmss_tree(hash, tree_address(j, idx_tree), &request, root);
    idx_leaf = static_cast<std::uint32_t>(idx_tree) & leaf_mask;  // lines 6-7
    idx_tree >>= p.hp;
  }
}

bool ht_verify(const TweakableHash& hash, const std::uint8_t* msg, const std::uint8_t* sig,
               std::uint64_t idx_tree, std::uint32_t idx_leaf, const std::uint8_t* pk_root) {
  const Params& p = hash.params();
  const std::uint32_t leaf_mask = (std::uint32_t{1} << p.hp) - 1;
  std::uint8_t node[kMaxN];
  std::memcpy(node, msg, p.n);
  for (std::size_t j = 0; j < p.d; ++j) {
    xmss_pk_from_sig(hash, tree_address(j, idx_tree), idx_leaf, sig + j * p.xmss_sig_bytes(), node,
                     node);
    idx_leaf = static_cast<std::uint32_t>(idx_tree) & leaf_mask;
    idx_tree >>= p.hp;
  }
  return std::memcmp(node, pk_root, p.n) == 0;  // line 16; public values, no need for constant time
}

void ht_root(const TweakableHash& hash, std::uint8_t* root) {
  const Params& p = hash.params();
  xmss_tree(hash, tree_address(p.d - 1, 0), nullptr, root);
}

}  // namespace qpow::crypto::slhdsa::internal
