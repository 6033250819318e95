// SLH-DSA's key generation, signing and verification (FIPS 205 §9-§10, Algorithms 18-25), on the
// components in slh_dsa_{hash,wots,xmss,treehash,fors,hypertree}.*.
#include "crypto/slh_dsa.h"

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "crypto/slh_dsa_encoding.h"
#include "crypto/slh_dsa_fors.h"
#include "crypto/slh_dsa_hash.h"
#include "crypto/slh_dsa_hypertree.h"
#include "crypto/slh_dsa_params.h"
#include "util/assert.h"
#include "util/result.h"

namespace qpow::crypto::slhdsa {
namespace {

using internal::Address;
using internal::MessageParts;
using internal::Params;
using util::ByteSpan;
using util::MutableByteSpan;
using util::Status;

// M' prefix of the external interfaces: domain byte, |ctx|, ctx (and for HashSLH-DSA the OID
// and the pre-hash, at most 64 bytes).
constexpr std::size_t kMaxPreHashBytes = 64;
constexpr std::size_t kMaxPrefixBytes = 2 + kMaxContextBytes + kPreHashOidBytes + kMaxPreHashBytes;
constexpr std::uint8_t kPureDomain = 0;     // Algorithm 22 line 8: toByte(0, 1)
constexpr std::uint8_t kPreHashDomain = 1;  // Algorithm 23 line 25: toByte(1, 1)

// The parts of H_msg's digest (Algorithm 19 lines 7-12, Algorithm 20 lines 8-13).
struct DigestIndices {
  const std::uint8_t* md;
  std::uint64_t idx_tree;
  std::uint32_t idx_leaf;
};

DigestIndices split_digest(const Params& p, const std::uint8_t* digest) {
  const std::size_t tree_bits = p.h - p.hp;
  const std::uint64_t tree_mask =
      tree_bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << tree_bits) - 1;
  const std::uint8_t* tree_bytes = digest + p.md_bytes();
  const std::uint8_t* leaf_bytes = tree_bytes + p.tree_idx_bytes();
  DigestIndices out;
  out.md = digest;
  out.idx_tree = internal::to_int(tree_bytes, p.tree_idx_bytes()) & tree_mask;
  out.idx_leaf = static_cast<std::uint32_t>(internal::to_int(leaf_bytes, p.leaf_idx_bytes()) &
                                            ((std::uint64_t{1} << p.hp) - 1));
  return out;
}

// Algorithm 19 lines 13-15 / Algorithm 20 lines 14-16: the FORS key pair's address.
Address fors_address(const DigestIndices& ix) {
  Address adrs;
  adrs.set_tree(ix.idx_tree);
  adrs.set_type_and_clear(Address::Type::kForsTree);
  adrs.set_keypair(ix.idx_leaf);
  return adrs;
}

Status check_sign_inputs(const Params& p, ByteSpan sk, ByteSpan opt_rand, MutableByteSpan sig) {
  if (sk.size() != p.sk_bytes()) {
    return Status::invalid_argument(fmt::format("{} sign: secret key must be {} bytes, got {}",
                                                p.name, p.sk_bytes(), sk.size()));
  }
  if (opt_rand.size() != p.n) {
    return Status::invalid_argument(
        fmt::format("{} sign: opt_rand must be {} bytes, got {}", p.name, p.n, opt_rand.size()));
  }
  if (sig.size() != p.sig_bytes()) {
    return Status::invalid_argument(fmt::format(
        "{} sign: signature buffer must be {} bytes, got {}", p.name, p.sig_bytes(), sig.size()));
  }
  return Status::ok();
}

// Algorithm 19 (slh_sign_internal) with M' in parts; the inputs are checked.
void sign_parts(const Params& p, ByteSpan sk, MessageParts message, ByteSpan opt_rand,
                MutableByteSpan sig, CpuPath path) {
  const std::size_t n = p.n;
  const ByteSpan sk_seed = sk.subspan(0, n);
  const ByteSpan sk_prf = sk.subspan(n, n);
  const ByteSpan pk_seed = sk.subspan(2 * n, n);
  const ByteSpan pk_root = sk.subspan(3 * n, n);
  const auto hash = internal::make_hash(p, pk_seed, sk_seed, path);
  std::uint8_t* r = sig.data();
  hash->prf_msg(sk_prf, opt_rand, message, r);  // lines 3-4
  std::uint8_t digest[internal::kMaxM];
  hash->h_msg({r, n}, pk_seed, pk_root, message, digest);  // line 5
  const DigestIndices ix = split_digest(p, digest);
  std::uint8_t pk_fors[internal::kMaxN];
  std::uint8_t* sig_fors = sig.data() + n;
  internal::fors_sign(*hash, ix.md, fors_address(ix), sig_fors, pk_fors);  // lines 16-18
  internal::ht_sign(*hash, pk_fors, ix.idx_tree, ix.idx_leaf,
                    sig_fors + p.fors_sig_bytes());  // lines 19-20
}

// Algorithm 20 (slh_verify_internal) with M' in parts.
bool verify_parts(const Params& p, ByteSpan pk, MessageParts message, ByteSpan sig, CpuPath path) {
  if (pk.size() != p.pk_bytes() || sig.size() != p.sig_bytes()) return false;  // line 1
  const std::size_t n = p.n;
  const ByteSpan pk_seed = pk.subspan(0, n);
  const ByteSpan pk_root = pk.subspan(n, n);
  const auto hash = internal::make_hash(p, pk_seed, {}, path);
  std::uint8_t digest[internal::kMaxM];
  hash->h_msg(sig.subspan(0, n), pk_seed, pk_root, message, digest);  // line 7
  const DigestIndices ix = split_digest(p, digest);
  std::uint8_t pk_fors[internal::kMaxN];
  const std::uint8_t* sig_fors = sig.data() + n;
  internal::fors_pk_from_sig(*hash, sig_fors, ix.md, fors_address(ix), pk_fors);  // line 17
  return internal::ht_verify(*hash, pk_fors, sig_fors + p.fors_sig_bytes(), ix.idx_tree,
                             ix.idx_leaf, pk_root.data());  // line 18
}

// M' = domain || |ctx| || ctx || extra (Algorithm 22 line 8, Algorithm 23 line 25); returns its
// length in `prefix`.
std::size_t build_prefix(std::uint8_t domain, ByteSpan ctx, ByteSpan extra, std::uint8_t* prefix) {
  QPOW_ASSERT(ctx.size() <= kMaxContextBytes && 2 + ctx.size() + extra.size() <= kMaxPrefixBytes);
  prefix[0] = domain;
  prefix[1] = static_cast<std::uint8_t>(ctx.size());
  if (!ctx.empty()) std::memcpy(prefix + 2, ctx.data(), ctx.size());
  if (!extra.empty()) std::memcpy(prefix + 2 + ctx.size(), extra.data(), extra.size());
  return 2 + ctx.size() + extra.size();
}

// OID(PH) || PH(M) of Algorithm 23 lines 3-22 (and Algorithm 25).
util::Bytes prehash_part(PreHash ph, ByteSpan message) {
  const auto oid = prehash_oid(ph);
  util::Bytes out(oid.begin(), oid.end());
  const util::Bytes digest = prehash_digest(ph, message);
  QPOW_ASSERT(digest.size() <= kMaxPreHashBytes);
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

Status context_error(const Params& p, std::size_t size) {
  return Status::invalid_argument(fmt::format("{} sign: context must be at most {} bytes, got {}",
                                              p.name, kMaxContextBytes, size));
}

}  // namespace

void keygen_internal(ParameterSet set, ByteSpan sk_seed, ByteSpan sk_prf, ByteSpan pk_seed,
                     MutableByteSpan pk, MutableByteSpan sk, CpuPath path) {
  const Params& p = internal::params(set);
  const std::size_t n = p.n;
  QPOW_ASSERT(sk_seed.size() == n && sk_prf.size() == n && pk_seed.size() == n);
  QPOW_ASSERT(pk.size() == p.pk_bytes() && sk.size() == p.sk_bytes());
  std::uint8_t root[internal::kMaxN];
  {
    const auto hash = internal::make_hash(p, pk_seed, sk_seed, path);
    internal::ht_root(*hash, root);  // Algorithm 18 lines 1-3
  }
  // memmove: the caller may pass seeds that live inside sk or pk.
  std::memmove(sk.data(), sk_seed.data(), n);
  std::memmove(sk.data() + n, sk_prf.data(), n);
  std::memmove(sk.data() + 2 * n, pk_seed.data(), n);
  std::memcpy(sk.data() + 3 * n, root, n);
  std::memmove(pk.data(), sk.data() + 2 * n, n);
  std::memcpy(pk.data() + n, root, n);
}

Status sign_internal(ParameterSet set, ByteSpan sk, ByteSpan message_prime, ByteSpan opt_rand,
                     MutableByteSpan sig, CpuPath path) {
  const Params& p = internal::params(set);
  QPOW_RETURN_IF_ERROR(check_sign_inputs(p, sk, opt_rand, sig));
  const ByteSpan parts[] = {message_prime};
  sign_parts(p, sk, parts, opt_rand, sig, path);
  return Status::ok();
}

bool verify_internal(ParameterSet set, ByteSpan pk, ByteSpan message_prime, ByteSpan sig,
                     CpuPath path) {
  const ByteSpan parts[] = {message_prime};
  return verify_parts(internal::params(set), pk, parts, sig, path);
}

Status sign(ParameterSet set, ByteSpan sk, ByteSpan message, ByteSpan ctx, ByteSpan opt_rand,
            MutableByteSpan sig, CpuPath path) {
  const Params& p = internal::params(set);
  if (ctx.size() > kMaxContextBytes) return context_error(p, ctx.size());  // Algorithm 22 line 1
  QPOW_RETURN_IF_ERROR(check_sign_inputs(p, sk, opt_rand, sig));
  std::uint8_t prefix[kMaxPrefixBytes];
  const std::size_t prefix_len = build_prefix(kPureDomain, ctx, {}, prefix);
  const ByteSpan parts[] = {ByteSpan(prefix, prefix_len), message};
  sign_parts(p, sk, parts, opt_rand, sig, path);
  return Status::ok();
}

bool verify(ParameterSet set, ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx,
            CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return false;  // Algorithm 24 line 1
  std::uint8_t prefix[kMaxPrefixBytes];
  const std::size_t prefix_len = build_prefix(kPureDomain, ctx, {}, prefix);
  const ByteSpan parts[] = {ByteSpan(prefix, prefix_len), message};
  return verify_parts(internal::params(set), pk, parts, sig, path);
}

Status hash_sign(ParameterSet set, ByteSpan sk, ByteSpan message, ByteSpan ctx, PreHash ph,
                 ByteSpan opt_rand, MutableByteSpan sig, CpuPath path) {
  const Params& p = internal::params(set);
  if (ctx.size() > kMaxContextBytes) return context_error(p, ctx.size());  // Algorithm 23 line 1
  QPOW_RETURN_IF_ERROR(check_sign_inputs(p, sk, opt_rand, sig));
  std::uint8_t prefix[kMaxPrefixBytes];
  const std::size_t prefix_len =
      build_prefix(kPreHashDomain, ctx, prehash_part(ph, message), prefix);
  const ByteSpan parts[] = {ByteSpan(prefix, prefix_len)};
  sign_parts(p, sk, parts, opt_rand, sig, path);
  return Status::ok();
}

bool hash_verify(ParameterSet set, ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx,
                 PreHash ph, CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return false;  // Algorithm 25 line 1
  std::uint8_t prefix[kMaxPrefixBytes];
  const std::size_t prefix_len =
      build_prefix(kPreHashDomain, ctx, prehash_part(ph, message), prefix);
  const ByteSpan parts[] = {ByteSpan(prefix, prefix_len)};
  return verify_parts(internal::params(set), pk, parts, sig, path);
}

}  // namespace qpow::crypto::slhdsa
