// The search tree of omega-prm (mining/omega_prm.h): Monte Carlo tree search over nonce ranges.
//
// A node owns a nonce range [begin, end) and a cursor, the next nonce of it nobody has reserved
// yet. The root owns [nonce_begin, nonce_end). One round is:
//
//   selection       from the root, UCB1 (mean reward + c * sqrt(ln N_parent / n_child)) among
//                   the selectable children, unvisited children first (leftmost first), down to
//                   a leaf;
//   expansion       a leaf visited at least kExpandVisits times whose unreserved part
//                   [cursor, end) is longer than one batch splits that part into 2^branching_bits
//                   children (fewer when the part is shorter), and selection goes on into them.
//                   The prefix [begin, cursor) it has already handed out stays accounted to it, so
//                   no nonce belongs to two leaves and none is ever hashed twice;
//   reservation     the leaf's next batch [cursor, cursor + batch_nonces) is handed out by moving
//                   the cursor, so concurrent workers never get the same nonce;
//   (simulation)    the caller hashes the batch, outside any lock, and turns the best hash into a
//                   reward in [0, 1];
//   backpropagation the reward is added on the path to the root. A non-root node with at least
//                   prune_min_visits visits whose mean reward is below prune_threshold is pruned:
//                   never selected again.
//
// Visits are counted at selection, not at backpropagation (the "virtual loss" of parallel MCTS):
// a batch in flight already counts, so concurrent workers spread over unvisited children instead
// of piling onto the same one, at the price of a mean that reads low while batches are in flight.
//
// A leaf whose every nonce is reserved is exhausted; a node whose children are all exhausted is
// exhausted too. A node is selectable when it is neither pruned nor exhausted and, if it has
// children, one of them is selectable. When pruning has left the root unselectable while nonces
// remain unreserved, every prune is lifted (unprunes counts these events) so that the search
// still covers the whole range: pruning orders the range, it never drops part of it. (Lifting
// walks the whole tree, so a threshold near 1, which prunes nearly every node, makes it frequent.)
//
// The tree is bounded by max_nodes: when a split would pass the bound the leaf is not split and
// batches keep coming from its cursor.
//
// Not thread-safe: the search holds one mutex around every call (short critical sections).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "mining/nonce_search.h"

namespace qpow::mining {

inline constexpr std::size_t kHeatMapBuckets = 64;
// Hashed nonces per bucket: bucket i counts offsets [i * w, (i + 1) * w) of the root range with
// w = ceil(range / 64) (so a range shorter than 64 nonces uses only its first buckets).
using HeatMap = std::array<std::uint64_t, kHeatMapBuckets>;

// A leaf is split only after it has been selected this many times (its first batch comes from
// the leaf itself, so a split always follows some evidence about the range).
inline constexpr std::uint64_t kExpandVisits = 1;

struct OmegaPrmTreeStats {
  std::uint64_t nodes = 0;      // root included
  std::uint64_t prunes = 0;     // nodes pruned (a node pruned again after an unprune counts again)
  std::uint64_t unprunes = 0;   // times every prune was lifted to keep the range covered
  std::uint64_t max_depth = 0;  // the root has depth 0
  std::uint64_t batches = 0;    // batches handed out
};

class OmegaPrmTree {
 public:
  // A batch handed to a worker: hash [begin, end), then call complete() with the same lease.
  struct Lease {
    std::uint32_t leaf = 0;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t nodes_created = 0;  // by the expansion this selection did, if any
  };

  // `params` must pass check_omega_prm_params.
  explicit OmegaPrmTree(const OmegaPrmParams& params);

  // Drops the tree and starts over with a root owning [begin, end) (empty if begin >= end).
  void reset(std::uint64_t begin, std::uint64_t end);

  // Selects, expands and reserves the next batch; nothing once every nonce has been reserved.
  std::optional<Lease> next_batch();

  // Backpropagates `reward` (in [0, 1]) from the lease's leaf, records the `hashed` nonces from
  // lease.begin in the heat map (fewer than the lease when a solution ended the batch), prunes.
  // Returns the number of nodes pruned by this call.
  std::uint64_t complete(const Lease& lease, double reward, std::uint64_t hashed);

  // Whether every nonce of the root range has been reserved.
  bool exhausted() const { return nodes_.front().exhausted; }
  const HeatMap& heat_map() const { return heat_map_; }
  OmegaPrmTreeStats stats() const;

 private:
  static constexpr std::uint32_t kNoNode = ~std::uint32_t{0};
  struct Node {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t cursor = 0;  // a node with children keeps its cursor where it was split
    std::uint64_t visits = 0;
    double reward_sum = 0;
    std::uint32_t parent = kNoNode;
    std::uint32_t first_child = kNoNode;  // children are contiguous in nodes_
    std::uint32_t child_count = 0;
    std::uint32_t depth = 0;
    bool pruned = false;
    bool exhausted = false;
    bool selectable = true;
  };

  bool should_expand(const Node& leaf) const;
  void expand(std::uint32_t leaf);
  std::uint32_t pick_child(std::uint32_t parent) const;
  // Recomputes exhausted and selectable of `index` from its own state and its children's.
  void refresh(std::uint32_t index);
  void unprune_all();
  void add_heat(std::uint64_t begin, std::uint64_t end);

  OmegaPrmParams params_;
  std::vector<Node> nodes_;
  HeatMap heat_map_{};
  std::uint64_t bucket_width_ = 1;
  OmegaPrmTreeStats stats_;
};

// The reward scale. Zero bits of a 256-bit value v > 0: -log2(v / 2^256), continuous, taken from
// the 64-bit word holding v's top set bit as a double. Both 1 and 0 give 256.
double zero_bits(const util::Uint256& value);
// The zero bits a hash must reach to meet `target`: -log2((target + 1) / 2^256); 0 for the
// maximum target, 256 for target 0 (nothing meets it; the reward scale then tops out at 256 bits).
double target_zero_bits(const util::Uint256& target);
// min(1, zero_bits(best) / target_bits); 1 when target_bits is 0.
double batch_reward(const crypto::Hash256& best, double target_bits);

}  // namespace qpow::mining
