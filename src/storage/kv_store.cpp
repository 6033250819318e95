#include "storage/kv_store.h"

#include <string>

#include "util/assert.h"

namespace qpow::storage {
namespace {

std::string op_where(std::size_t index, Column column) {
  return "write batch op " + std::to_string(index) + " (column '" +
         std::string(column_name(column)) + "')";
}

std::string over_limit(std::string_view what, std::size_t have, std::size_t max) {
  return std::string(what) + " " + std::to_string(have) + " exceeds the maximum " +
         std::to_string(max);
}

}  // namespace

std::string_view column_name(Column column) {
  switch (column) {
    case Column::kHeaders:
      return "headers";
    case Column::kBlocks:
      return "blocks";
    case Column::kState:
      return "state";
    case Column::kUndo:
      return "undo";
    case Column::kMeta:
      return "meta";
  }
  QPOW_UNREACHABLE();
}

std::size_t column_index(Column column) {
  const auto index = static_cast<std::size_t>(column);
  QPOW_ASSERT_MSG(index < kColumnCount, "column out of range");
  return index;
}

void WriteBatch::put(Column column, util::ByteSpan key, util::ByteSpan value) {
  ops_.push_back(Op{.column = column, .key = util::to_bytes(key), .value = util::to_bytes(value)});
  bytes_ += key.size() + value.size();
}

void WriteBatch::erase(Column column, util::ByteSpan key) {
  ops_.push_back(Op{.column = column, .key = util::to_bytes(key), .value = std::nullopt});
  bytes_ += key.size();
}

void WriteBatch::clear() {
  ops_.clear();
  bytes_ = 0;
}

util::Status check_write_batch(const WriteBatch& batch) {
  if (batch.size() > kBatchOpsMax) {
    return util::Status::out_of_range(
        over_limit("write batch: operation count", batch.size(), kBatchOpsMax));
  }
  if (batch.bytes() > kBatchBytesMax) {
    return util::Status::out_of_range(
        over_limit("write batch: total size in bytes", batch.bytes(), kBatchBytesMax));
  }
  const std::vector<WriteBatch::Op>& ops = batch.ops();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const WriteBatch::Op& op = ops[i];
    if (op.key.size() > kKeyBytesMax) {
      return util::Status::out_of_range(op_where(i, op.column) + ": " +
                                        over_limit("key size", op.key.size(), kKeyBytesMax));
    }
    if (op.value && op.value->size() > kValueBytesMax) {
      return util::Status::out_of_range(op_where(i, op.column) + ": " +
                                        over_limit("value size", op.value->size(), kValueBytesMax));
    }
  }
  return util::Status::ok();
}

util::Status check_get(Column column, util::ByteSpan key) {
  if (key.size() > kKeyBytesMax) {
    return util::Status::out_of_range("get (column '" + std::string(column_name(column)) +
                                      "'): " + over_limit("key size", key.size(), kKeyBytesMax));
  }
  return util::Status::ok();
}

util::Status check_scan(Column column, util::ByteSpan prefix, std::size_t limit) {
  const std::string where = "scan_prefix (column '" + std::string(column_name(column)) + "'): ";
  if (prefix.size() > kKeyBytesMax) {
    return util::Status::out_of_range(where +
                                      over_limit("prefix size", prefix.size(), kKeyBytesMax));
  }
  if (limit > kScanLimitMax) {
    return util::Status::out_of_range(where + over_limit("limit", limit, kScanLimitMax));
  }
  return util::Status::ok();
}

}  // namespace qpow::storage
