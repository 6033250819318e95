// NodeStore: where the account state (the sparse Merkle tree's nodes and the account records)
// is persisted. The state layer only reads through this interface; every change it computes is
// returned as a StateWrites set, which the storage layer applies in the same atomic write batch
// that connects a block and moves the tip (DESIGN §4). So a crash can never leave half a block's
// state on disk.
//
// Keys are opaque byte strings chosen by the state layer (at most kStateKeyBytesMax = 34 bytes;
// smt_node.h has the layout); storage keeps them in one column family and must not interpret them.
// Values are at most a few KiB (an account record, account.h).
#pragma once

#include <optional>

#include "state/state_writes.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

class NodeStore {
 public:
  virtual ~NodeStore() = default;

  // The value stored under key, or nullopt when there is none. Errors are I/O or corruption.
  virtual util::Result<std::optional<util::Bytes>> get(util::ByteSpan key) const = 0;
};

// Bytewise lexicographic order of keys (the order of RocksDB's default comparator), with lookups
// by ByteSpan. Defined out of line: g++ 12 at -O3 reports a false -Wstringop-overread inside
// std::less<std::vector<std::uint8_t>> wherever such a map is instantiated.
struct StateKeyLess {
  using is_transparent = void;
  bool operator()(util::ByteSpan a, util::ByteSpan b) const;
};

}  // namespace qpow::state
