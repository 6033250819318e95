#include "storage/memory_store.h"

#include <algorithm>
#include <mutex>

namespace qpow::storage {
namespace {

bool starts_with(util::ByteSpan key, util::ByteSpan prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

}  // namespace

bool MemoryStore::BytesLess::operator()(util::ByteSpan a, util::ByteSpan b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

util::Result<std::optional<util::Bytes>> MemoryStore::get(Column column, util::ByteSpan key) const {
  QPOW_RETURN_IF_ERROR(check_get(column, key));
  const std::shared_lock lock(mutex_);
  const Map& map = columns_[column_index(column)];
  const auto it = map.find(key);
  if (it == map.end()) return std::optional<util::Bytes>();
  return std::optional<util::Bytes>(it->second);
}

util::Status MemoryStore::write(const WriteBatch& batch) {
  QPOW_RETURN_IF_ERROR(check_write_batch(batch));
  const std::unique_lock lock(mutex_);
  for (const WriteBatch::Op& op : batch.ops()) {
    Map& map = columns_[column_index(op.column)];
    if (op.value) {
      map.insert_or_assign(op.key, *op.value);
    } else {
      map.erase(op.key);
    }
  }
  return util::Status::ok();
}

util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> MemoryStore::scan_prefix(
    Column column, util::ByteSpan prefix, std::size_t limit) const {
  QPOW_RETURN_IF_ERROR(check_scan(column, prefix, limit));
  std::vector<std::pair<util::Bytes, util::Bytes>> out;
  const std::shared_lock lock(mutex_);
  const Map& map = columns_[column_index(column)];
  for (auto it = map.lower_bound(prefix); it != map.end() && out.size() < limit; ++it) {
    if (!starts_with(it->first, prefix)) break;
    out.emplace_back(it->first, it->second);
  }
  return out;
}

std::size_t MemoryStore::entry_count(Column column) const {
  const std::shared_lock lock(mutex_);
  return columns_[column_index(column)].size();
}

}  // namespace qpow::storage
