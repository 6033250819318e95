// The genesis block of a network, derived from its parameters (consensus/chain_params.h): the
// header has height 0, the all-zero parent, genesis_time and genesis_bits, empty transaction,
// receipt and finality roots, and the state root of the genesis allocations.
#pragma once

#include "consensus/chain_params.h"
#include "primitives/block.h"
#include "state/node_store.h"
#include "util/result.h"

namespace qpow::chain {

struct Genesis {
  primitives::Block block;
  state::StateWrites state_writes;  // what an empty store needs to hold the genesis state
};

util::Result<Genesis> make_genesis(const consensus::ChainParams& params);

}  // namespace qpow::chain
