#include "chain/genesis.h"

#include "state/sparse_merkle_tree.h"

namespace qpow::chain {
namespace {

class EmptyNodeStore final : public state::NodeStore {
 public:
  util::Result<std::optional<util::Bytes>> get(util::ByteSpan) const override {
    return std::optional<util::Bytes>{};
  }
};

}  // namespace

util::Result<Genesis> make_genesis(const consensus::ChainParams& params) {
  state::AccountChanges allocations;
  for (const auto& a : params.genesis_allocations) {
    state::Account account;
    account.balance = a.amount;
    allocations[a.address] = account;
  }
  const EmptyNodeStore empty;
  const state::AccountState state(empty);
  QPOW_ASSIGN_OR_RETURN(state::StateUpdate update, state.apply(allocations));

  Genesis g;
  primitives::BlockHeader& h = g.block.header;
  h.version = primitives::kHeaderVersion;
  h.chain_id = params.chain_id;
  h.shard = 0;
  h.height = 0;
  h.time = params.genesis_time;
  h.bits = params.genesis_bits;
  h.tx_root = primitives::compute_tx_root({});
  h.state_root = update.root;
  h.receipt_root = primitives::empty_receipt_root();
  h.finality_root = primitives::compute_finality_root({});
  g.state_writes = std::move(update.writes);
  return g;
}

}  // namespace qpow::chain
