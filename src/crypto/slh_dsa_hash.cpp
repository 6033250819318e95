#include "crypto/slh_dsa_hash.h"

#include "crypto/slh_dsa_hash_sha2.h"
#include "crypto/slh_dsa_hash_shake.h"
#include "util/assert.h"

namespace qpow::crypto::slhdsa::internal {

void TweakableHash::prf_x4(const AddressLanes& adrs, const OutLanes& out, std::size_t count) const {
  QPOW_ASSERT(count <= kLanes);
  for (std::size_t j = 0; j < count; ++j) prf(adrs[j], out[j]);
}

void TweakableHash::thash_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                             const OutLanes& out, std::size_t count) const {
  QPOW_ASSERT(count <= kLanes);
  for (std::size_t j = 0; j < count; ++j) thash(adrs[j], in[j], blocks, out[j]);
}

void TweakableHash::chain_x4(AddressLanes& adrs, const OutLanes& values, const ChainStarts& start,
                             std::uint32_t steps, std::size_t count) const {
  QPOW_ASSERT(count <= kLanes);
  for (std::size_t j = 0; j < count; ++j) {
    for (std::uint32_t i = start[j]; i < start[j] + steps; ++i) {
      adrs[j].set_hash(i);
      thash(adrs[j], values[j], 1, values[j]);
    }
  }
}

std::unique_ptr<TweakableHash> make_hash(const Params& p, util::ByteSpan pk_seed,
                                         util::ByteSpan sk_seed, CpuPath path) {
  QPOW_ASSERT(pk_seed.size() == p.n);
  QPOW_ASSERT(sk_seed.empty() || sk_seed.size() == p.n);
  if (p.family == HashFamily::kShake) return make_shake_hash(p, pk_seed, sk_seed, path);
  return make_sha2_hash(p, pk_seed, sk_seed, path);
}

}  // namespace qpow::crypto::slhdsa::internal
