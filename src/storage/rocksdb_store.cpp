#include "storage/rocksdb_store.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include "util/assert.h"

namespace qpow::storage {
namespace {

namespace fs = std::filesystem;

// Bloom filter size: 10 bits per key gives about 1% false positives (RocksDB wiki, "RocksDB Bloom
// Filter"), which spares a disk read for almost every lookup of an absent state node or header.
constexpr double kBloomBitsPerKey = 10.0;
// Info log files (LOG, LOG.old.*) kept in the database directory.
constexpr std::size_t kInfoLogFilesKept = 5;
constexpr std::size_t kFormatVersionBytes = 4;

// How a database is opened read-write: an existing one as it is, or a new (or unfinished) one
// with its column families created.
enum class OpenMode : std::uint8_t { kExisting, kCreate };

// What open() found at the path.
enum class PathKind : std::uint8_t { kMissing, kEmptyOrBootstrap, kDatabase };

// What the read-only inspection of an existing RocksDB database concluded.
enum class Verdict : std::uint8_t { kReady, kUnfinishedCreation };

std::string quote(const std::string& path) {
  return "'" + path + "'";
}

util::Status to_status(const rocksdb::Status& status, std::string_view action,
                       const std::string& path) {
  if (status.ok()) return util::Status::ok();
  const util::StatusCode code =
      status.IsCorruption() ? util::StatusCode::kCorruption : util::StatusCode::kIoError;
  return util::Status::error(
      code, "rocksdb " + std::string(action) + " at " + quote(path) + ": " + status.ToString());
}

util::Status fs_error(std::string_view action, const fs::path& path, const std::error_code& ec) {
  return util::Status::io_error(std::string(action) + " " + quote(path.string()) + ": " +
                                ec.message());
}

// Runs body, turning any exception (allocation failure, a library throwing) into a Status, so
// that none crosses this layer's boundary.
template <class Body>
auto without_exceptions(std::string_view action, const std::string& path, Body&& body) noexcept
    -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return util::Status::error(
        util::StatusCode::kInternal,
        "storage " + std::string(action) + " at " + quote(path) + ": " + e.what());
  } catch (...) {
    return util::Status::error(
        util::StatusCode::kInternal,
        "storage " + std::string(action) + " at " + quote(path) + ": unknown exception");
  }
}

rocksdb::Slice to_slice(util::ByteSpan bytes) {
  // A Slice must not hold a null pointer even when empty: RocksDB compares with memcmp.
  static constexpr char kEmpty = 0;
  if (bytes.empty()) return rocksdb::Slice(&kEmpty, 0);
  return rocksdb::Slice(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

util::Bytes slice_bytes(const rocksdb::Slice& slice) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(slice.data());
  return util::Bytes(data, data + slice.size());
}

// ---- options ----------------------------------------------------------------------------------

rocksdb::DBOptions make_db_options(const RocksDbOptions& options, OpenMode mode) {
  rocksdb::DBOptions db;
  db.create_if_missing = mode == OpenMode::kCreate;
  db.create_missing_column_families = mode == OpenMode::kCreate;
  // Refuse to open, and stop writing, on any inconsistency RocksDB detects.
  db.paranoid_checks = true;
  // Sync writes mean only the batch in flight can be torn; point-in-time recovery drops exactly
  // that tail and keeps every batch before it.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.max_open_files = options.max_open_files;
  db.keep_log_file_num = kInfoLogFilesKept;
  return db;
}

// LZ4 (fast) for data that will be rewritten soon and ZSTD (smaller) for the bottom level, which
// holds most of the data, where this RocksDB build supports them.
std::pair<rocksdb::CompressionType, rocksdb::CompressionType> pick_compression() {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  const auto has = [&](rocksdb::CompressionType type) {
    return std::find(supported.begin(), supported.end(), type) != supported.end();
  };
  rocksdb::CompressionType fast = rocksdb::kNoCompression;
  if (has(rocksdb::kLZ4Compression)) {
    fast = rocksdb::kLZ4Compression;
  } else if (has(rocksdb::kSnappyCompression)) {
    fast = rocksdb::kSnappyCompression;
  }
  const rocksdb::CompressionType bottom = has(rocksdb::kZSTD) ? rocksdb::kZSTD : fast;
  return {fast, bottom};
}

rocksdb::ColumnFamilyOptions make_column_options(Column column, const RocksDbOptions& options,
                                                 const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = options.write_buffer_bytes;
  cf.level_compaction_dynamic_level_bytes = true;
  cf.force_consistency_checks = true;
  const auto [fast, bottom] = pick_compression();
  cf.compression = fast;
  cf.bottommost_compression = bottom;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  if (column == Column::kState || column == Column::kHeaders) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

// Descriptors in handle order: RocksDB's "default" first, then kAllColumns.
std::vector<rocksdb::ColumnFamilyDescriptor> make_descriptors(const RocksDbOptions& options) {
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (const Column column : kAllColumns) {
    descriptors.emplace_back(std::string(column_name(column)),
                             make_column_options(column, options, cache));
  }
  return descriptors;
}

bool is_known_family(const std::string& name) {
  if (name == rocksdb::kDefaultColumnFamilyName) return true;
  return std::any_of(kAllColumns.begin(), kAllColumns.end(),
                     [&](Column column) { return column_name(column) == name; });
}

// ---- what is at the path ----------------------------------------------------------------------

// Files RocksDB writes into a directory before a new database is complete (it becomes one when
// CURRENT appears). Finding only these means an earlier creation was interrupted.
bool is_bootstrap_file(std::string_view name) {
  return name == "LOCK" || name == "IDENTITY" || name == "LOG" || name.starts_with("LOG.old.") ||
         name.starts_with("MANIFEST-") || name.starts_with("OPTIONS-") || name.ends_with(".log") ||
         name.ends_with(".dbtmp");
}

util::Result<PathKind> inspect_path(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) return PathKind::kMissing;
  if (ec) return fs_error("cannot inspect", dir, ec);
  if (!fs::is_directory(status)) {
    return util::Status::invalid_argument("database path " + quote(dir.string()) +
                                          " exists and is not a directory");
  }
  if (fs::exists(dir / "CURRENT", ec)) return PathKind::kDatabase;
  if (ec) return fs_error("cannot inspect", dir / "CURRENT", ec);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_bootstrap_file(name)) {
      return util::Status::invalid_argument("database path " + quote(dir.string()) +
                                            " is not a qpow database: it is a non-empty "
                                            "directory holding no database (found '" +
                                            name + "')");
    }
  }
  if (ec) return fs_error("cannot list", dir, ec);
  return PathKind::kEmptyOrBootstrap;
}

util::Status sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fs_error("cannot open directory", dir, {errno, std::generic_category()});
  const int rc = ::fsync(fd);
  const int fsync_errno = errno;
  ::close(fd);
  if (rc != 0) {
    return fs_error("cannot sync directory", dir, {fsync_errno, std::generic_category()});
  }
  return util::Status::ok();
}

util::Result<std::uint32_t> decode_format_version(const std::string& value,
                                                  const std::string& path) {
  const std::string where =
      "database " + quote(path) + ": meta '" + std::string(kFormatVersionKey) + "'";
  if (value.size() != kFormatVersionBytes) {
    return util::Status::error(util::StatusCode::kCorruption,
                               where + ": expected " + std::to_string(kFormatVersionBytes) +
                                   " bytes, found " + std::to_string(value.size()));
  }
  const std::uint32_t version =
      util::load_le32(reinterpret_cast<const std::uint8_t*>(value.data()));
  if (version == 0) {
    return util::Status::error(util::StatusCode::kCorruption, where + ": version 0 is not valid");
  }
  if (version > kFormatVersion) {
    return util::Status::unsupported(where + ": format version " + std::to_string(version) +
                                     " is newer than this build reads (" +
                                     std::to_string(kFormatVersion) + "); upgrade qpow");
  }
  return version;
}

// Checks the families of a database that has a format version: exactly ours.
util::Status check_families(const std::vector<std::string>& names, const std::string& path) {
  for (const std::string& name : names) {
    if (!is_known_family(name)) {
      return util::Status::error(util::StatusCode::kCorruption,
                                 "database " + quote(path) + ": unknown column family '" + name +
                                     "' for format version " + std::to_string(kFormatVersion));
    }
  }
  for (const Column column : kAllColumns) {
    if (std::find(names.begin(), names.end(), column_name(column)) == names.end()) {
      return util::Status::error(util::StatusCode::kCorruption,
                                 "database " + quote(path) + ": column family '" +
                                     std::string(column_name(column)) + "' is missing");
    }
  }
  return util::Status::ok();
}

util::Result<bool> all_families_empty(rocksdb::DB& db,
                                      const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                                      const std::string& path) {
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    const std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    QPOW_RETURN_IF_ERROR(
        to_status(it->status(), "read column family '" + handle->GetName() + "'", path));
    if (it->Valid()) return false;
  }
  return true;
}

// Releases the handles and closes the database. Every write was synced, so a failing close
// loses nothing and is not reported.
void close_database(std::unique_ptr<rocksdb::DB> db,
                    const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db->Close().PermitUncheckedError();
}

util::Result<Verdict> judge_opened(rocksdb::DB& db, const std::vector<std::string>& names,
                                   const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                                   const std::string& path) {
  const auto meta = std::find(names.begin(), names.end(), column_name(Column::kMeta));
  if (meta != names.end()) {
    std::string value;
    const rocksdb::Status status = db.Get(rocksdb::ReadOptions(), handles[meta - names.begin()],
                                          std::string(kFormatVersionKey), &value);
    if (status.ok()) {
      QPOW_RETURN_IF_ERROR(decode_format_version(value, path));
      QPOW_RETURN_IF_ERROR(check_families(names, path));
      return Verdict::kReady;
    }
    if (!status.IsNotFound()) return to_status(status, "read format version", path);
  }
  // No version: either our own creation was interrupted (only our families, all empty) or this
  // is somebody else's database, which we must not touch.
  if (std::all_of(names.begin(), names.end(), is_known_family)) {
    QPOW_ASSIGN_OR_RETURN(const bool empty, all_families_empty(db, handles, path));
    if (empty) return Verdict::kUnfinishedCreation;
  }
  return util::Status::invalid_argument("database path " + quote(path) +
                                        " is a RocksDB database but not a qpow database (no '" +
                                        std::string(kFormatVersionKey) + "' in column family '" +
                                        std::string(column_name(Column::kMeta)) + "')");
}

// Inspects an existing RocksDB database read-only, so a foreign one is left exactly as it was.
util::Result<Verdict> verify_existing(const std::string& path) {
  rocksdb::DBOptions db_options;
  db_options.paranoid_checks = true;
  std::vector<std::string> names;
  QPOW_RETURN_IF_ERROR(to_status(rocksdb::DB::ListColumnFamilies(db_options, path, &names),
                                 "list column families", path));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status status =
      rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);  // DB::Open hands out an owning raw pointer
  QPOW_RETURN_IF_ERROR(to_status(status, "open read-only", path));
  util::Result<Verdict> verdict = judge_opened(*db, names, handles, path);
  close_database(std::move(db), handles);
  return verdict;
}

}  // namespace

// ---- the store --------------------------------------------------------------------------------

struct RocksDbStore::Impl {
  std::string path;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // "default", then kAllColumns

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (db != nullptr) close_database(std::move(db), handles);
  }

  rocksdb::ColumnFamilyHandle* handle(Column column) const {
    return handles[1 + column_index(column)];
  }
};

namespace {

util::Result<std::unique_ptr<RocksDbStore::Impl>> open_read_write(const std::string& path,
                                                                  const RocksDbOptions& options,
                                                                  OpenMode mode) {
  auto impl = std::make_unique<RocksDbStore::Impl>();
  impl->path = path;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(
      make_db_options(options, mode), path, make_descriptors(options), &impl->handles, &raw_db);
  impl->db.reset(raw_db);  // DB::Open hands out an owning raw pointer
  QPOW_RETURN_IF_ERROR(to_status(status, "open", path));
  QPOW_ASSERT(impl->handles.size() == 1 + kColumnCount);
  return impl;
}

util::Status write_format_version(RocksDbStore::Impl& impl) {
  char value[kFormatVersionBytes];
  util::store_le32(reinterpret_cast<std::uint8_t*>(value), kFormatVersion);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  const rocksdb::Status status =
      impl.db->Put(write_options, impl.handle(Column::kMeta), std::string(kFormatVersionKey),
                   rocksdb::Slice(value, sizeof value));
  return to_status(status, "write format version", impl.path);
}

// Builds a complete database in a sibling directory and renames it into place, so the path never
// holds a half-made one.
util::Status create_by_rename(const fs::path& target, const RocksDbOptions& options) {
  fs::path building = target;
  building += std::string(kCreatingSuffix);
  std::error_code ec;
  fs::remove_all(building, ec);
  if (ec) return fs_error("cannot remove an unfinished database", building, ec);
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  fs::create_directories(parent, ec);
  if (ec) return fs_error("cannot create directory", parent, ec);
  {
    QPOW_ASSIGN_OR_RETURN(auto impl,
                          open_read_write(building.string(), options, OpenMode::kCreate));
    QPOW_RETURN_IF_ERROR(write_format_version(*impl));
  }
  fs::rename(building, target, ec);
  if (ec) return fs_error("cannot move the new database into place at", target, ec);
  return sync_directory(parent);
}

util::Result<std::unique_ptr<RocksDbStore::Impl>> open_impl(const std::string& dir,
                                                            const RocksDbOptions& options) {
  fs::path target = fs::path(dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "db/" names the directory "db"
  QPOW_ASSIGN_OR_RETURN(const PathKind kind, inspect_path(target));
  if (kind != PathKind::kDatabase && !options.create_if_missing) {
    return util::Status::not_found("no database at " + quote(dir) +
                                   " and creating one was not requested");
  }
  OpenMode mode = OpenMode::kExisting;
  if (kind == PathKind::kMissing) {
    QPOW_RETURN_IF_ERROR(create_by_rename(target, options));
  } else if (kind == PathKind::kEmptyOrBootstrap) {
    mode = OpenMode::kCreate;
  }
  if (kind != PathKind::kEmptyOrBootstrap) {
    QPOW_ASSIGN_OR_RETURN(const Verdict verdict, verify_existing(target.string()));
    if (verdict == Verdict::kUnfinishedCreation) mode = OpenMode::kCreate;
  }
  QPOW_ASSIGN_OR_RETURN(auto impl, open_read_write(target.string(), options, mode));
  if (mode == OpenMode::kCreate) QPOW_RETURN_IF_ERROR(write_format_version(*impl));
  impl->path = dir;
  return impl;
}

}  // namespace

util::Result<std::unique_ptr<RocksDbStore>> RocksDbStore::open(const std::string& dir,
                                                               const RocksDbOptions& options) {
  return without_exceptions("open", dir, [&]() -> util::Result<std::unique_ptr<RocksDbStore>> {
    QPOW_ASSIGN_OR_RETURN(auto impl, open_impl(dir, options));
    return std::make_unique<RocksDbStore>(Key(), std::move(impl));
  });
}

RocksDbStore::RocksDbStore(Key, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RocksDbStore::~RocksDbStore() = default;

const std::string& RocksDbStore::path() const {
  return impl_->path;
}

util::Result<std::optional<util::Bytes>> RocksDbStore::get(Column column,
                                                           util::ByteSpan key) const {
  QPOW_RETURN_IF_ERROR(check_get(column, key));
  return without_exceptions("get", impl_->path, [&]() -> util::Result<std::optional<util::Bytes>> {
    rocksdb::PinnableSlice value;
    const rocksdb::Status status =
        impl_->db->Get(rocksdb::ReadOptions(), impl_->handle(column), to_slice(key), &value);
    if (status.IsNotFound()) return std::optional<util::Bytes>();
    QPOW_RETURN_IF_ERROR(to_status(
        status, "get from column '" + std::string(column_name(column)) + "'", impl_->path));
    return std::optional<util::Bytes>(slice_bytes(value));
  });
}

util::Status RocksDbStore::write(const WriteBatch& batch) {
  QPOW_RETURN_IF_ERROR(check_write_batch(batch));
  if (batch.empty()) return util::Status::ok();
  return without_exceptions("write", impl_->path, [&]() -> util::Status {
    rocksdb::WriteBatch rocks_batch;
    for (const WriteBatch::Op& op : batch.ops()) {
      rocksdb::ColumnFamilyHandle* handle = impl_->handle(op.column);
      const rocksdb::Status added =
          op.value ? rocks_batch.Put(handle, to_slice(op.key), to_slice(*op.value))
                   : rocks_batch.Delete(handle, to_slice(op.key));
      QPOW_RETURN_IF_ERROR(to_status(added, "build write batch", impl_->path));
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    return to_status(impl_->db->Write(write_options, &rocks_batch), "write", impl_->path);
  });
}

util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> RocksDbStore::scan_prefix(
    Column column, util::ByteSpan prefix, std::size_t limit) const {
  QPOW_RETURN_IF_ERROR(check_scan(column, prefix, limit));
  using Entries = std::vector<std::pair<util::Bytes, util::Bytes>>;
  return without_exceptions("scan", impl_->path, [&]() -> util::Result<Entries> {
    Entries out;
    const rocksdb::Slice start = to_slice(prefix);
    const std::unique_ptr<rocksdb::Iterator> it(
        impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->handle(column)));
    for (it->Seek(start); it->Valid() && out.size() < limit; it->Next()) {
      if (!it->key().starts_with(start)) break;
      out.emplace_back(slice_bytes(it->key()), slice_bytes(it->value()));
    }
    QPOW_RETURN_IF_ERROR(to_status(
        it->status(), "scan column '" + std::string(column_name(column)) + "'", impl_->path));
    return out;
  });
}

}  // namespace qpow::storage
