// Internal: the keyed hash functions SLH-DSA is built from (FIPS 205 §4.1), bound to one key:
//   PRF(PK.seed, SK.seed, ADRS), F / H / T_l(PK.seed, ADRS, M), and per message
//   PRF_msg(SK.prf, opt_rand, M) and H_msg(R, PK.seed, PK.root, M).
// The tweakable hashes F, H and T_l differ only in how many n-byte blocks they take (1, 2, l),
// so they share one entry point, thash(). The SHAKE (§11.1) and SHA2 (§11.2) instantiations
// derive from TweakableHash.
//
// The "_x4" forms do up to four independent calls at once (lanes 0 .. count-1); this is where
// the multi-way Keccak earns its keep. The defaults here loop over the one-call forms. Inputs are
// read before any output is written, so out[j] may equal in[j].
//
// Lifetime: an object keeps pointers to PK.seed and SK.seed (which the caller owns and wipes);
// it copies no secret itself. Buffers that hold SK.seed or SK.prf on the way into a hash are
// wiped; the working state of a hash computation (Keccak lanes, SHA-2 rounds) lives in registers
// and stack slots the compiler chooses, and is not.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "crypto/cpu_features.h"
#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_params.h"
#include "util/bytes.h"

namespace qpow::crypto::slhdsa::internal {

inline constexpr std::size_t kLanes = 4;
using AddressLanes = std::array<Address, kLanes>;
using InLanes = std::array<const std::uint8_t*, kLanes>;
using OutLanes = std::array<std::uint8_t*, kLanes>;
using ChainStarts = std::array<std::uint32_t, kLanes>;

// M' of Algorithms 19/20, given as consecutive parts so that a long message need not be copied
// behind its prefix (pure SLH-DSA: 0 || |ctx| || ctx, then M).
using MessageParts = std::span<const util::ByteSpan>;

class TweakableHash {
 public:
  explicit TweakableHash(const Params& p) : params_(p) {}
  virtual ~TweakableHash() = default;
  TweakableHash(const TweakableHash&) = delete;
  TweakableHash& operator=(const TweakableHash&) = delete;

  const Params& params() const { return params_; }

  // PRF(PK.seed, SK.seed, ADRS): n bytes. Only for objects made with SK.seed.
  virtual void prf(const Address& adrs, std::uint8_t* out) const = 0;
  // F (blocks = 1), H (2) or T_l (l): n bytes from blocks * n input bytes.
  virtual void thash(const Address& adrs, const std::uint8_t* in, std::size_t blocks,
                     std::uint8_t* out) const = 0;

  virtual void prf_x4(const AddressLanes& adrs, const OutLanes& out, std::size_t count) const;
  virtual void thash_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                        const OutLanes& out, std::size_t count) const;
  // Algorithm 5, chain(X, i, s, PK.seed, ADRS), on up to four chains in lock-step, each from its
  // own position: values[j] (n bytes) goes in as X = chain value at start[j] and comes out as
  // the value `steps` positions further. adrs[j] carries the chain's layer, tree, key pair and
  // chain address; its hash address is set here and left undefined.
  virtual void chain_x4(AddressLanes& adrs, const OutLanes& values, const ChainStarts& start,
                        std::uint32_t steps, std::size_t count) const;

  // PRF_msg(SK.prf, opt_rand, M): n bytes.
  virtual void prf_msg(util::ByteSpan sk_prf, util::ByteSpan opt_rand, MessageParts message,
                       std::uint8_t* out) const = 0;
  // H_msg(R, PK.seed, PK.root, M): m bytes.
  virtual void h_msg(util::ByteSpan r, util::ByteSpan pk_seed, util::ByteSpan pk_root,
                     MessageParts message, std::uint8_t* out) const = 0;

 private:
  const Params& params_;
};

// The instantiation for p's hash family. pk_seed is n bytes; sk_seed is n bytes or empty (then
// prf() must not be called). `path` picks the implementation (every path gives the same bytes).
std::unique_ptr<TweakableHash> make_hash(const Params& p, util::ByteSpan pk_seed,
                                         util::ByteSpan sk_seed, CpuPath path);

}  // namespace qpow::crypto::slhdsa::internal
