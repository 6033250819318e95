// Chainstate: the node's view of the chain. It accepts headers and blocks in any order of
// arrival, keeps the block index, chooses the best chain (chain/block_index.h), and moves the
// stored account state to its tip by disconnecting blocks down to the fork point and connecting
// the new branch, each block in one synced write batch (chain/chain_records.h). Invalid blocks
// and their descendants are remembered and never reconsidered.
//
// Results: an error Status means the store failed (I/O, corruption) and the node should stop;
// a Verdict says whether the offered header or block is valid. Not thread-safe: the node calls
// it from one thread; only signature checks fan out, through the executor.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <memory>
#include <optional>
#include <vector>

#include "chain/block_index.h"
#include "chain/mempool.h"
#include "chain/notifications.h"
#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "primitives/block.h"
#include "state/account.h"
#include "storage/kv_store.h"
#include "storage/state_store.h"
#include "util/executor.h"
#include "util/result.h"

namespace qpow::chain {

// What a new block on top of the tip needs besides its transactions (for templates and tests).
struct BlockAssembly {
  std::vector<primitives::Transaction> txs;
  primitives::Address miner{};
  std::uint64_t time = 0;  // raised to median time past + 1 if lower
  std::array<std::uint8_t, primitives::kHeaderExtraBytes> extra{};
};

// The tip's accounts are what the mempool validates against (SenderStateSource).
class Chainstate final : public SenderStateSource {
 public:
  // Opens the chain in `store`, writing the genesis block first if the store is empty. The store,
  // params and executor must outlive the chainstate.
  static util::Result<std::unique_ptr<Chainstate>> open(storage::KvStore& store,
                                                        const consensus::ChainParams& params,
                                                        util::Executor& executor);

  void set_notifications(Notifications* notifications) { notifications_ = notifications; }

  // Validates and stores a header (kUnknownParent if its parent is not known yet).
  util::Result<consensus::Verdict> accept_header(const primitives::BlockHeader& header,
                                                 std::uint64_t adjusted_time);
  // Validates and stores a block, then moves to the best chain.
  util::Result<consensus::Verdict> accept_block(const primitives::Block& block,
                                                std::uint64_t adjusted_time);

  const BlockIndexEntry& tip() const { return *active_.back(); }
  const BlockIndexEntry& genesis() const { return *active_.front(); }
  const BlockIndexEntry* find(const crypto::Hash256& hash) const { return index_.find(hash); }
  // The active chain's block at `height`, or null above the tip.
  const BlockIndexEntry* active_at(std::uint64_t height) const;
  bool is_active(const BlockIndexEntry& entry) const;

  util::Result<std::optional<state::Account>> account(const primitives::Address& address) const;
  util::Result<std::optional<primitives::Block>> read_block(const crypto::Hash256& hash) const;
  util::Result<crypto::Hash256> state_root() const;
  util::Result<consensus::SenderState> sender_state(
      const primitives::Address& address) const override;

  // The block that would extend the tip with these transactions: header fields filled (height,
  // parent, bits, roots including the state root), nonce 0 and no proof of work yet. The
  // verdict rejects transactions that break a rule.
  util::Result<std::pair<consensus::Verdict, primitives::Block>> assemble_block(
      const BlockAssembly& assembly) const;

  const consensus::ChainParams& params() const { return params_; }

 private:
  Chainstate(storage::KvStore& store, const consensus::ChainParams& params,
             util::Executor& executor);
  util::Status initialize_genesis();
  util::Status load_index();
  util::Result<consensus::Verdict> check_header(const primitives::BlockHeader& header,
                                                std::uint64_t adjusted_time,
                                                BlockIndexEntry*& parent) const;
  util::Status activate_best_chain();
  util::Status disconnect_tip();
  // Connects `entry` on top of the tip; a broken rule marks it failed and returns the verdict.
  util::Result<consensus::Verdict> connect(BlockIndexEntry* entry);
  util::Status persist_status(const BlockIndexEntry& entry);

  storage::KvStore& store_;
  storage::StateStore state_store_;
  const consensus::ChainParams& params_;
  util::Executor& executor_;
  Notifications* notifications_ = nullptr;
  BlockIndex index_;
  std::vector<BlockIndexEntry*> active_;  // genesis .. tip
  // The block whose connection failed last, and why (so accept_block can report it).
  const BlockIndexEntry* last_failed_ = nullptr;
  consensus::Verdict last_failure_;
};

}  // namespace qpow::chain
