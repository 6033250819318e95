// Chainstate: accepting headers and blocks, fork choice, connecting and disconnecting blocks.
#include <fmt/format.h>

#include "chain/block_apply.h"
#include "chain/chainstate.h"
#include "consensus/block_rules.h"
#include "consensus/header_rules.h"
#include "consensus/pow.h"
#include "util/assert.h"
#include "util/hex.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::Verdict;
using storage::Column;

util::ByteSpan key_of(const crypto::Hash256& hash) { return hash; }

Verdict invalid_ancestor(const BlockIndexEntry& entry) {
  return Verdict::reject(
      RejectReason::kInvalidAncestor,
      fmt::format("block {} at height {} is or descends from an invalid block",
                  util::to_hex(entry.hash), entry.height()));
}

}  // namespace

util::Result<Verdict> Chainstate::check_header(const primitives::BlockHeader& header,
                                               std::uint64_t adjusted_time,
                                               BlockIndexEntry*& parent) const {
  parent = nullptr;
  QPOW_RETURN_IF_REJECTED(consensus::check_header_standalone(header, params_));
  parent = const_cast<BlockIndex&>(index_).find(header.parent);
  if (!parent || header.height == 0) {
    return Verdict::reject(RejectReason::kUnknownParent,
                           fmt::format("parent {} is not known", util::to_hex(header.parent)));
  }
  if (parent->failed()) return invalid_ancestor(*parent);
  const consensus::HeaderContext ctx{.parent_hash = parent->hash,
                                     .parent_height = parent->height(),
                                     .parent_time = parent->header.time,
                                     .median_time_past = BlockIndex::median_time_past(parent),
                                     .adjusted_time = adjusted_time};
  return consensus::check_header_contextual(header, ctx, params_);
}

util::Result<Verdict> Chainstate::accept_header(const primitives::BlockHeader& header,
                                                std::uint64_t adjusted_time) {
  const crypto::Hash256 hash = primitives::block_hash(header);
  if (const BlockIndexEntry* known = index_.find(hash)) {
    return known->failed() ? invalid_ancestor(*known) : Verdict::ok();
  }
  BlockIndexEntry* parent = nullptr;
  QPOW_ASSIGN_OR_RETURN(Verdict v, check_header(header, adjusted_time, parent));
  // Headers that fail on their own (bad proof of work, unknown parent, too far in the future)
  // are not stored: they cost nothing to re-check and storing them would let anyone fill the
  // index. A header with valid work that breaks a contextual rule, or extends an invalid block,
  // is remembered as invalid so its descendants are refused at once.
  const bool remember = !v.is_ok() && parent != nullptr &&
                        v.reason() != RejectReason::kTimeTooNew &&
                        v.reason() != RejectReason::kUnknownParent;
  if (!v.is_ok() && !remember) return v;
  BlockIndexEntry* entry =
      index_.insert(header, hash, parent, consensus::header_work(header.bits), 0);
  if (!v.is_ok() && !entry->failed()) index_.mark_failed(entry);
  QPOW_RETURN_IF_ERROR(persist_status(*entry));
  return v;
}

namespace {

// True when the block's transactions or finality section are not what its header commits to.
// Only called on a block that already failed a rule, so the extra hashing is off the hot path.
bool body_mismatches_header(const primitives::Block& block) {
  return block.header.tx_root != primitives::compute_tx_root(block.txs) ||
         block.header.finality_root != primitives::compute_finality_root(block.finality);
}

}  // namespace

util::Result<Verdict> Chainstate::accept_block(const primitives::Block& block,
                                               std::uint64_t adjusted_time) {
  QPOW_ASSIGN_OR_RETURN(Verdict v, accept_header(block.header, adjusted_time));
  if (!v.is_ok()) return v;
  const crypto::Hash256 hash = primitives::block_hash(block.header);
  BlockIndexEntry* entry = index_.find(hash);
  QPOW_ASSERT(entry != nullptr);
  if (entry->status & kHaveData) return Verdict::ok();
  v = consensus::check_block_standalone(block, params_);
  if (!v.is_ok() && body_mismatches_header(block)) {
    // A valid header with a body that is not the one it commits to (altered in transit, or by a
    // peer): refuse the body but keep the header, so the real block can still be accepted.
    return v;
  }
  if (!v.is_ok()) {
    index_.mark_failed(entry);
    QPOW_RETURN_IF_ERROR(persist_status(*entry));
    return v;
  }
  storage::WriteBatch batch;
  batch.put(Column::kBlocks, key_of(hash), primitives::encode_block(block));
  batch.put(Column::kHeaders, key_of(hash),
            encode_header_record({.header = entry->header,
                                  .status = static_cast<std::uint8_t>(entry->status | kHaveData)}));
  QPOW_RETURN_IF_ERROR(store_.write(batch));
  index_.mark_have_data(entry);
  last_failure_ = Verdict::ok();
  last_failed_ = nullptr;
  QPOW_RETURN_IF_ERROR(activate_best_chain());
  if (entry->failed()) {
    if (last_failed_ == entry) return last_failure_;
    return invalid_ancestor(*entry);
  }
  return Verdict::ok();
}

util::Status Chainstate::activate_best_chain() {
  for (;;) {
    BlockIndexEntry* best = index_.best_candidate();
    if (best == nullptr || best == active_.back()) return util::Status::ok();
    const BlockIndexEntry* fork = BlockIndex::fork_point(active_.back(), best);
    while (active_.back() != fork) QPOW_RETURN_IF_ERROR(disconnect_tip());
    std::vector<BlockIndexEntry*> path;
    for (BlockIndexEntry* e = best; e != fork; e = e->parent) path.push_back(e);
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      QPOW_ASSIGN_OR_RETURN(const Verdict v, connect(*it));
      if (!v.is_ok()) break;  // marked failed; choose again
    }
  }
}

util::Result<Verdict> Chainstate::connect(BlockIndexEntry* entry) {
  QPOW_ASSERT(entry->parent == active_.back());
  QPOW_ASSIGN_OR_RETURN(std::optional<primitives::Block> block, read_block(entry->hash));
  if (!block) return util::Status::error(util::StatusCode::kCorruption, "block data missing");
  const state::AccountState state(state_store_);
  QPOW_ASSIGN_OR_RETURN(ApplyOutcome outcome, apply_block(*block, state, params_, executor_));
  Verdict v = outcome.verdict;
  if (v.is_ok() && outcome.effects.state_root != entry->header.state_root) {
    v = Verdict::reject(RejectReason::kBadStateRoot,
                        "header.state_root is not the state after the block's transactions");
  }
  if (!v.is_ok()) {
    index_.mark_failed(entry);
    last_failed_ = entry;
    last_failure_ = v;
    QPOW_RETURN_IF_ERROR(persist_status(*entry));
    return v;
  }
  storage::WriteBatch batch;
  storage::add_state_writes(outcome.effects.writes, batch);
  QPOW_ASSIGN_OR_RETURN(const util::Bytes undo, encode_undo(outcome.effects.undo));
  batch.put(Column::kUndo, key_of(entry->hash), undo);
  batch.put(Column::kHeaders, key_of(entry->hash),
            encode_header_record({.header = entry->header,
                                  .status = static_cast<std::uint8_t>(entry->status | kConnected)}));
  batch.put(Column::kMeta, util::as_bytes(kTipKey), key_of(entry->hash));
  QPOW_RETURN_IF_ERROR(store_.write(batch));
  entry->status |= kConnected;
  active_.push_back(entry);
  if (notifications_) notifications_->block_connected(*block);
  return Verdict::ok();
}

util::Status Chainstate::disconnect_tip() {
  BlockIndexEntry* entry = active_.back();
  QPOW_ASSERT(entry->parent != nullptr);
  QPOW_ASSIGN_OR_RETURN(std::optional<primitives::Block> block, read_block(entry->hash));
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> undo_bytes,
                        store_.get(Column::kUndo, key_of(entry->hash)));
  if (!block || !undo_bytes) {
    return util::Status::error(util::StatusCode::kCorruption,
                               "disconnect: block or undo data missing for the tip");
  }
  QPOW_ASSIGN_OR_RETURN(const UndoRecord undo, decode_undo(*undo_bytes));
  state::AccountChanges previous(undo.begin(), undo.end());
  const state::AccountState state(state_store_);
  QPOW_ASSIGN_OR_RETURN(state::StateUpdate update, state.apply(previous));
  if (update.root != entry->parent->header.state_root) {
    return util::Status::error(util::StatusCode::kCorruption,
                               "disconnect: undo data does not restore the parent's state root");
  }
  storage::WriteBatch batch;
  storage::add_state_writes(update.writes, batch);
  batch.erase(Column::kUndo, key_of(entry->hash));
  batch.put(Column::kMeta, util::as_bytes(kTipKey), key_of(entry->parent->hash));
  QPOW_RETURN_IF_ERROR(store_.write(batch));
  active_.pop_back();
  if (notifications_) notifications_->block_disconnected(*block);
  return util::Status::ok();
}

util::Result<std::pair<Verdict, primitives::Block>> Chainstate::assemble_block(
    const BlockAssembly& assembly) const {
  const BlockIndexEntry& parent = tip();
  primitives::Block block;
  block.txs = assembly.txs;
  primitives::BlockHeader& h = block.header;
  h.version = primitives::kHeaderVersion;
  h.chain_id = params_.chain_id;
  h.height = parent.height() + 1;
  h.time = std::max(assembly.time, BlockIndex::median_time_past(&parent) + 1);
  QPOW_ASSIGN_OR_RETURN(h.bits, consensus::required_bits(params_, parent.height(),
                                                         parent.header.time));
  h.parent = parent.hash;
  h.tx_root = primitives::compute_tx_root(block.txs);
  h.receipt_root = primitives::empty_receipt_root();
  h.finality_root = primitives::compute_finality_root({});
  h.miner = assembly.miner;
  h.extra = assembly.extra;
  Verdict v = consensus::check_block_standalone(block, params_);
  if (!v.is_ok()) return std::pair{v, block};
  const state::AccountState state(state_store_);
  QPOW_ASSIGN_OR_RETURN(ApplyOutcome outcome, apply_block(block, state, params_, executor_));
  h.state_root = outcome.effects.state_root;
  return std::pair{outcome.verdict, block};
}

}  // namespace qpow::chain
