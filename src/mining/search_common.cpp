#include "mining/search_common.h"

#include "util/assert.h"

namespace qpow::mining {

std::uint64_t SharedOutcome::add_hashes(std::uint64_t hashes, SearchCounters& counters) {
  counters.hashes.fetch_add(hashes, std::memory_order_relaxed);
  return hashes_.fetch_add(hashes, std::memory_order_relaxed) + hashes;
}

void SharedOutcome::record(const LaneScan& scan, std::uint64_t total, SearchCounters& counters) {
  QPOW_ASSERT(scan.solved);
  const std::lock_guard<std::mutex> lock(mutex_);
  if (solution_.has_value()) return;
  solution_ = Solution{.nonce = scan.nonce, .hash = scan.hash, .hashes_to_solution = total};
  counters.solutions.fetch_add(1, std::memory_order_relaxed);
  found_.store(true, std::memory_order_release);
}

std::optional<Solution> SharedOutcome::solution() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return solution_;
}

}  // namespace qpow::mining
