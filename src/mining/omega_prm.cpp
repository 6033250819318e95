#include "mining/omega_prm.h"

#include <algorithm>
#include <cmath>

#include "crypto/qhash.h"
#include "mining/hash_lanes.h"
#include "mining/search_common.h"
#include "util/assert.h"

namespace qpow::mining {

// What the workers of one search() share besides the tree.
struct OmegaPrmSearch::Run {
  const LaneHasher& hasher;
  const StopSignal& stop;
  SearchCounters& counters;
  double target_bits = 0;
  SharedOutcome shared;
};

util::Result<std::unique_ptr<OmegaPrmSearch>> OmegaPrmSearch::create(const OmegaPrmParams& params) {
  QPOW_RETURN_IF_ERROR(check_omega_prm_params(params));
  return std::make_unique<OmegaPrmSearch>(Private{}, params);
}

std::unique_ptr<OmegaPrmSearch> OmegaPrmSearch::create_clamped(const OmegaPrmParams& params) {
  return std::make_unique<OmegaPrmSearch>(Private{}, clamp(params));
}

OmegaPrmParams OmegaPrmSearch::clamp(const OmegaPrmParams& params) {
  const OmegaPrmParams defaults;
  OmegaPrmParams p = params;
  p.exploration = std::isnan(p.exploration)
                      ? defaults.exploration
                      : std::clamp(p.exploration, 0.0, kOmegaPrmExplorationMax);
  p.branching_bits =
      std::clamp(p.branching_bits, kOmegaPrmBranchingBitsMin, kOmegaPrmBranchingBitsMax);
  p.batch_nonces = std::clamp<std::uint64_t>(p.batch_nonces, 1, kMaxBatchNonces);
  p.prune_threshold = std::isnan(p.prune_threshold) ? defaults.prune_threshold
                                                    : std::clamp(p.prune_threshold, 0.0, 1.0);
  p.prune_min_visits = std::max<std::uint64_t>(p.prune_min_visits, 1);
  p.max_nodes = std::clamp<std::uint64_t>(p.max_nodes, 1, kOmegaPrmMaxNodesLimit);
  QPOW_ASSERT(check_omega_prm_params(p).is_ok());
  return p;
}

OmegaPrmSearch::OmegaPrmSearch(Private /*tag*/, const OmegaPrmParams& params)
    : params_(params), tree_(params) {}

HeatMap OmegaPrmSearch::heat_map() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return tree_.heat_map();
}

OmegaPrmTreeStats OmegaPrmSearch::tree_stats() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return tree_.stats();
}

SearchResult OmegaPrmSearch::search(const Work& work, std::size_t workers, util::Executor& executor,
                                    const StopSignal& stop, SearchCounters& counters) {
  workers = effective_workers(workers);
  const crypto::QhashPrefix prefix(work.fixed);
  const LaneHasher hasher(prefix, work.target);
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    tree_.reset(work.nonce_begin, work.nonce_end);
  }
  counters.tree_nodes.fetch_add(1, std::memory_order_relaxed);  // the root
  Run run{.hasher = hasher,
          .stop = stop,
          .counters = counters,
          .target_bits = target_zero_bits(work.target),
          .shared = {}};
  executor.parallel_for(workers, [&](std::size_t) { run_worker(run); });
  if (std::optional<Solution> solution = run.shared.solution()) {
    return {.end = SearchEnd::kSolved, .solution = solution};
  }
  // Every worker has returned, so every reserved batch has been hashed in full: a tree with
  // nothing left to reserve means the whole range was hashed.
  const std::lock_guard<std::mutex> lock(mutex_);
  return {.end = tree_.exhausted() ? SearchEnd::kExhausted : SearchEnd::kStopped, .solution = {}};
}

void OmegaPrmSearch::run_worker(Run& run) {
  for (;;) {
    if (run.stop.stop_requested() || run.shared.found()) return;
    OmegaPrmTree::Lease lease;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      std::optional<OmegaPrmTree::Lease> next = tree_.next_batch();
      if (!next) return;
      lease = *next;
    }
    if (lease.nodes_created != 0) {
      run.counters.tree_nodes.fetch_add(lease.nodes_created, std::memory_order_relaxed);
    }
    const LaneScan scan = run.hasher.scan(lease.begin, lease.end, TrackBest::kYes);
    if (observer_) observer_(lease.begin, lease.begin + scan.hashed);
    const std::uint64_t total = run.shared.add_hashes(scan.hashed, run.counters);
    const double reward = batch_reward(scan.best, run.target_bits);
    std::uint64_t pruned = 0;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      pruned = tree_.complete(lease, reward, scan.hashed);
    }
    if (pruned != 0) run.counters.prunes.fetch_add(pruned, std::memory_order_relaxed);
    if (scan.solved) {
      run.shared.record(scan, total, run.counters);
      return;
    }
  }
}

}  // namespace qpow::mining
