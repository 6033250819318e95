#include "storage/memory_store.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "util/assert.h"
#include "util/splitmix64.h"

namespace qpow::storage {
namespace {

bool starts_with(util::ByteSpan key, util::ByteSpan prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

// Spreads keys over the index. Not a cryptographic hash: keys are hashes, heights and names this
// node chose, and a collision costs one more probe, never a wrong answer.
std::uint64_t key_hash(util::ByteSpan key) {
  std::uint64_t h = util::kSplitMix64Gamma ^ key.size();
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    h = (h ^ util::load_le64(key.data() + i)) * 0xff51afd7ed558ccdULL;
  }
  std::uint64_t tail = 0;
  for (std::size_t j = 0; i + j < key.size(); ++j) {
    tail |= std::uint64_t{key[i + j]} << (8 * j);
  }
  return util::splitmix64_mix(h ^ tail);
}

}  // namespace

bool MemoryStore::BytesLess::operator()(util::ByteSpan a, util::ByteSpan b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

const MemoryStore::Entry* MemoryStore::PointIndex::find(util::ByteSpan key) const {
  if (slots_.empty()) return nullptr;
  const std::uint64_t hash = key_hash(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.entry == nullptr) return nullptr;
    if (slot.hash == hash && util::bytes_equal(slot.entry->first, key)) return slot.entry;
  }
}

void MemoryStore::PointIndex::place(const Slot& slot) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot.hash & mask;
  while (slots_[i].entry != nullptr) i = (i + 1) & mask;
  slots_[i] = slot;
}

void MemoryStore::PointIndex::insert(const Entry* entry) {
  if (2 * (size_ + 1) > slots_.size()) {
    std::vector<Slot> old =
        std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(16, 2 * slots_.size())));
    for (const Slot& slot : old) {
      if (slot.entry != nullptr) place(slot);
    }
  }
  place({.hash = key_hash(entry->first), .entry = entry});
  ++size_;
}

void MemoryStore::PointIndex::erase(const Entry* entry) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = key_hash(entry->first) & mask;
  while (slots_[hole].entry != entry) {
    QPOW_ASSERT(slots_[hole].entry != nullptr);
    hole = (hole + 1) & mask;
  }
  slots_[hole] = {};
  --size_;
  // Backward-shift deletion: every slot after the hole, up to the next free one, moves into the
  // hole unless its home position lies after the hole (cyclically), so probes never stop early.
  for (std::size_t j = (hole + 1) & mask; slots_[j].entry != nullptr; j = (j + 1) & mask) {
    const std::size_t home = slots_[j].hash & mask;
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    slots_[j] = {};
    hole = j;
  }
}

util::Result<std::optional<util::Bytes>> MemoryStore::get(Column column, util::ByteSpan key) const {
  QPOW_RETURN_IF_ERROR(check_get(column, key));
  const std::shared_lock lock(mutex_);
  const ColumnData& data = columns_[column_index(column)];
  const Entry* entry = data.index.find(key);
  if (entry == nullptr) return std::optional<util::Bytes>();
  return std::optional<util::Bytes>(entry->second);
}

util::Status MemoryStore::write(const WriteBatch& batch) {
  QPOW_RETURN_IF_ERROR(check_write_batch(batch));
  const std::unique_lock lock(mutex_);
  for (const WriteBatch::Op& op : batch.ops()) {
    ColumnData& data = columns_[column_index(op.column)];
    if (op.value) {
      const auto [it, inserted] = data.entries.insert_or_assign(op.key, *op.value);
      if (inserted) data.index.insert(&*it);
    } else if (const auto it = data.entries.find(op.key); it != data.entries.end()) {
      data.index.erase(&*it);
      data.entries.erase(it);
    }
  }
  return util::Status::ok();
}

util::Result<std::vector<std::pair<util::Bytes, util::Bytes>>> MemoryStore::scan_prefix(
    Column column, util::ByteSpan prefix, std::size_t limit) const {
  QPOW_RETURN_IF_ERROR(check_scan(column, prefix, limit));
  std::vector<std::pair<util::Bytes, util::Bytes>> out;
  const std::shared_lock lock(mutex_);
  const Map& map = columns_[column_index(column)].entries;
  for (auto it = map.lower_bound(prefix); it != map.end() && out.size() < limit; ++it) {
    if (!starts_with(it->first, prefix)) break;
    out.emplace_back(it->first, it->second);
  }
  return out;
}

std::size_t MemoryStore::entry_count(Column column) const {
  const std::shared_lock lock(mutex_);
  return columns_[column_index(column)].entries.size();
}

}  // namespace qpow::storage
