// WriteBatch bookkeeping and the bounds every KvStore enforces through check_write_batch, each
// tested at the bound and one past it.
#include <string>

#include <gtest/gtest.h>

#include "storage/kv_store.h"

namespace qpow::storage {
namespace {

using util::Bytes;
using util::StatusCode;

TEST(Column, NamesAndIndicesAreStable) {
  EXPECT_EQ(column_name(Column::kHeaders), "headers");
  EXPECT_EQ(column_name(Column::kBlocks), "blocks");
  EXPECT_EQ(column_name(Column::kState), "state");
  EXPECT_EQ(column_name(Column::kUndo), "undo");
  EXPECT_EQ(column_name(Column::kMeta), "meta");
  for (std::size_t i = 0; i < kColumnCount; ++i) EXPECT_EQ(column_index(kAllColumns[i]), i);
}

TEST(WriteBatch, CountsOperationsAndBytes) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  batch.put(Column::kState, util::as_bytes("key"), util::as_bytes("value"));
  batch.erase(Column::kMeta, util::as_bytes("gone"));
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch.bytes(), 3u + 5u + 4u);
  ASSERT_EQ(batch.ops().size(), 2u);
  EXPECT_EQ(batch.ops()[0].column, Column::kState);
  EXPECT_EQ(batch.ops()[0].value, util::to_bytes(util::as_bytes("value")));
  EXPECT_EQ(batch.ops()[1].value, std::nullopt);
  batch.clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
}

TEST(CheckWriteBatch, KeySizeAtAndOverTheLimit) {
  WriteBatch batch;
  batch.put(Column::kHeaders, Bytes(kKeyBytesMax, 1), {});
  EXPECT_TRUE(check_write_batch(batch).is_ok());
  batch.erase(Column::kUndo, Bytes(kKeyBytesMax + 1, 1));
  const util::Status status = check_write_batch(batch);
  EXPECT_EQ(status.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(status.message(),
            "write batch op 1 (column 'undo'): key size 1025 exceeds the maximum 1024");
}

TEST(CheckWriteBatch, ValueSizeAtAndOverTheLimit) {
  const Bytes big(kValueBytesMax + 1, 0x5A);
  WriteBatch batch;
  batch.put(Column::kBlocks, util::as_bytes("at"), util::ByteSpan(big).first(kValueBytesMax));
  EXPECT_TRUE(check_write_batch(batch).is_ok());
  batch.put(Column::kBlocks, util::as_bytes("over"), big);
  const util::Status status = check_write_batch(batch);
  EXPECT_EQ(status.code(), StatusCode::kOutOfRange);
  EXPECT_NE(status.message().find("op 1 (column 'blocks'): value size 67108865"), std::string::npos)
      << status.message();
}

TEST(CheckWriteBatch, TotalBytesAtAndOverTheLimit) {
  static_assert(kBatchBytesMax % kValueBytesMax == 0);
  const Bytes value(kValueBytesMax, 0x11);
  WriteBatch batch;
  for (std::size_t i = 0; i < kBatchBytesMax / kValueBytesMax; ++i) {
    batch.put(Column::kBlocks, {}, value);
  }
  EXPECT_EQ(batch.bytes(), kBatchBytesMax);
  EXPECT_TRUE(check_write_batch(batch).is_ok());
  batch.erase(Column::kBlocks, util::as_bytes("x"));
  const util::Status status = check_write_batch(batch);
  EXPECT_EQ(status.code(), StatusCode::kOutOfRange);
  EXPECT_NE(status.message().find("total size in bytes"), std::string::npos) << status.message();
}

TEST(CheckWriteBatch, OperationCountAtAndOverTheLimit) {
  WriteBatch batch;
  for (std::size_t i = 0; i < kBatchOpsMax; ++i) batch.erase(Column::kState, {});
  EXPECT_TRUE(check_write_batch(batch).is_ok());
  batch.erase(Column::kState, {});
  const util::Status status = check_write_batch(batch);
  EXPECT_EQ(status.code(), StatusCode::kOutOfRange);
  EXPECT_NE(status.message().find("operation count 2097153"), std::string::npos)
      << status.message();
}

TEST(CheckScan, PrefixAndLimitBounds) {
  EXPECT_TRUE(check_scan(Column::kMeta, Bytes(kKeyBytesMax, 0), kScanLimitMax).is_ok());
  EXPECT_EQ(check_scan(Column::kMeta, Bytes(kKeyBytesMax + 1, 0), 1).code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(check_scan(Column::kMeta, {}, kScanLimitMax + 1).message(),
            "scan_prefix (column 'meta'): limit 65537 exceeds the maximum 65536");
  EXPECT_TRUE(check_get(Column::kState, Bytes(kKeyBytesMax, 0)).is_ok());
  EXPECT_EQ(check_get(Column::kState, Bytes(kKeyBytesMax + 1, 0)).code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace qpow::storage
