// The state transition of one block, computed without writing anything:
//
//   1. one sequential pass over the transactions in block order, against the parent's state plus
//      the changes so far: nonce, funds and key rules (consensus/tx_rules.h), debits, credits and
//      key updates; it records, for every transaction, the key its signature must verify under;
//   2. every signature verified in parallel on the executor (the expensive part: a block of
//      1,000 ML-DSA-65 transfers is 1,000 independent verifications);
//   3. the miner's subsidy and fees credited to header.miner;
//   4. the new state root and the writes that produce it, and the undo record.
//
// The caller (chainstate) compares the root with header.state_root and commits the writes, undo
// record and tip in one batch. Templates use the same function to learn the root a new block
// must carry.
#pragma once

#include "chain/chain_records.h"
#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "consensus/tx_rules.h"
#include "primitives/block.h"
#include "state/sparse_merkle_tree.h"
#include "util/executor.h"
#include "util/result.h"

namespace qpow::chain {

struct BlockEffects {
  state::AccountChanges changes;  // every touched account's value after the block
  UndoRecord undo;                // the same accounts' values before it, in address order
  crypto::Hash256 state_root{};
  state::StateWrites writes;
};

struct ApplyOutcome {
  consensus::Verdict verdict;  // the first broken rule, in block order
  BlockEffects effects;        // meaningful only when verdict is ok
};

// An I/O or corruption error from the store is an error; a broken rule is a verdict.
util::Result<ApplyOutcome> apply_block(const primitives::Block& block,
                                       const state::AccountState& state,
                                       const consensus::ChainParams& params,
                                       util::Executor& executor);

consensus::SenderState to_sender_state(const std::optional<state::Account>& account);
state::Account to_account(const consensus::SenderState& sender);

}  // namespace qpow::chain
