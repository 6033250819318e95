#include "state/state_writes.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "state/node_store.h"
#include "util/assert.h"

namespace qpow::state {
namespace {

// Blocks grow from 4 KiB to 64 KiB (below the size at which malloc maps pages of its own), so a
// small set stays small and a block's set needs a few dozen of them.
constexpr std::size_t kFirstBlockBytes = std::size_t{4} << 10;
constexpr std::size_t kBlockBytesMax = std::size_t{64} << 10;

}  // namespace

StateWrites::Entry StateWrites::Slot::entry() const {
  Entry e{.key = key_span(), .value = std::nullopt};
  if (has_value) e.value = util::ByteSpan(value, value_size);
  return e;
}

StateWrites::StateWrites(const StateWrites& other) {
  slots_.reserve(other.slots_.size());
  for (const Entry e : other) append(e.key, e.value);
}

StateWrites& StateWrites::operator=(const StateWrites& other) {
  if (this != &other) *this = StateWrites(other);
  return *this;
}

StateWrites::StateWrites(StateWrites&& other) noexcept
    : slots_(std::exchange(other.slots_, {})),
      blocks_(std::exchange(other.blocks_, {})),
      next_(std::exchange(other.next_, nullptr)),
      free_(std::exchange(other.free_, 0)),
      last_block_bytes_(std::exchange(other.last_block_bytes_, 0)) {}

StateWrites& StateWrites::operator=(StateWrites&& other) noexcept {
  if (this != &other) {
    slots_ = std::exchange(other.slots_, {});
    blocks_ = std::exchange(other.blocks_, {});
    next_ = std::exchange(other.next_, nullptr);
    free_ = std::exchange(other.free_, 0);
    last_block_bytes_ = std::exchange(other.last_block_bytes_, 0);
  }
  return *this;
}

StateWrites::Slot StateWrites::make_slot(util::ByteSpan key) {
  QPOW_ASSERT_MSG(key.size() <= kStateKeyBytesMax, "a state key longer than kStateKeyBytesMax");
  Slot slot;
  slot.key_size = static_cast<std::uint8_t>(key.size());
  if (!key.empty()) std::memcpy(slot.key.data(), key.data(), key.size());
  return slot;
}

std::uint8_t* StateWrites::allocate(std::size_t size) {
  if (size > kBlockBytesMax / 4) {
    // A large value gets a block of its own; the block being filled stays the one to fill.
    blocks_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(size));
    return blocks_.back().get();
  }
  if (size > free_) {
    last_block_bytes_ = std::clamp(2 * last_block_bytes_, kFirstBlockBytes, kBlockBytesMax);
    blocks_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(last_block_bytes_));
    next_ = blocks_.back().get();
    free_ = last_block_bytes_;
  }
  std::uint8_t* const out = next_;
  next_ += size;
  free_ -= size;
  return out;
}

void StateWrites::set_value(Slot& slot, std::optional<util::ByteSpan> value) {
  slot.has_value = value.has_value();
  slot.value_size = 0;
  slot.value = nullptr;
  if (!value || value->empty()) return;
  QPOW_ASSERT(value->size() <= UINT32_MAX);
  std::uint8_t* const bytes = allocate(value->size());
  std::memcpy(bytes, value->data(), value->size());
  slot.value = bytes;
  slot.value_size = static_cast<std::uint32_t>(value->size());
}

void StateWrites::append(util::ByteSpan key, std::optional<util::ByteSpan> value) {
  QPOW_ASSERT_MSG(slots_.empty() || StateKeyLess{}(slots_.back().key_span(), key),
                  "StateWrites::append out of key order");
  Slot slot = make_slot(key);
  set_value(slot, value);
  slots_.push_back(slot);
}

util::MutableByteSpan StateWrites::append_value(util::ByteSpan key, std::size_t size) {
  QPOW_ASSERT_MSG(slots_.empty() || StateKeyLess{}(slots_.back().key_span(), key),
                  "StateWrites::append_value out of key order");
  QPOW_ASSERT(size <= UINT32_MAX);
  Slot slot = make_slot(key);
  std::uint8_t* const bytes = size == 0 ? nullptr : allocate(size);
  slot.has_value = true;
  slot.value = bytes;
  slot.value_size = static_cast<std::uint32_t>(size);
  slots_.push_back(slot);
  return util::MutableByteSpan(bytes, size);
}

std::optional<StateWrites::Entry> StateWrites::find(util::ByteSpan key) const {
  const auto it = std::lower_bound(
      slots_.begin(), slots_.end(), key,
      [](const Slot& slot, util::ByteSpan k) { return StateKeyLess{}(slot.key_span(), k); });
  if (it == slots_.end() || !util::bytes_equal(it->key_span(), key)) return std::nullopt;
  return it->entry();
}

}  // namespace qpow::state
