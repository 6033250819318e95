#include "storage/state_store.h"

namespace qpow::storage {

util::Result<std::optional<util::Bytes>> StateStore::get(util::ByteSpan key) const {
  return store_.get(Column::kState, key);
}

void add_state_writes(const state::StateWrites& writes, WriteBatch& batch) {
  for (const state::StateWrites::Entry& w : writes) {
    if (w.value) {
      batch.put(Column::kState, w.key, *w.value);
    } else {
      batch.erase(Column::kState, w.key);
    }
  }
}

}  // namespace qpow::storage
