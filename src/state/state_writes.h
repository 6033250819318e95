// StateWrites: what an update of the account state does to its NodeStore (node_store.h): for each
// key it touches, the value to store there or a deletion. Each key appears once, and the set is
// kept in bytewise key order (StateKeyLess, node_store.h: the order of RocksDB's default
// comparator), so applying it is deterministic.
//
// The state layer writes thousands of keys per block and produces them in key order, so the set
// is built for that: keys (at most kStateKeyBytesMax bytes) are held inline, values are packed
// back to back into a few large blocks, and append() at the end does no search. A block's write
// set therefore costs a few dozen allocations rather than three per key.
//
// Entries handed out are views into the set: they stay valid until the set is changed or
// destroyed (moving the set keeps them valid). A copy owns its own storage. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "util/bytes.h"

namespace qpow::state {

// The longest key the state layout uses ("n" || depth || 32 prefix bytes, smt_node.h).
inline constexpr std::size_t kStateKeyBytesMax = 34;

class StateWrites {
 public:
  struct Entry {
    util::ByteSpan key;
    std::optional<util::ByteSpan> value;  // nullopt: delete the key
  };

 private:
  struct Slot {
    util::ByteArray<kStateKeyBytesMax> key{};
    std::uint8_t key_size = 0;
    bool has_value = false;
    std::uint32_t value_size = 0;
    const std::uint8_t* value = nullptr;  // into blocks_

    Entry entry() const;
    util::ByteSpan key_span() const { return util::ByteSpan(key.data(), key_size); }
  };

 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Entry;

    Iterator() = default;
    Entry operator*() const { return slot_->entry(); }
    Iterator& operator++() {
      ++slot_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++slot_;
      return before;
    }
    friend bool operator==(const Iterator&, const Iterator&) = default;

   private:
    friend class StateWrites;
    explicit Iterator(const Slot* slot) : slot_(slot) {}
    const Slot* slot_ = nullptr;
  };

  StateWrites() = default;
  StateWrites(const StateWrites& other);
  StateWrites& operator=(const StateWrites& other);
  // A moved-from set is empty.
  StateWrites(StateWrites&& other) noexcept;
  StateWrites& operator=(StateWrites&& other) noexcept;
  ~StateWrites() = default;

  // Room for this many writes without growing the key table.
  void reserve(std::size_t entries) { slots_.reserve(entries); }

  // Adds the write of a key that sorts after every key already here (asserted).
  void append(util::ByteSpan key, std::optional<util::ByteSpan> value);
  // Adds a store of `size` bytes under such a key and returns them for the caller to fill in
  // place, before anything else changes the set.
  util::MutableByteSpan append_value(util::ByteSpan key, std::size_t size);

  // The write of `key`, if there is one.
  std::optional<Entry> find(util::ByteSpan key) const;

  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  Iterator begin() const { return Iterator(slots_.data()); }
  Iterator end() const { return Iterator(slots_.data() + slots_.size()); }

 private:
  static Slot make_slot(util::ByteSpan key);
  // Stores the value's bytes (if any) and points the slot at them.
  void set_value(Slot& slot, std::optional<util::ByteSpan> value);
  // `size` bytes that stay where they are until the set is destroyed.
  std::uint8_t* allocate(std::size_t size);

  std::vector<Slot> slots_;  // sorted by key, distinct keys
  std::vector<std::unique_ptr<std::uint8_t[]>> blocks_;
  std::uint8_t* next_ = nullptr;  // the free part of the block being filled
  std::size_t free_ = 0;
  std::size_t last_block_bytes_ = 0;
};

}  // namespace qpow::state
