// Adversarial node behaviours. Each is a NodeHooks over a real node::Node (its chain, mempool and
// peer handling stay the honest code); the hooks change what it sends and what it does with the
// blocks its miner solves, and tick() lets it act on its own schedule.
//
//   selfish         Eyal and Sirer, "Majority is not enough" (2014): keeps its solved blocks to
//                   itself while ahead; publishes everything when the honest chain comes within
//                   one block of its lead of two or more, or ties it.
//   invalid-blocks  every block it solves is replaced by a copy with a wrong state root (and a
//                   fresh, valid proof of work for that header) sent to all its peers unasked.
//   equivocate      solves a second block at each height and sends it to half its peers while
//                   its node announces the first to everyone: two valid, conflicting blocks.
//   flood           each tick sends every peer an inventory of kFloodInvItems made-up
//                   transaction ids and a transaction with a forged signature spending an honest
//                   account's coins.
//
// A forged transaction, an invalid block and garbage are offences the honest node code scores
// (a ban); withholding and equivocation in proof of work are not detectable offences, only
// strategies, so honest nodes are expected to survive them rather than ban them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "consensus/chain_params.h"
#include "primitives/address.h"
#include "sim/scenario.h"
#include "sim/sim_network.h"

namespace qpow::sim {

inline constexpr std::uint64_t kAdversaryTickMs = 500;
inline constexpr std::size_t kFloodInvItems = 500;

class Adversary : public NodeHooks {
 public:
  virtual void tick(SimNetwork& net, std::size_t node) { (void)net, (void)node; }
  // Offences the honest code can detect (invalid blocks, forged transactions).
  virtual bool detectable() const { return false; }
  std::uint64_t actions() const { return actions_; }

 protected:
  std::uint64_t actions_ = 0;
};

struct AdversaryContext {
  const consensus::ChainParams* params = nullptr;
  primitives::Address victim{};   // a funded account that never spends: a forger's target
  util::Bytes victim_public_key;  // its ML-DSA-65 public key (known to the attacker)
  // The highest tip among honest nodes (what a selfish miner watches).
  std::function<std::uint64_t()> public_height;
};

std::shared_ptr<Adversary> make_adversary(Behavior behavior, const AdversaryContext& context);

// A transaction spending `victim`'s coins with a signature that is not the victim's: the body is
// valid (nonce 0, the victim's real public key), the signature is random bytes of the right
// length: what a forger without the secret key can send.
primitives::Transaction forged_transfer(const consensus::ChainParams& params,
                                        const primitives::Address& victim,
                                        util::ByteSpan victim_public_key,
                                        const primitives::Address& to, Rng& rng);

// Mines `block` again after a change to its header (a fresh nonce search at its target).
primitives::Block remine(const consensus::ChainParams& params, primitives::Block block);

}  // namespace qpow::sim
