// RocksDbStore: the KvStore on disk, one RocksDB database per directory with a column family per
// Column ("headers", "blocks", "state", "undo", "meta"; RocksDB's own "default" stays empty).
//
// Durability: every write() is one rocksdb::WriteBatch written with WriteOptions::sync, so it is
// in the write-ahead log on stable storage before write() returns, and recovery after a crash or
// power cut replays whole batches only (WAL recovery in point-in-time mode drops a torn tail, which
// can only be the one batch that had not returned). The chain needs no repair step on restart.
//
// Opening is careful about what it finds at the path:
//   - nothing: the database is built in "<dir>.qpow-creating" (left-overs of an earlier attempt
//     are removed), given its column families and format version, synced and renamed into place,
//     so a directory at the path is always a complete database;
//   - an empty directory (e.g. a container volume): the database is created in place; a crash
//     during that leaves only RocksDB's bootstrap files or empty column families, and the next
//     open finishes the job;
//   - a RocksDB database: it is first inspected read-only and refused, untouched, unless it is a
//     qpow database of a format this build reads (the u32 little-endian kFormatVersion under
//     kFormatVersionKey in the meta column). A newer format is kUnsupported, a damaged one
//     kCorruption, a foreign one kInvalidArgument;
//   - anything else (a regular file, a directory holding other files): kInvalidArgument.
// RocksDB errors become kIoError, or kCorruption where RocksDB reports corruption, with the path
// in the message. No exception leaves this class.
//
// One process at a time: RocksDB locks the directory, and a second open fails with kIoError.
// Thread-safe like every KvStore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/kv_store.h"

namespace qpow::storage {

// The meta key holding the on-disk format version; the chain keeps its own meta keys elsewhere.
inline constexpr std::string_view kFormatVersionKey = "storage/format_version";
// The format this build writes and the newest it reads. Version 1: the five column families with
// the names of column_name(), keys and values stored as given.
inline constexpr std::uint32_t kFormatVersion = 1;
// Suffix of the sibling directory a new database is built in before it is renamed into place.
inline constexpr std::string_view kCreatingSuffix = ".qpow-creating";

struct RocksDbOptions {
  // One LRU block cache shared by all column families (uncompressed data, index and filter
  // blocks). The state column's random reads are what it is for.
  std::size_t block_cache_bytes = std::size_t{256} << 20;
  // Memtable size per column family before it is flushed to a table file.
  std::size_t write_buffer_bytes = std::size_t{64} << 20;
  // Table files RocksDB keeps open (-1: all). Each costs a file descriptor.
  int max_open_files = 1024;
  // Create the database when nothing (or an empty directory) is at the path; when off, that
  // case is kNotFound.
  bool create_if_missing = true;
};

class RocksDbStore final : public KvStore {
  struct Key {
    explicit Key() = default;
  };

 public:
  struct Impl;

  // Opens (or creates, see above) the database at dir. RocksDB is tuned for a chain database:
  // paranoid checks and checksum verification on reads; LZ4 for recent data and ZSTD for the
  // bottom level where the library has them; a bloom filter (10 bits per key, about 1% false
  // positives) on the state and headers columns, whose point lookups often miss; index and filter
  // blocks kept in the block cache; dynamic level sizes.
  static util::Result<std::unique_ptr<RocksDbStore>> open(const std::string& dir,
                                                          const RocksDbOptions& options);

  RocksDbStore(Key, std::unique_ptr<Impl> impl);
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;
  // Closes the database. Every write was already synced, so closing loses nothing.
  ~RocksDbStore() override;

  util::Result<std::optional<util::Bytes>> get(Column column, util::ByteSpan key) const override;
  util::Status write(const WriteBatch& batch) override;
  util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> scan_prefix(
      Column column, util::ByteSpan prefix, std::size_t limit) const override;

  // The database directory as given to open().
  const std::string& path() const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace qpow::storage
