// StateStore: the state layer's NodeStore (state/node_store.h) over Column::kState of a KvStore.
// The state layer reads tree nodes and account records through it and hands back every change as
// a StateWrites set; add_state_writes() stages that set into the WriteBatch that connects the
// block, so state, undo data and tip reach the disk together or not at all (DESIGN §4).
//
// State keys are opaque to storage and stored exactly as given, with no prefix: the column holds
// nothing else.
#pragma once

#include "state/node_store.h"
#include "storage/kv_store.h"

namespace qpow::storage {

class StateStore final : public state::NodeStore {
 public:
  // Reads go to `store`, which must outlive this object.
  explicit StateStore(const KvStore& store) : store_(store) {}

  util::Result<std::optional<util::Bytes>> get(util::ByteSpan key) const override;

 private:
  const KvStore& store_;
};

// Appends every write of `writes` to `batch` as a put (a value) or an erase (nullopt) in
// Column::kState, in the set's key order.
void add_state_writes(const state::StateWrites& writes, WriteBatch& batch);

}  // namespace qpow::storage
