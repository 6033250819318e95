#include "mining/omega_prm_tree.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/assert.h"

namespace qpow::mining {

OmegaPrmTree::OmegaPrmTree(const OmegaPrmParams& params) : params_(params) {
  QPOW_ASSERT(check_omega_prm_params(params).is_ok());
  reset(0, 0);
}

void OmegaPrmTree::reset(std::uint64_t begin, std::uint64_t end) {
  end = std::max(begin, end);
  nodes_.clear();
  Node root;
  root.begin = begin;
  root.end = end;
  root.cursor = begin;
  nodes_.push_back(root);
  refresh(0);
  heat_map_.fill(0);
  const std::uint64_t size = end - begin;
  // ceil(size / buckets) without overflowing near 2^64.
  bucket_width_ =
      std::max<std::uint64_t>(1, size / kHeatMapBuckets + (size % kHeatMapBuckets != 0 ? 1 : 0));
  stats_ = OmegaPrmTreeStats{.nodes = 1, .prunes = 0, .unprunes = 0, .max_depth = 0, .batches = 0};
}

std::optional<OmegaPrmTree::Lease> OmegaPrmTree::next_batch() {
  if (nodes_.front().exhausted) return std::nullopt;
  if (!nodes_.front().selectable) unprune_all();
  QPOW_ASSERT(nodes_.front().selectable);
  Lease lease;
  std::uint32_t index = 0;
  for (;;) {
    Node& node = nodes_[index];
    if (node.child_count == 0 && should_expand(node)) {
      const std::size_t before = nodes_.size();
      expand(index);
      lease.nodes_created = nodes_.size() - before;
    }
    Node& current = nodes_[index];  // expand() may have moved the nodes
    ++current.visits;
    if (current.child_count == 0) break;
    index = pick_child(index);
  }
  Node& leaf = nodes_[index];
  QPOW_ASSERT(leaf.cursor < leaf.end);
  const std::uint64_t take = std::min(params_.batch_nonces, leaf.end - leaf.cursor);
  lease.leaf = index;
  lease.begin = leaf.cursor;
  lease.end = leaf.cursor + take;
  leaf.cursor = lease.end;
  for (std::uint32_t i = index; i != kNoNode; i = nodes_[i].parent) refresh(i);
  ++stats_.batches;
  return lease;
}

std::uint64_t OmegaPrmTree::complete(const Lease& lease, double reward, std::uint64_t hashed) {
  QPOW_ASSERT(lease.leaf < nodes_.size() && hashed <= lease.end - lease.begin);
  add_heat(lease.begin, lease.begin + hashed);
  std::uint64_t pruned = 0;
  for (std::uint32_t i = lease.leaf; i != kNoNode; i = nodes_[i].parent) {
    Node& node = nodes_[i];
    node.reward_sum += reward;
    const bool is_root = node.parent == kNoNode;
    if (!is_root && !node.pruned && node.visits >= params_.prune_min_visits &&
        node.reward_sum / static_cast<double>(node.visits) < params_.prune_threshold) {
      node.pruned = true;
      ++pruned;
    }
    refresh(i);
  }
  stats_.prunes += pruned;
  return pruned;
}

OmegaPrmTreeStats OmegaPrmTree::stats() const {
  OmegaPrmTreeStats s = stats_;
  s.nodes = nodes_.size();
  return s;
}

bool OmegaPrmTree::should_expand(const Node& leaf) const {
  const std::uint64_t children = std::uint64_t{1} << params_.branching_bits;
  return leaf.visits >= kExpandVisits && leaf.end - leaf.cursor > params_.batch_nonces &&
         nodes_.size() + std::min(children, leaf.end - leaf.cursor) <= params_.max_nodes;
}

void OmegaPrmTree::expand(std::uint32_t leaf) {
  const Node parent = nodes_[leaf];
  const std::uint64_t remaining = parent.end - parent.cursor;
  const std::uint64_t count = std::min(std::uint64_t{1} << params_.branching_bits, remaining);
  const std::uint64_t base = remaining / count;
  const std::uint64_t extra = remaining % count;
  QPOW_ASSERT(count >= 2 && nodes_.size() + count <= params_.max_nodes);
  const auto first = static_cast<std::uint32_t>(nodes_.size());
  std::uint64_t start = parent.cursor;
  for (std::uint64_t i = 0; i < count; ++i) {
    Node child;
    child.begin = start;
    child.end = start + base + (i < extra ? 1 : 0);
    child.cursor = start;
    child.parent = leaf;
    child.depth = parent.depth + 1;
    nodes_.push_back(child);
    start = child.end;
  }
  QPOW_ASSERT(start == parent.end);
  nodes_[leaf].first_child = first;
  nodes_[leaf].child_count = static_cast<std::uint32_t>(count);
  stats_.max_depth = std::max<std::uint64_t>(stats_.max_depth, parent.depth + 1);
}

std::uint32_t OmegaPrmTree::pick_child(std::uint32_t parent) const {
  const Node& p = nodes_[parent];
  const double log_parent = std::log(static_cast<double>(std::max<std::uint64_t>(p.visits, 1)));
  std::uint32_t best = kNoNode;
  double best_score = -std::numeric_limits<double>::infinity();
  for (std::uint32_t c = p.first_child; c < p.first_child + p.child_count; ++c) {
    const Node& child = nodes_[c];
    if (!child.selectable) continue;
    if (child.visits == 0) return c;
    const auto n = static_cast<double>(child.visits);
    const double score = child.reward_sum / n + params_.exploration * std::sqrt(log_parent / n);
    if (score > best_score) {
      best_score = score;
      best = c;
    }
  }
  QPOW_ASSERT(best != kNoNode);  // a selectable node has a selectable child
  return best;
}

void OmegaPrmTree::refresh(std::uint32_t index) {
  Node& node = nodes_[index];
  if (node.child_count == 0) {
    node.exhausted = node.cursor == node.end;
    node.selectable = !node.pruned && !node.exhausted;
    return;
  }
  bool all_exhausted = true;
  bool any_selectable = false;
  for (std::uint32_t c = node.first_child; c < node.first_child + node.child_count; ++c) {
    all_exhausted = all_exhausted && nodes_[c].exhausted;
    any_selectable = any_selectable || nodes_[c].selectable;
  }
  node.exhausted = all_exhausted;
  node.selectable = !node.pruned && !node.exhausted && any_selectable;
}

void OmegaPrmTree::unprune_all() {
  // Children always come after their parent in nodes_, so one backward pass sees every child
  // refreshed before its parent.
  for (std::size_t i = nodes_.size(); i-- > 0;) {
    nodes_[i].pruned = false;
    refresh(static_cast<std::uint32_t>(i));
  }
  ++stats_.unprunes;
}

void OmegaPrmTree::add_heat(std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t root_begin = nodes_.front().begin;
  const std::uint64_t root_size = nodes_.front().end - root_begin;
  while (begin < end) {
    const std::uint64_t bucket = (begin - root_begin) / bucket_width_;
    QPOW_ASSERT(bucket < kHeatMapBuckets);
    // The bucket's end offset; the last bucket ends with the range (no overflow near 2^64).
    const std::uint64_t bucket_end_offset =
        bucket + 1 == kHeatMapBuckets ? root_size : (bucket + 1) * bucket_width_;
    const std::uint64_t stop = std::min(end, root_begin + std::min(bucket_end_offset, root_size));
    heat_map_[bucket] += stop - begin;
    begin = stop;
  }
}

double zero_bits(const util::Uint256& value) {
  for (int i = 3; i >= 0; --i) {
    const std::uint64_t word = value.limb(i);
    if (word == 0) continue;
    const double bits = 64.0 * (3 - i) + 64.0 - std::log2(static_cast<double>(word));
    return std::max(0.0, bits);
  }
  return 256.0;
}

double target_zero_bits(const util::Uint256& target) {
  if (target == util::Uint256::max()) return 0.0;
  return zero_bits(target + util::Uint256(1));
}

double batch_reward(const crypto::Hash256& best, double target_bits) {
  if (target_bits <= 0.0) return 1.0;
  return std::min(1.0, zero_bits(util::Uint256::from_le_bytes(best)) / target_bits);
}

}  // namespace qpow::mining
