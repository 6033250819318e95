// RocksDbStore on disk: persistence across reopen, what open() accepts and refuses at a path
// (regular files, foreign directories and databases, newer or damaged formats), and finishing a
// creation that was interrupted. Foreign databases are built with RocksDB directly.
#include "storage/rocksdb_store.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "crash_harness.h"

namespace qpow::storage {
namespace {

namespace fs = std::filesystem;
using util::Bytes;
using util::StatusCode;

Bytes b(std::string_view text) {
  return util::to_bytes(util::as_bytes(text));
}

RocksDbOptions small_options() {
  return RocksDbOptions{.block_cache_bytes = std::size_t{8} << 20,
                        .write_buffer_bytes = std::size_t{4} << 20,
                        .max_open_files = 64,
                        .create_if_missing = true};
}

std::unique_ptr<RocksDbStore> open_ok(const std::string& dir) {
  util::Result<std::unique_ptr<RocksDbStore>> store = RocksDbStore::open(dir, small_options());
  EXPECT_TRUE(store.is_ok()) << store.status().to_string();
  return store.is_ok() ? std::move(store).value() : nullptr;
}

util::Status open_error(const std::string& dir) {
  util::Result<std::unique_ptr<RocksDbStore>> store = RocksDbStore::open(dir, small_options());
  EXPECT_FALSE(store.is_ok()) << "open of " << dir << " should have failed";
  return store.status();
}

bool contains(const util::Status& status, std::string_view text) {
  return status.message().find(text) != std::string::npos;
}

Bytes version_bytes(std::uint32_t version) {
  Bytes out(4);
  util::store_le32(out.data(), version);
  return out;
}

void put_meta(RocksDbStore& store, std::string_view key, util::ByteSpan value) {
  WriteBatch batch;
  batch.put(Column::kMeta, util::as_bytes(key), value);
  ASSERT_TRUE(store.write(batch).is_ok());
}

// A RocksDB database made without qpow: the given families (plus "default"), and optionally one
// entry in the family named `put_family`.
void make_raw_database(const std::string& dir, const std::vector<std::string>& families,
                       const std::string& put_family = "", const std::string& key = "",
                       const std::string& value = "") {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  for (const std::string& name : families) {
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), name, &handle).ok());
    handles.push_back(handle);
    if (name == put_family) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handle, key, value).ok());
    }
  }
  if (put_family == rocksdb::kDefaultColumnFamilyName) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
  }
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  ASSERT_TRUE(db->Close().ok());
}

std::vector<std::string> raw_families(const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  return names;
}

TEST(RocksDbStore, DataSurvivesReopen) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    std::unique_ptr<RocksDbStore> store = open_ok(dir);
    ASSERT_NE(store, nullptr);
    WriteBatch batch;
    for (const Column column : kAllColumns) {
      batch.put(column, util::as_bytes("key"), util::as_bytes(column_name(column)));
    }
    batch.put(Column::kState, util::as_bytes("erased"), util::as_bytes("x"));
    ASSERT_TRUE(store->write(batch).is_ok());
    WriteBatch erase;
    erase.erase(Column::kState, util::as_bytes("erased"));
    ASSERT_TRUE(store->write(erase).is_ok());
    EXPECT_EQ(store->path(), dir);
  }
  std::unique_ptr<RocksDbStore> store = open_ok(dir);
  ASSERT_NE(store, nullptr);
  for (const Column column : kAllColumns) {
    util::Result<std::optional<Bytes>> value = store->get(column, util::as_bytes("key"));
    ASSERT_TRUE(value.is_ok());
    EXPECT_EQ(*value, b(column_name(column)));
  }
  util::Result<std::optional<Bytes>> erased = store->get(Column::kState, util::as_bytes("erased"));
  ASSERT_TRUE(erased.is_ok());
  EXPECT_EQ(*erased, std::nullopt);
}

TEST(RocksDbStore, NewDatabaseHasEveryFamilyAndTheFormatVersion) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("nested/parents/db");
  {
    std::unique_ptr<RocksDbStore> store = open_ok(dir);
    ASSERT_NE(store, nullptr);
    util::Result<std::optional<Bytes>> version =
        store->get(Column::kMeta, util::as_bytes(kFormatVersionKey));
    ASSERT_TRUE(version.is_ok());
    EXPECT_EQ(*version, version_bytes(kFormatVersion));
  }
  EXPECT_FALSE(fs::exists(std::string(dir).append(kCreatingSuffix)));
  const std::vector<std::string> names = raw_families(dir);
  for (const Column column : kAllColumns) {
    EXPECT_NE(std::find(names.begin(), names.end(), column_name(column)), names.end())
        << column_name(column);
  }
}

TEST(RocksDbStore, PathWithTrailingSlashNamesTheSameDatabase) {
  test::ScopedTempDir tmp;
  {
    std::unique_ptr<RocksDbStore> store = open_ok(tmp.sub("db/"));
    ASSERT_NE(store, nullptr);
    put_meta(*store, "k", util::as_bytes("v"));
  }
  std::unique_ptr<RocksDbStore> store = open_ok(tmp.sub("db"));
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->get(Column::kMeta, util::as_bytes("k")), b("v"));
}

TEST(RocksDbStore, LeftoverOfAnInterruptedCreationIsReplaced) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  const std::string building = std::string(dir).append(kCreatingSuffix);
  fs::create_directories(building);
  std::ofstream(building + "/junk") << "half a database";
  EXPECT_NE(open_ok(dir), nullptr);
  EXPECT_FALSE(fs::exists(building));
}

TEST(RocksDbStore, EmptyDirectoryIsUsedInPlace) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("volume");
  fs::create_directories(dir);
  {
    std::unique_ptr<RocksDbStore> store = open_ok(dir);
    ASSERT_NE(store, nullptr);
    put_meta(*store, "k", util::as_bytes("v"));
  }
  std::unique_ptr<RocksDbStore> store = open_ok(dir);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->get(Column::kMeta, util::as_bytes("k")), b("v"));
}

TEST(RocksDbStore, DirectoryWithOnlyRocksDbBootstrapFilesIsCreatedInPlace) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  fs::create_directories(dir);
  std::ofstream(dir + "/LOCK").flush();
  std::ofstream(dir + "/LOG") << "started creating";
  EXPECT_NE(open_ok(dir), nullptr);
}

TEST(RocksDbStore, RegularFileIsRefused) {
  test::ScopedTempDir tmp;
  const std::string file = tmp.sub("not-a-dir");
  std::ofstream(file) << "hello";
  const util::Status status = open_error(file);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status, "'" + file + "' exists and is not a directory")) << status.message();
}

TEST(RocksDbStore, NonEmptyForeignDirectoryIsRefusedUntouched) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("home");
  fs::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "mine";
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status, "is not a qpow database")) << status.message();
  EXPECT_TRUE(contains(status, "'notes.txt'")) << status.message();
  EXPECT_TRUE(contains(status, dir)) << status.message();
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(RocksDbStore, ForeignRocksDbDatabaseIsRefusedUntouched) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("other");
  make_raw_database(dir, {}, rocksdb::kDefaultColumnFamilyName, "theirs", "data");
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status, "is a RocksDB database but not a qpow database"))
      << status.message();
  EXPECT_TRUE(contains(status, dir)) << status.message();
  EXPECT_EQ(raw_families(dir), std::vector<std::string>{"default"});
}

TEST(RocksDbStore, DatabaseWithOurFamilyNamesButDataAndNoVersionIsRefused) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("lookalike");
  make_raw_database(dir, {"headers", "meta"}, "headers", "h", "x");
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(contains(status, "not a qpow database")) << status.message();
}

TEST(RocksDbStore, EmptyDatabaseWithSomeOfOurFamiliesIsFinished) {
  // What an interrupted in-place creation leaves: some families, no data, no version.
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  make_raw_database(dir, {"headers", "blocks"});
  std::unique_ptr<RocksDbStore> store = open_ok(dir);
  ASSERT_NE(store, nullptr);
  util::Result<std::optional<Bytes>> version =
      store->get(Column::kMeta, util::as_bytes(kFormatVersionKey));
  ASSERT_TRUE(version.is_ok());
  EXPECT_EQ(*version, version_bytes(kFormatVersion));
  put_meta(*store, "k", util::as_bytes("v"));
}

TEST(RocksDbStore, NewerFormatVersionIsUnsupported) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    std::unique_ptr<RocksDbStore> store = open_ok(dir);
    ASSERT_NE(store, nullptr);
    put_meta(*store, kFormatVersionKey, version_bytes(kFormatVersion + 1));
  }
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kUnsupported);
  EXPECT_TRUE(contains(status, "format version 2 is newer than this build reads (1)"))
      << status.message();
  EXPECT_TRUE(contains(status, dir)) << status.message();
}

TEST(RocksDbStore, DamagedFormatVersionIsCorruption) {
  for (const Bytes& damaged : {Bytes{1, 0, 0}, Bytes{1, 0, 0, 0, 0}, version_bytes(0)}) {
    test::ScopedTempDir tmp;
    const std::string dir = tmp.sub("db");
    {
      std::unique_ptr<RocksDbStore> store = open_ok(dir);
      ASSERT_NE(store, nullptr);
      put_meta(*store, kFormatVersionKey, damaged);
    }
    const util::Status status = open_error(dir);
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.message();
    EXPECT_TRUE(contains(status, std::string(kFormatVersionKey))) << status.message();
  }
}

TEST(RocksDbStore, VersionedDatabaseMissingAFamilyIsCorruption) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  const Bytes version = version_bytes(kFormatVersion);
  make_raw_database(dir, {"meta", "headers"}, "meta", std::string(kFormatVersionKey),
                    std::string(version.begin(), version.end()));
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_TRUE(contains(status, "column family 'blocks' is missing")) << status.message();
}

TEST(RocksDbStore, UnknownFamilyIsCorruption) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  ASSERT_NE(open_ok(dir), nullptr);
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : raw_families(dir))
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* extra = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "extra", &extra).ok());
    handles.push_back(extra);
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    ASSERT_TRUE(db->Close().ok());
  }
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_TRUE(contains(status, "unknown column family 'extra'")) << status.message();
}

TEST(RocksDbStore, SecondOpenOfTheSameDirectoryFails) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  std::unique_ptr<RocksDbStore> first = open_ok(dir);
  ASSERT_NE(first, nullptr);
  const util::Status status = open_error(dir);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_TRUE(contains(status, "rocksdb open at '" + dir + "'")) << status.message();
}

TEST(RocksDbStore, MissingDatabaseWithoutCreateIsNotFound) {
  test::ScopedTempDir tmp;
  RocksDbOptions options = small_options();
  options.create_if_missing = false;
  const util::Result<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::open(tmp.sub("absent"), options);
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(tmp.sub("absent")));
}

}  // namespace
}  // namespace qpow::storage
