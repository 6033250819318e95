// omega-prm: the nonce search that runs a Monte Carlo tree search over nonce ranges
// (mining/omega_prm_tree.h describes the tree: UCB1 selection, expansion of a leaf's unhashed
// remainder, batch simulation, backpropagation, pruning). Every worker shares one tree behind
// one mutex; the critical sections are selection with reservation, and backpropagation, while
// the hashing of a batch runs outside the lock on the lane hasher (mining/hash_lanes.h).
//
// A batch's reward is the quality of its best hash on a continuous scale: its leading zero bits
// divided by the zero bits the target needs, capped at 1 (omega_prm_tree.h, batch_reward). Since
// qhash outputs are independent of the nonce, no range is really better than another; the tree
// orders the walk over the range and never changes what is hashed: every nonce of the range is
// hashed exactly once before the search reports kExhausted. Nothing here decides validity.
//
// Thread-safety: search() is one call at a time (NonceSearch); heat_map() and tree_stats() may be
// called from any thread, also while a search runs, and describe the current or last search.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include "mining/nonce_search.h"
#include "mining/omega_prm_tree.h"
#include "util/executor.h"
#include "util/result.h"

namespace qpow::mining {

class OmegaPrmSearch final : public NonceSearch {
  struct Private {
    explicit Private() = default;
  };

 public:
  // The error of check_omega_prm_params when params are out of range.
  static util::Result<std::unique_ptr<OmegaPrmSearch>> create(const OmegaPrmParams& params);
  // Clamps each parameter into its valid range first (see make_omega_prm_search).
  static std::unique_ptr<OmegaPrmSearch> create_clamped(const OmegaPrmParams& params);
  // The parameters create_clamped uses.
  static OmegaPrmParams clamp(const OmegaPrmParams& params);

  // Construct through create(): params must be valid.
  OmegaPrmSearch(Private /*tag*/, const OmegaPrmParams& params);

  std::string_view name() const override { return "omega-prm"; }
  SearchResult search(const Work& work, std::size_t workers, util::Executor& executor,
                      const StopSignal& stop, SearchCounters& counters) override;

  const OmegaPrmParams& params() const { return params_; }
  HeatMap heat_map() const;
  OmegaPrmTreeStats tree_stats() const;

  // Called after every batch, from the worker that hashed it (possibly several at once), with
  // the nonces it hashed: [begin, end). For tests and visualisation; set it between searches.
  using BatchObserver = std::function<void(std::uint64_t begin, std::uint64_t end)>;
  void set_batch_observer(BatchObserver observer) { observer_ = std::move(observer); }

 private:
  struct Run;
  void run_worker(Run& run);

  const OmegaPrmParams params_;
  mutable std::mutex mutex_;
  OmegaPrmTree tree_;  // guarded by mutex_
  BatchObserver observer_;
};

}  // namespace qpow::mining
