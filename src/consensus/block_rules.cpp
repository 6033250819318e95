#include "consensus/block_rules.h"

#include <set>

#include <fmt/format.h>

#include "consensus/tx_rules.h"

namespace qpow::consensus {

Verdict check_block_standalone(const primitives::Block& block, const ChainParams& params) {
  if (block.txs.size() > primitives::kBlockTxCountMax) {
    return Verdict::reject(RejectReason::kBlockTooLarge,
                           fmt::format("{} transactions, the limit is {}", block.txs.size(),
                                       primitives::kBlockTxCountMax));
  }
  const std::size_t size = primitives::block_size(block);
  if (size > primitives::kBlockBytesMax) {
    return Verdict::reject(RejectReason::kBlockTooLarge,
                           fmt::format("{} bytes, the limit is {}", size,
                                       primitives::kBlockBytesMax));
  }
  if (block.header.tx_root != primitives::compute_tx_root(block.txs)) {
    return Verdict::reject(RejectReason::kBadTxRoot,
                           "header.tx_root is not the merkle root of the block's wtxids");
  }
  if (block.header.receipt_root != primitives::empty_receipt_root()) {
    return Verdict::reject(RejectReason::kBadReceiptRoot,
                           "header.receipt_root must be the empty root (no receipts yet)");
  }
  if (!block.finality.empty()) {
    return Verdict::reject(RejectReason::kBadFinality,
                           "the finality section must be empty on this version");
  }
  if (block.header.finality_root != primitives::compute_finality_root(block.finality)) {
    return Verdict::reject(RejectReason::kBadFinality,
                           "header.finality_root does not commit to the finality section");
  }
  std::set<crypto::Hash256> seen;
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const primitives::Transaction& tx = block.txs[i];
    Verdict v = check_tx_standalone(tx, params);
    if (!v.is_ok()) return Verdict::reject(v.reason(), fmt::format("txs[{}]: {}", i, v.message()));
    if (tx.shard != block.header.shard) {
      return Verdict::reject(RejectReason::kTxWrongShard,
                             fmt::format("txs[{}]: shard {} in a block of shard {}", i, tx.shard,
                                         block.header.shard));
    }
    if (!seen.insert(primitives::txid(tx)).second) {
      return Verdict::reject(RejectReason::kTxDuplicate,
                             fmt::format("txs[{}]: the same txid appears earlier", i));
    }
  }
  return Verdict::ok();
}

Verdict miner_reward(const primitives::Block& block, const ChainParams& params,
                     std::uint64_t& reward) {
  reward = block_subsidy(params, block.header.height);
  for (const primitives::Transaction& tx : block.txs) {
    QPOW_RETURN_IF_REJECTED(credit(reward, tx.fee));
  }
  return Verdict::ok();
}

}  // namespace qpow::consensus
