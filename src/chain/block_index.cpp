#include "chain/block_index.h"

#include <vector>

#include "consensus/chain_params.h"
#include "consensus/header_rules.h"
#include "util/assert.h"

namespace qpow::chain {

bool BlockIndex::BetterChain::operator()(const BlockIndexEntry* a,
                                         const BlockIndexEntry* b) const {
  if (a->chain_work != b->chain_work) return a->chain_work > b->chain_work;
  return util::Uint256::from_le_bytes(a->hash) < util::Uint256::from_le_bytes(b->hash);
}

BlockIndexEntry* BlockIndex::find(const crypto::Hash256& hash) {
  auto it = entries_.find(hash);
  return it == entries_.end() ? nullptr : it->second.get();
}

const BlockIndexEntry* BlockIndex::find(const crypto::Hash256& hash) const {
  auto it = entries_.find(hash);
  return it == entries_.end() ? nullptr : it->second.get();
}

BlockIndexEntry* BlockIndex::insert(const primitives::BlockHeader& header,
                                    const crypto::Hash256& hash, BlockIndexEntry* parent,
                                    const util::Uint256& work, std::uint8_t status) {
  QPOW_ASSERT(find(hash) == nullptr);
  auto entry = std::make_unique<BlockIndexEntry>();
  entry->hash = hash;
  entry->header = header;
  entry->parent = parent;
  entry->chain_work = parent ? parent->chain_work + work : work;
  entry->status = status & (kHaveData | kConnected | kFailed);
  if (parent && parent->failed()) entry->status |= kFailedParent;
  BlockIndexEntry* raw = entry.get();
  entries_.emplace(hash, std::move(entry));
  if (parent) parent->children.push_back(raw);
  if (raw->status & kHaveData) {
    raw->status &= static_cast<std::uint8_t>(~kHaveData);
    mark_have_data(raw);
  }
  return raw;
}

void BlockIndex::add_candidates_from(BlockIndexEntry* entry) {
  // Depth-first over descendants whose data is stored, with an explicit stack: chains can be
  // long, recursion depth must not depend on input.
  std::vector<BlockIndexEntry*> stack{entry};
  while (!stack.empty()) {
    BlockIndexEntry* e = stack.back();
    stack.pop_back();
    e->chain_has_data = true;
    if (!e->failed()) candidates_.insert(e);
    for (BlockIndexEntry* child : e->children) {
      if ((child->status & kHaveData) && !child->chain_has_data) stack.push_back(child);
    }
  }
}

void BlockIndex::mark_have_data(BlockIndexEntry* entry) {
  entry->status |= kHaveData;
  if (entry->parent == nullptr || entry->parent->chain_has_data) add_candidates_from(entry);
}

void BlockIndex::mark_failed(BlockIndexEntry* entry) {
  entry->status |= kFailed;
  std::vector<BlockIndexEntry*> stack{entry};
  while (!stack.empty()) {
    BlockIndexEntry* e = stack.back();
    stack.pop_back();
    candidates_.erase(e);
    if (e != entry) e->status |= kFailedParent;
    for (BlockIndexEntry* child : e->children) stack.push_back(child);
  }
}

BlockIndexEntry* BlockIndex::best_candidate() const {
  return candidates_.empty() ? nullptr : *candidates_.begin();
}

BlockIndexEntry* BlockIndex::ancestor(BlockIndexEntry* entry, std::uint64_t height) {
  QPOW_ASSERT(entry && height <= entry->height());
  while (entry->height() > height) entry = entry->parent;
  return entry;
}

const BlockIndexEntry* BlockIndex::fork_point(const BlockIndexEntry* a, const BlockIndexEntry* b) {
  while (a->height() > b->height()) a = a->parent;
  while (b->height() > a->height()) b = b->parent;
  while (a != b) {
    a = a->parent;
    b = b->parent;
  }
  return a;
}

std::uint64_t BlockIndex::median_time_past(const BlockIndexEntry* entry) {
  std::vector<std::uint64_t> times;
  for (; entry && times.size() < consensus::kMedianTimeSpan; entry = entry->parent) {
    times.push_back(entry->header.time);
  }
  return consensus::median_time_past(times);
}

}  // namespace qpow::chain
