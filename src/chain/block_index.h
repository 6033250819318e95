// The block index: every header the node has accepted, linked to its parent, with cumulative
// work and validation status, and the set of chain tips it could switch to.
//
// Fork choice (DESIGN §4): among blocks whose whole chain is stored and not known to be invalid,
// the one with the most cumulative work; equal work goes to the lower block hash (compared as a
// little-endian 256-bit number), so two halves of a healed partition pick the same tip without
// talking. Owned by the chainstate; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "chain/chain_records.h"
#include "crypto/sha3.h"
#include "primitives/block.h"
#include "util/uint256.h"

namespace qpow::chain {

struct BlockIndexEntry {
  crypto::Hash256 hash{};
  primitives::BlockHeader header;
  BlockIndexEntry* parent = nullptr;  // null only for genesis
  std::vector<BlockIndexEntry*> children;
  util::Uint256 chain_work{};  // work of this block and all its ancestors
  std::uint8_t status = 0;     // BlockStatus bits
  bool chain_has_data = false;  // this block and every ancestor have their data stored

  std::uint64_t height() const { return header.height; }
  bool failed() const { return (status & (kFailed | kFailedParent)) != 0; }
};

class BlockIndex {
 public:
  BlockIndexEntry* find(const crypto::Hash256& hash);
  const BlockIndexEntry* find(const crypto::Hash256& hash) const;
  // Adds a header whose parent is `parent` (null for genesis) with the given status bits;
  // `work` is this header's own work.
  BlockIndexEntry* insert(const primitives::BlockHeader& header, const crypto::Hash256& hash,
                          BlockIndexEntry* parent, const util::Uint256& work, std::uint8_t status);

  // Marks the block's data stored; updates chain_has_data and the candidates below it.
  void mark_have_data(BlockIndexEntry* entry);
  // Marks the block invalid and every descendant as descending from an invalid block.
  void mark_failed(BlockIndexEntry* entry);

  // The best chain tip by the fork-choice rule, or null if none.
  BlockIndexEntry* best_candidate() const;

  // The ancestor of entry at `height` (<= entry's height).
  static BlockIndexEntry* ancestor(BlockIndexEntry* entry, std::uint64_t height);
  static const BlockIndexEntry* fork_point(const BlockIndexEntry* a, const BlockIndexEntry* b);
  // The median of the timestamps of entry and up to 10 ancestors.
  static std::uint64_t median_time_past(const BlockIndexEntry* entry);

  std::size_t size() const { return entries_.size(); }

 private:
  struct BetterChain {
    bool operator()(const BlockIndexEntry* a, const BlockIndexEntry* b) const;
  };
  void add_candidates_from(BlockIndexEntry* entry);

  std::map<crypto::Hash256, std::unique_ptr<BlockIndexEntry>> entries_;
  std::set<BlockIndexEntry*, BetterChain> candidates_;
};

}  // namespace qpow::chain
