// The KvStore contract, run against both implementations: MemoryStore and RocksDbStore must agree
// on reads, writes, erases, bytewise key order, prefix scans, bounds and batch atomicity.
#include "storage/kv_store.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crash_harness.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"

namespace qpow::storage {
namespace {

using util::Bytes;
using util::StatusCode;
using Entries = std::vector<std::pair<Bytes, Bytes>>;

Bytes b(std::string_view text) {
  return util::to_bytes(util::as_bytes(text));
}

// Small caches keep the RocksDB tests light.
RocksDbOptions small_options() {
  return RocksDbOptions{.block_cache_bytes = std::size_t{8} << 20,
                        .write_buffer_bytes = std::size_t{4} << 20,
                        .max_open_files = 64,
                        .create_if_missing = true};
}

struct MemoryFactory {
  util::Result<std::unique_ptr<KvStore>> open() {
    return std::unique_ptr<KvStore>(std::make_unique<MemoryStore>());
  }
};

struct RocksDbFactory {
  test::ScopedTempDir dir;
  util::Result<std::unique_ptr<KvStore>> open() {
    QPOW_ASSIGN_OR_RETURN(auto store, RocksDbStore::open(dir.sub("db"), small_options()));
    return std::unique_ptr<KvStore>(std::move(store));
  }
};

template <class Factory>
class KvStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    util::Result<std::unique_ptr<KvStore>> opened = factory_.open();
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
  }

  std::optional<Bytes> get(Column column, std::string_view key) {
    util::Result<std::optional<Bytes>> value = store_->get(column, util::as_bytes(key));
    EXPECT_TRUE(value.is_ok()) << value.status().to_string();
    return value.is_ok() ? *value : std::nullopt;
  }

  void put(Column column, std::string_view key, std::string_view value) {
    WriteBatch batch;
    batch.put(column, util::as_bytes(key), util::as_bytes(value));
    ASSERT_TRUE(store_->write(batch).is_ok());
  }

  Entries scan(Column column, util::ByteSpan prefix, std::size_t limit = kScanLimitMax) {
    util::Result<Entries> entries = store_->scan_prefix(column, prefix, limit);
    EXPECT_TRUE(entries.is_ok()) << entries.status().to_string();
    return entries.is_ok() ? *entries : Entries{};
  }

  Factory factory_;
  std::unique_ptr<KvStore> store_;
};

using Factories = ::testing::Types<MemoryFactory, RocksDbFactory>;
TYPED_TEST_SUITE(KvStoreTest, Factories);

TYPED_TEST(KvStoreTest, MissingKeyReadsAsNullopt) {
  EXPECT_EQ(this->get(Column::kHeaders, "absent"), std::nullopt);
}

TYPED_TEST(KvStoreTest, PutThenGetAndOverwrite) {
  this->put(Column::kBlocks, "k", "first");
  EXPECT_EQ(this->get(Column::kBlocks, "k"), b("first"));
  this->put(Column::kBlocks, "k", "second");
  EXPECT_EQ(this->get(Column::kBlocks, "k"), b("second"));
}

TYPED_TEST(KvStoreTest, EraseRemovesAndErasingAnAbsentKeyIsFine) {
  this->put(Column::kUndo, "k", "v");
  WriteBatch batch;
  batch.erase(Column::kUndo, util::as_bytes("k"));
  batch.erase(Column::kUndo, util::as_bytes("never-there"));
  ASSERT_TRUE(this->store_->write(batch).is_ok());
  EXPECT_EQ(this->get(Column::kUndo, "k"), std::nullopt);
}

TYPED_TEST(KvStoreTest, ColumnsAreSeparate) {
  WriteBatch batch;
  for (const Column column : kAllColumns) {
    batch.put(column, util::as_bytes("same-key"), util::as_bytes(column_name(column)));
  }
  ASSERT_TRUE(this->store_->write(batch).is_ok());
  for (const Column column : kAllColumns) {
    EXPECT_EQ(this->get(column, "same-key"), b(column_name(column)));
  }
  WriteBatch erase_one;
  erase_one.erase(Column::kState, util::as_bytes("same-key"));
  ASSERT_TRUE(this->store_->write(erase_one).is_ok());
  EXPECT_EQ(this->get(Column::kState, "same-key"), std::nullopt);
  EXPECT_EQ(this->get(Column::kMeta, "same-key"), b("meta"));
}

TYPED_TEST(KvStoreTest, LaterOperationOnTheSameKeyWins) {
  WriteBatch batch;
  batch.put(Column::kMeta, util::as_bytes("a"), util::as_bytes("1"));
  batch.erase(Column::kMeta, util::as_bytes("a"));
  batch.put(Column::kMeta, util::as_bytes("a"), util::as_bytes("2"));
  batch.put(Column::kMeta, util::as_bytes("b"), util::as_bytes("1"));
  batch.erase(Column::kMeta, util::as_bytes("b"));
  ASSERT_TRUE(this->store_->write(batch).is_ok());
  EXPECT_EQ(this->get(Column::kMeta, "a"), b("2"));
  EXPECT_EQ(this->get(Column::kMeta, "b"), std::nullopt);
}

TYPED_TEST(KvStoreTest, EmptyKeyAndEmptyValueAreValid) {
  this->put(Column::kState, "", "");
  EXPECT_EQ(this->get(Column::kState, ""), Bytes{});
  EXPECT_EQ(this->scan(Column::kState, {}).size(), 1u);
}

TYPED_TEST(KvStoreTest, EmptyBatchIsANoOp) {
  EXPECT_TRUE(this->store_->write(WriteBatch()).is_ok());
}

TYPED_TEST(KvStoreTest, KeysSortBytewiseUnsigned) {
  const std::vector<Bytes> sorted = {{},     {0x00}, {0x00, 0x00}, {0x01},      {0x7F},
                                     {0x80}, {0xFF}, {0xFF, 0x00}, {0xFF, 0xFF}};
  WriteBatch batch;
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) batch.put(Column::kHeaders, *it, *it);
  ASSERT_TRUE(this->store_->write(batch).is_ok());
  const Entries all = this->scan(Column::kHeaders, {});
  ASSERT_EQ(all.size(), sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    EXPECT_EQ(all[i].first, sorted[i]) << "entry " << i;
    EXPECT_EQ(all[i].second, sorted[i]) << "entry " << i;
  }
  const Bytes high = {0xFF};
  const Entries under_ff = this->scan(Column::kHeaders, high);
  ASSERT_EQ(under_ff.size(), 3u);
  EXPECT_EQ(under_ff[0].first, high);
  EXPECT_EQ(under_ff[2].first, (Bytes{0xFF, 0xFF}));
}

TYPED_TEST(KvStoreTest, ScanPrefixStopsAtThePrefixAndTheLimit) {
  WriteBatch batch;
  for (const char* key : {"tx/1", "tx/2", "tx/3", "tw", "ty", "tx"}) {
    batch.put(Column::kBlocks, util::as_bytes(key), util::as_bytes(key));
  }
  batch.put(Column::kUndo, util::as_bytes("tx/9"), util::as_bytes("other column"));
  ASSERT_TRUE(this->store_->write(batch).is_ok());

  const Entries all = this->scan(Column::kBlocks, util::as_bytes("tx/"));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], std::make_pair(b("tx/1"), b("tx/1")));
  EXPECT_EQ(all[2].first, b("tx/3"));
  const Entries with_tx = this->scan(Column::kBlocks, util::as_bytes("tx"));
  ASSERT_EQ(with_tx.size(), 4u);
  EXPECT_EQ(with_tx[0].first, b("tx"));

  EXPECT_EQ(this->scan(Column::kBlocks, util::as_bytes("tx/"), 2).size(), 2u);
  EXPECT_TRUE(this->scan(Column::kBlocks, util::as_bytes("tx/"), 0).empty());
  EXPECT_TRUE(this->scan(Column::kBlocks, util::as_bytes("zz")).empty());
  EXPECT_TRUE(this->scan(Column::kState, {}).empty());
}

TYPED_TEST(KvStoreTest, KeyLimitIsEnforcedForEveryOperation) {
  const Bytes at_limit(kKeyBytesMax, 0xAB);
  const Bytes over_limit(kKeyBytesMax + 1, 0xAB);
  WriteBatch ok_batch;
  ok_batch.put(Column::kState, at_limit, util::as_bytes("v"));
  ASSERT_TRUE(this->store_->write(ok_batch).is_ok());
  util::Result<std::optional<Bytes>> read = this->store_->get(Column::kState, at_limit);
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(*read, b("v"));

  EXPECT_EQ(this->store_->get(Column::kState, over_limit).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(this->store_->scan_prefix(Column::kState, over_limit, 1).status().code(),
            StatusCode::kOutOfRange);
  EXPECT_TRUE(this->store_->scan_prefix(Column::kState, at_limit, 1).is_ok());
}

TYPED_TEST(KvStoreTest, BatchOverALimitChangesNothing) {
  this->put(Column::kMeta, "tip", "old");
  WriteBatch batch;
  batch.put(Column::kMeta, util::as_bytes("tip"), util::as_bytes("new"));
  batch.put(Column::kHeaders, util::as_bytes("h"), util::as_bytes("header"));
  batch.erase(Column::kState, Bytes(kKeyBytesMax + 1, 0x01));
  const util::Status status = this->store_->write(batch);
  EXPECT_EQ(status.code(), StatusCode::kOutOfRange);
  EXPECT_NE(status.message().find("write batch op 2 (column 'state')"), std::string::npos)
      << status.message();
  EXPECT_EQ(this->get(Column::kMeta, "tip"), b("old"));
  EXPECT_EQ(this->get(Column::kHeaders, "h"), std::nullopt);
}

TYPED_TEST(KvStoreTest, ScanLimitIsBounded) {
  EXPECT_TRUE(this->store_->scan_prefix(Column::kMeta, {}, kScanLimitMax).is_ok());
  const util::Result<Entries> over =
      this->store_->scan_prefix(Column::kMeta, {}, kScanLimitMax + 1);
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(over.status().message().find("exceeds the maximum 65536"), std::string::npos);
}

TYPED_TEST(KvStoreTest, LargeBatchIsAppliedWhole) {
  WriteBatch batch;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "key/" + std::to_string(1000 + i);
    batch.put(Column::kState, util::as_bytes(key), Bytes(100, static_cast<std::uint8_t>(i)));
  }
  batch.put(Column::kMeta, util::as_bytes("tip"), util::as_bytes("1000"));
  ASSERT_TRUE(this->store_->write(batch).is_ok());
  const Entries all = this->scan(Column::kState, util::as_bytes("key/"));
  ASSERT_EQ(all.size(), 1000u);
  EXPECT_EQ(all[999].second, Bytes(100, static_cast<std::uint8_t>(999)));
  EXPECT_EQ(this->get(Column::kMeta, "tip"), b("1000"));
}

}  // namespace
}  // namespace qpow::storage
