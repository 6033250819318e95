#include "chain/chainstate.h"

#include <algorithm>

#include <fmt/format.h>

#include "chain/block_apply.h"
#include "chain/genesis.h"
#include "consensus/pow.h"
#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::Verdict;
using storage::Column;

util::ByteSpan key_of(const crypto::Hash256& hash) { return hash; }

util::Status corruption(std::string message) {
  return util::Status::error(util::StatusCode::kCorruption, std::move(message));
}

util::Bytes format_value() {
  util::Writer w;
  w.u32(kChainFormatVersion);
  return std::move(w).take();
}

}  // namespace

Chainstate::Chainstate(storage::KvStore& store, const consensus::ChainParams& params,
                       util::Executor& executor)
    : store_(store), state_store_(store), params_(params), executor_(executor) {}

util::Result<std::unique_ptr<Chainstate>> Chainstate::open(storage::KvStore& store,
                                                           const consensus::ChainParams& params,
                                                           util::Executor& executor) {
  std::unique_ptr<Chainstate> cs(new Chainstate(store, params, executor));
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> tip,
                        store.get(Column::kMeta, util::as_bytes(kTipKey)));
  if (!tip) QPOW_RETURN_IF_ERROR(cs->initialize_genesis());
  QPOW_RETURN_IF_ERROR(cs->load_index());
  // A crash between the blocks of a reorganisation leaves a consistent tip on the old branch;
  // carrying on towards the best chain is ordinary operation, not repair.
  QPOW_RETURN_IF_ERROR(cs->activate_best_chain());
  return cs;
}

util::Status Chainstate::initialize_genesis() {
  QPOW_ASSIGN_OR_RETURN(Genesis g, make_genesis(params_));
  const crypto::Hash256 hash = primitives::block_hash(g.block.header);
  storage::WriteBatch batch;
  storage::add_state_writes(g.state_writes, batch);
  batch.put(Column::kHeaders, key_of(hash),
            encode_header_record({.header = g.block.header,
                                  .status = static_cast<std::uint8_t>(kHaveData | kConnected)}));
  batch.put(Column::kBlocks, key_of(hash), primitives::encode_block(g.block));
  QPOW_ASSIGN_OR_RETURN(const util::Bytes undo, encode_undo({}));
  batch.put(Column::kUndo, key_of(hash), undo);
  batch.put(Column::kMeta, util::as_bytes(kFormatKey), format_value());
  batch.put(Column::kMeta, util::as_bytes(kTipKey), key_of(hash));
  return store_.write(batch);
}

util::Status Chainstate::load_index() {
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> format,
                        store_.get(Column::kMeta, util::as_bytes(kFormatKey)));
  if (!format || *format != format_value()) {
    return util::Status::unsupported(
        fmt::format("chain data format is not version {}", kChainFormatVersion));
  }
  // Headers are keyed by hash; read them one leading byte at a time to stay within the store's
  // scan bound, then insert parents before children.
  std::vector<HeaderRecord> records;
  for (unsigned first = 0; first < 256; ++first) {
    const std::uint8_t prefix = static_cast<std::uint8_t>(first);
    QPOW_ASSIGN_OR_RETURN(auto rows,
                          store_.scan_prefix(Column::kHeaders, {&prefix, 1}, storage::kScanLimitMax));
    if (rows.size() == storage::kScanLimitMax) {
      return util::Status::unsupported("block index: too many headers for one scan bucket");
    }
    for (const auto& [key, value] : rows) {
      QPOW_ASSIGN_OR_RETURN(HeaderRecord record, decode_header_record(value));
      records.push_back(std::move(record));
    }
  }
  std::sort(records.begin(), records.end(), [](const HeaderRecord& a, const HeaderRecord& b) {
    return a.header.height < b.header.height;
  });
  for (const HeaderRecord& r : records) {
    const crypto::Hash256 hash = primitives::block_hash(r.header);
    BlockIndexEntry* parent = nullptr;
    if (r.header.height != 0) {
      parent = index_.find(r.header.parent);
      if (!parent) return corruption("block index: a stored header has no stored parent");
    }
    BlockIndexEntry* e =
        index_.insert(r.header, hash, parent, consensus::header_work(r.header.bits), r.status);
    if (r.status & kFailed) index_.mark_failed(e);
  }
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> tip,
                        store_.get(Column::kMeta, util::as_bytes(kTipKey)));
  if (!tip || tip->size() != 32) return corruption("meta.tip is missing or not 32 bytes");
  crypto::Hash256 tip_hash;
  std::copy(tip->begin(), tip->end(), tip_hash.begin());
  BlockIndexEntry* entry = index_.find(tip_hash);
  if (!entry) return corruption("meta.tip names a block the index does not have");
  active_.assign(entry->height() + 1, nullptr);
  for (BlockIndexEntry* e = entry; e; e = e->parent) active_[e->height()] = e;
  return util::Status::ok();
}

const BlockIndexEntry* Chainstate::active_at(std::uint64_t height) const {
  return height < active_.size() ? active_[height] : nullptr;
}

bool Chainstate::is_active(const BlockIndexEntry& entry) const {
  return active_at(entry.height()) == &entry;
}

util::Result<std::optional<state::Account>> Chainstate::account(
    const primitives::Address& address) const {
  return state::AccountState(state_store_).get(address);
}

util::Result<consensus::SenderState> Chainstate::sender_state(
    const primitives::Address& address) const {
  QPOW_ASSIGN_OR_RETURN(const std::optional<state::Account> account, this->account(address));
  return to_sender_state(account);
}

util::Result<crypto::Hash256> Chainstate::state_root() const {
  return state::AccountState(state_store_).root();
}

util::Result<std::optional<primitives::Block>> Chainstate::read_block(
    const crypto::Hash256& hash) const {
  QPOW_ASSIGN_OR_RETURN(const std::optional<util::Bytes> bytes,
                        store_.get(Column::kBlocks, key_of(hash)));
  if (!bytes) return std::optional<primitives::Block>{};
  auto block = primitives::decode_block(*bytes);
  if (!block.is_ok()) return corruption("stored block: " + block.status().message());
  return std::optional<primitives::Block>(std::move(block).value());
}

util::Status Chainstate::persist_status(const BlockIndexEntry& entry) {
  storage::WriteBatch batch;
  batch.put(Column::kHeaders, key_of(entry.hash),
            encode_header_record({.header = entry.header, .status = entry.status}));
  return store_.write(batch);
}

}  // namespace qpow::chain
