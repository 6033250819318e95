// Block validity rules that need no chain state: size and count limits, the transaction,
// receipt and finality roots, each transaction's standalone rules, and no duplicate txids.
// The state-dependent rules (nonces, balances, signatures, state root) run in chain/ as the
// block is applied (chain/block_apply.h), using consensus/tx_rules.h.
#pragma once

#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "primitives/block.h"

namespace qpow::consensus {

Verdict check_block_standalone(const primitives::Block& block, const ChainParams& params);

// Subsidy plus fees the block's miner receives, or kTxAmountOverflow.
Verdict miner_reward(const primitives::Block& block, const ChainParams& params,
                     std::uint64_t& reward);

}  // namespace qpow::consensus
