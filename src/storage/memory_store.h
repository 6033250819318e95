// MemoryStore: a KvStore held in memory, one ordered map per column (with a hash index for point
// reads), for unit tests, the simulator (where a simulated node "restarts" by keeping its
// MemoryStore) and the ledger benchmarks. It follows the KvStore contract exactly, bounds
// included, except that nothing survives the process. Thread-safe: reads share a lock, a write
// holds it exclusively, so a batch is seen whole or not at all.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <shared_mutex>
#include <vector>

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

  using Entry = Map::value_type;

  // A hash index for point reads, which the state layer makes thousands of per block: open
  // addressing with linear probing over a power-of-two table kept at most half full, each slot a
  // key's 64-bit hash and the map entry it names. A read touches one slot and its entry, where a
  // walk down the map (or a node-based hash map) misses the cache at every step. The index is
  // never iterated, so its order reaches nothing; entries are map nodes, which stay put until
  // erased.
  class PointIndex {
   public:
    const Entry* find(util::ByteSpan key) const;
    // `entry`'s key must not be indexed yet.
    void insert(const Entry* entry);
    // `entry` must be indexed.
    void erase(const Entry* entry);

   private:
    struct Slot {
      std::uint64_t hash = 0;
      const Entry* entry = nullptr;  // nullptr: the slot is free
    };
    void place(const Slot& slot);

    std::vector<Slot> slots_;  // empty, or a power of two in size
    std::size_t size_ = 0;
  };

  // One column: its entries in key order (for scans) and the index over the same entries.
  struct ColumnData {
    Map entries;
    PointIndex index;
  };

  mutable std::shared_mutex mutex_;
  std::array<ColumnData, kColumnCount> columns_;
};

}  // namespace qpow::storage
