// The linear strategy: worker i of N walks slice i of [nonce_begin, nonce_end) in nonce order, in
// batches of kLinearBatchNonces, polling the stop signal and the shared found flag between
// batches. The slices are contiguous and differ in length by at most one nonce.
#include <algorithm>
#include <atomic>

#include "mining/hash_lanes.h"
#include "mining/nonce_search.h"
#include "mining/search_common.h"

namespace qpow::mining {
namespace {

struct Slice {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// Slice i of `workers` over [begin, end): the first (size % workers) slices get one extra nonce.
Slice slice_of(std::uint64_t begin, std::uint64_t end, std::size_t workers, std::size_t i) {
  const std::uint64_t size = end > begin ? end - begin : 0;
  const std::uint64_t base = size / workers;
  const std::uint64_t extra = size % workers;
  const std::uint64_t start = begin + base * i + std::min<std::uint64_t>(i, extra);
  return {.begin = start, .end = start + base + (i < extra ? 1 : 0)};
}

class LinearSearch final : public NonceSearch {
 public:
  std::string_view name() const override { return "linear"; }

  SearchResult search(const Work& work, std::size_t workers, util::Executor& executor,
                      const StopSignal& stop, SearchCounters& counters) override {
    workers = effective_workers(workers);
    const crypto::QhashPrefix prefix(work.fixed);
    const LaneHasher hasher(prefix, work.target);
    SharedOutcome shared;
    std::atomic<std::size_t> completed{0};
    executor.parallel_for(workers, [&](std::size_t i) {
      const Slice slice = slice_of(work.nonce_begin, work.nonce_end, workers, i);
      if (run_slice(hasher, slice, stop, shared, counters)) {
        completed.fetch_add(1, std::memory_order_relaxed);
      }
    });
    if (std::optional<Solution> solution = shared.solution()) {
      return {.end = SearchEnd::kSolved, .solution = solution};
    }
    const bool exhausted = completed.load(std::memory_order_relaxed) == workers;
    return {.end = exhausted ? SearchEnd::kExhausted : SearchEnd::kStopped, .solution = {}};
  }

 private:
  // Hashes the slice batch by batch; true when every nonce of it was hashed with no solution.
  static bool run_slice(const LaneHasher& hasher, Slice slice, const StopSignal& stop,
                        SharedOutcome& shared, SearchCounters& counters) {
    std::uint64_t cursor = slice.begin;
    while (cursor < slice.end) {
      if (stop.stop_requested() || shared.found()) return false;
      const std::uint64_t batch_end = cursor + std::min(kLinearBatchNonces, slice.end - cursor);
      const LaneScan scan = hasher.scan(cursor, batch_end);
      const std::uint64_t total = shared.add_hashes(scan.hashed, counters);
      if (scan.solved) {
        shared.record(scan, total, counters);
        return false;
      }
      cursor = batch_end;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<NonceSearch> make_linear_search() {
  return std::make_unique<LinearSearch>();
}

}  // namespace qpow::mining
