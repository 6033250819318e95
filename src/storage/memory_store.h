// MemoryStore: a KvStore held in memory, one ordered map per column, for unit tests and the
// simulator (where a simulated node "restarts" by keeping its MemoryStore). It follows the
// KvStore contract exactly, bounds included, except that nothing survives the process.
// Thread-safe: reads share a lock, a write holds it exclusively, so a batch is seen whole or not
// at all.
#pragma once

#include <array>
#include <map>
#include <shared_mutex>

#include "storage/kv_store.h"

namespace qpow::storage {

class MemoryStore final : public KvStore {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  util::Result<std::optional<util::Bytes>> get(Column column, util::ByteSpan key) const override;
  // Checks the whole batch, then applies it under the write lock: a batch over a bound changes
  // nothing, and readers never see part of one.
  util::Status write(const WriteBatch& batch) override;
  util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> scan_prefix(
      Column column, util::ByteSpan prefix, std::size_t limit) const override;

  // Entries in a column; for tests.
  std::size_t entry_count(Column column) const;

 private:
  // Bytewise order with lookups by ByteSpan, the order RocksDB's default comparator uses.
  struct BytesLess {
    using is_transparent = void;
    bool operator()(util::ByteSpan a, util::ByteSpan b) const;
  };
  using Map = std::map<util::Bytes, util::Bytes, BytesLess>;

  mutable std::shared_mutex mutex_;
  std::array<Map, kColumnCount> columns_;
};

}  // namespace qpow::storage
