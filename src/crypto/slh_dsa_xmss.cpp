#include "crypto/slh_dsa_xmss.h"

#include <cstring>

#include "crypto/slh_dsa_treehash.h"
#include "crypto/slh_dsa_wots.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

// The leaves of an XMSS tree: WOTS+ public keys (Algorithm 9 lines 2-3), four key pairs per call;
// the signing leaf's WOTS+ signature is captured when its group comes up.
class WotsLeaves final : public LeafSource {
 public:
  WotsLeaves(const TweakableHash& hash, const Address& tree_adrs, const XmssSignRequest* sign,
             const std::uint32_t* digits)
      : hash_(hash), tree_adrs_(tree_adrs), sign_(sign), digits_(digits) {}

  void leaves_x4(std::uint32_t first, std::uint8_t* out) override {
    WotsCapture capture{};
    const bool signing_here =
        sign_ != nullptr && sign_->leaf >= first && sign_->leaf - first < kLanes;
    if (signing_here) capture = {sign_->leaf - first, digits_, sign_->sig};
    wots_pk_gen_x4(hash_, tree_adrs_, first, signing_here ? &capture : nullptr, out);
  }

 private:
  const TweakableHash& hash_;
  const Address& tree_adrs_;
  const XmssSignRequest* sign_;
  const std::uint32_t* digits_;
};

}  // namespace

void xmss_tree(const TweakableHash& hash, const Address& tree_adrs, const XmssSignRequest* sign,
               std::uint8_t* root) {
  const Params& p = hash.params();
  std::uint32_t digits[kMaxLen];
  if (sign != nullptr) wots_digits(p, sign->msg, digits);
  WotsLeaves leaves(hash, tree_adrs, sign, digits);
  TreeJob job{};
  job.height = p.hp;
  job.node_adrs = tree_adrs;
  job.node_adrs.set_type_and_clear(Address::Type::kTree);
  job.index_base = 0;
  if (sign != nullptr) {
    job.auth_leaf = sign->leaf;
    job.auth = sign->sig + p.wots_sig_bytes();  // Algorithm 10 line 8: SIG_XMSS = sig || AUTH
  }
  tree_root(hash, job, leaves, root);
}

void xmss_pk_from_sig(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t idx,
                      const std::uint8_t* sig, const std::uint8_t* msg, std::uint8_t* root) {
  const Params& p = hash.params();
  const std::size_t n = p.n;
  std::uint8_t node[kMaxN];
  wots_pk_from_sig(hash, tree_adrs, idx, sig, msg, node);  // lines 1-5
  const std::uint8_t* auth = sig + p.wots_sig_bytes();
  Address adrs = tree_adrs;
  adrs.set_type_and_clear(Address::Type::kTree);
  std::uint8_t pair[2 * kMaxN];
  for (std::size_t k = 0; k < p.hp; ++k) {  // lines 8-17
    adrs.set_tree_height(static_cast<std::uint32_t>(k + 1));
    adrs.set_tree_index(idx >> (k + 1));
    const bool left = ((idx >> k) & 1) == 0;
    std::memcpy(pair + (left ? 0 : n), node, n);
    std::memcpy(pair + (left ? n : 0), auth + k * n, n);
    hash.thash(adrs, pair, 2, node);
  }
  std::memcpy(root, node, n);
}

}  // namespace qpow::crypto::slhdsa::internal
