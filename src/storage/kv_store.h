// KvStore: the ordered key-value store under the chain (DESIGN §4, "Storage"). Data lives in five
// columns, one RocksDB column family each: headers, blocks, state (the sparse Merkle tree's nodes
// and account records, see state_store.h), undo data and metadata (the tip marker and friends).
// Keys and values are opaque bytes; keys sort bytewise (unsigned, shorter prefix first), the same
// in every implementation, so a prefix scan returns the same entries in the same order from the
// RocksDB store and from the in-memory one.
//
// A WriteBatch collects puts and erases across columns; KvStore::write applies it atomically and
// durably: after a crash at any moment either the whole batch is on disk or none of it is. This is
// what lets the chain connect a block, its state changes, its undo data and the new tip in one
// step that needs no repair on recovery.
//
// Every key, value, batch and scan has a bound (the k...Max constants below); write() checks the
// whole batch before applying any of it, so a batch over a bound changes nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::storage {

enum class Column : std::uint8_t { kHeaders, kBlocks, kState, kUndo, kMeta };

inline constexpr std::size_t kColumnCount = 5;
inline constexpr std::array<Column, kColumnCount> kAllColumns = {
    Column::kHeaders, Column::kBlocks, Column::kState, Column::kUndo, Column::kMeta};

// The column family name on disk: "headers", "blocks", "state", "undo", "meta". Stable: changing
// one is a format change.
std::string_view column_name(Column column);
// The column's index in kAllColumns (0 .. kColumnCount-1).
std::size_t column_index(Column column);

// Keys are hashes with short prefixes or small names; 1 KiB leaves room without inviting abuse.
inline constexpr std::size_t kKeyBytesMax = 1024;
// The largest single value: a serialized block or its undo data, with room above the 32 MiB that
// any one length-prefixed field may carry (util::kCompactSizeMax).
inline constexpr std::size_t kValueBytesMax = std::size_t{64} << 20;
// One batch connects one block. The chain's block limits keep a block's batch far below these;
// they exist so that a bug cannot grow one write without bound.
inline constexpr std::size_t kBatchOpsMax = std::size_t{1} << 21;
inline constexpr std::size_t kBatchBytesMax = std::size_t{256} << 20;
// The most entries one scan_prefix call returns.
inline constexpr std::size_t kScanLimitMax = std::size_t{1} << 16;

// An ordered list of puts and erases. Applying it is equivalent to applying the operations one by
// one in order (so a later operation on the same key wins), but all at once.
class WriteBatch {
 public:
  struct Op {
    Column column = Column::kMeta;
    util::Bytes key;
    std::optional<util::Bytes> value;  // nullopt: erase
  };

  void put(Column column, util::ByteSpan key, util::ByteSpan value);
  // Erasing a key that is not there is not an error.
  void erase(Column column, util::ByteSpan key);

  // Number of operations.
  std::size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  // Key and value bytes of all operations together.
  std::size_t bytes() const { return bytes_; }
  const std::vector<Op>& ops() const { return ops_; }
  void clear();

 private:
  std::vector<Op> ops_;
  std::size_t bytes_ = 0;
};

// Checks a batch against kKeyBytesMax, kValueBytesMax, kBatchOpsMax and kBatchBytesMax. Every
// KvStore calls it before applying anything; the error names the operation and column.
util::Status check_write_batch(const WriteBatch& batch);
// Checks a get's key against kKeyBytesMax.
util::Status check_get(Column column, util::ByteSpan key);
// Checks a scan's prefix against kKeyBytesMax and its limit against kScanLimitMax.
util::Status check_scan(Column column, util::ByteSpan prefix, std::size_t limit);

// Implementations are safe to call from several threads at once; a write is seen by a read
// either entirely or not at all.
class KvStore {
 public:
  virtual ~KvStore() = default;

  // The value under key in column, or nullopt. Errors: a key over kKeyBytesMax (out of range),
  // I/O or corruption.
  virtual util::Result<std::optional<util::Bytes>> get(Column column, util::ByteSpan key) const = 0;

  // Applies the whole batch atomically and durably (synced to disk before it returns, where there
  // is a disk). On error nothing of the batch was applied.
  virtual util::Status write(const WriteBatch& batch) = 0;

  // Up to `limit` (at most kScanLimitMax) entries of column whose key starts with prefix, in key
  // order. An empty prefix scans from the first key. Meant for index-like columns: the caller
  // chooses a limit that keeps the values it asks for in memory.
  virtual util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> scan_prefix(
      Column column, util::ByteSpan prefix, std::size_t limit) const = 0;
};

}  // namespace qpow::storage
