#include "storage/state_store.h"

namespace qpow::storage {

util::Result<std::optional<util::Bytes>> StateStore::get(util::ByteSpan key) const {
  return store_.get(Column::kState, key);
}

void add_state_writes(const state::StateWrites& writes, WriteBatch& batch) {
  for (const auto& [key, value] : writes) {
    if (value) {
      batch.put(Column::kState, key, *value);
    } else {
      batch.erase(Column::kState, key);
    }
  }
}

}  // namespace qpow::storage
