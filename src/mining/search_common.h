// What the workers of one nonce search share, whatever the strategy: the first solution
// recorded, a flag the others poll once per batch to stop early, and the running total of hashes
// that becomes Solution::hashes_to_solution.
//
// Thread-safety: every member function may be called from any worker at any time. Hashes are
// added once per batch (one atomic add per batch, never per hash), so the hot loop stays free of
// shared writes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

#include "mining/hash_lanes.h"
#include "mining/nonce_search.h"

namespace qpow::mining {

// The nonces of a linear worker's batch, and the most any strategy hashes between two polls of
// the stop signal.
inline constexpr std::uint64_t kLinearBatchNonces = 4096;
static_assert(kLinearBatchNonces <= kMaxBatchNonces);

// A request for zero workers runs one: a search always makes progress.
inline std::size_t effective_workers(std::size_t workers) {
  return workers == 0 ? 1 : workers;
}

class SharedOutcome {
 public:
  // Whether some worker has recorded a solution (the others stop at their next poll).
  bool found() const { return found_.load(std::memory_order_acquire); }

  // Adds one batch's hashes to this search's total and to the live counters; returns the total
  // including them. With one worker the total is exact at every point of the search order; with
  // several it counts the batches other workers have finished so far, not those in flight.
  std::uint64_t add_hashes(std::uint64_t hashes, SearchCounters& counters);

  // Records the solution of `scan` (which must be solved), found when the search had done `total`
  // hashes. The first solution recorded wins; later ones are ignored.
  void record(const LaneScan& scan, std::uint64_t total, SearchCounters& counters);

  std::optional<Solution> solution() const;

 private:
  std::atomic<bool> found_{false};
  std::atomic<std::uint64_t> hashes_{0};
  mutable std::mutex mutex_;
  std::optional<Solution> solution_;  // guarded by mutex_
};

}  // namespace qpow::mining
