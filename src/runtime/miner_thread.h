// MinerThread: the runtime's miner. One dedicated thread runs mining::mine_block on the newest
// submitted block template, with the configured nonce-search strategy and its own ThreadPool
// (the mining thread is one of the pool's threads), so mining never competes with the node's
// executor for a pool.
//
// Work: submit() replaces the work. A search in progress is stopped through its StopSignal
// (within one batch of hashes) and the thread continues with the newest template; templates
// submitted in between are skipped. After a solution the thread waits for new work instead of
// mining the same template again: the node submits a template on the new tip once it has taken
// the block. submit(nullopt) stops mining until the next template.
//
// Solutions go to the on_found callback, called on the mining thread; the environment posts them
// to its event thread. The destructor (or stop()) stops the search and joins the thread.
//
// Thread-safety: submit, hashes_per_second and stop may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "mining/block_miner.h"
#include "mining/nonce_search.h"
#include "primitives/block.h"
#include "runtime/thread_pool.h"
#include "util/result.h"

namespace qpow::runtime {

// The hash rate is an exponential moving average with this time constant, sampled when it is
// read; readings closer together than kHashRateSampleMinMs return the last average.
inline constexpr double kHashRateWindowS = 10.0;
inline constexpr std::int64_t kHashRateSampleMinMs = 200;

class MinerThread {
  struct Private {
    explicit Private() = default;
  };

 public:
  using FoundFn = std::function<void(primitives::Block block)>;

  // A miner using `strategy` (mining::make_search: "linear" or "omega-prm") on a pool of
  // `threads` threads (0: one per hardware thread, as ThreadPool::create). Starts the mining
  // thread, idle until the first submit(). Errors: an unknown strategy, a thread count out of
  // range, or the system refusing a thread.
  static util::Result<std::unique_ptr<MinerThread>> create(std::string_view strategy,
                                                           std::size_t threads, FoundFn on_found);

  explicit MinerThread(Private /*tag*/) {}
  ~MinerThread();
  MinerThread(const MinerThread&) = delete;
  MinerThread& operator=(const MinerThread&) = delete;

  // Replaces the work (nullopt: stop mining).
  void submit(std::optional<mining::BlockTemplate> work);
  // Hashes per second over roughly the last kHashRateWindowS; 0 when no work is submitted.
  double hashes_per_second() const;
  // Every hash computed so far.
  std::uint64_t hashes() const { return counters_.hashes.load(std::memory_order_relaxed); }
  // Stops the search and joins the thread; later submits are ignored. Idempotent.
  void stop();

 private:
  void loop();

  std::unique_ptr<mining::NonceSearch> search_;
  std::unique_ptr<ThreadPool> pool_;
  FoundFn on_found_;
  mining::StopSignal stop_signal_;
  mining::SearchCounters counters_;

  // Guards next_, stopping_ and active_. The mining thread takes next_ and resets stop_signal_
  // under it, so a submit() can never be lost between the two.
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<mining::BlockTemplate> next_;
  bool stopping_ = false;
  bool active_ = false;  // the last submission was a template, not nullopt

  // The moving average and the sample it was last updated from.
  mutable std::mutex rate_mutex_;
  mutable double rate_ = 0;
  mutable bool has_rate_ = false;
  mutable std::optional<std::chrono::steady_clock::time_point> sample_time_;
  mutable std::uint64_t sample_hashes_ = 0;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace qpow::runtime
