// ThreadPool: the runtime's util::Executor (DESIGN §2). Layers below the runtime never start
// threads; they hand independent CPU-heavy work items (a block's signature checks, a nonce range)
// to an Executor, and in a real node that Executor is this pool.
//
// Shape and promises:
// - A pool of N threads starts N - 1 worker threads once, in create(), and reuses them for every
//   call; parallel_for never starts a thread. The calling thread runs work items too, so N calls
//   run at once while the caller, which would otherwise only wait, does useful work, and a pool of
//   one thread runs everything inline on the caller with no worker at all.
// - Work items are handed out one index at a time from a shared atomic counter, so a few slow
//   items do not leave other threads idle behind a fixed split of the range.
// - Idle workers sleep on a condition variable; they never spin.
// - parallel_for is safe to call from several threads at once. Calls are serialized: the second
//   caller waits until the first call has returned, then gets the whole pool.
// - A call made from inside fn (on the caller or on a worker) runs its items inline on that
//   thread instead of deadlocking on the pool it is already part of.
// - fn must not throw: the library reports errors as values (STYLE.md). An exception escaping
//   fn calls std::terminate, on the caller as well as on a worker, rather than leaving workers
//   running items of a call that has already unwound.
// - The destructor stops and joins every worker. It must not run while a parallel_for call on
//   the same pool is in progress (the owner ends all use before destroying it).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "util/executor.h"
#include "util/result.h"

namespace qpow::runtime {

class ThreadPool final : public util::Executor {
  struct Private {
    explicit Private() = default;
  };

 public:
  // Most threads one pool may have; create() rejects more. Far above any core count qpow runs
  // on, and low enough that a mistyped setting cannot exhaust the process's thread limit.
  static constexpr std::size_t kThreadsMax = 256;

  // A pool of `threads` threads in all (the caller counts as one). 0 means one per hardware
  // thread (std::thread::hardware_concurrency(), taken as 1 when unknown, capped at
  // kThreadsMax). Errors: out of range past kThreadsMax; internal when the system refuses to
  // start a thread (the workers already started are stopped again).
  static util::Result<std::unique_ptr<ThreadPool>> create(std::size_t threads);

  // Construct through create(): only the class can name Private, so only create() can call this.
  explicit ThreadPool(Private /*tag*/) {}
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Calls fn(i) once for every i in [0, count) on the caller and the workers, and returns when
  // every call has returned; everything fn wrote is then visible to the caller.
  void parallel_for(std::size_t count, const std::function<void(std::size_t)>& fn) override;
  // The number of threads in the pool, the caller included (>= 1).
  std::size_t concurrency() const override { return workers_.size() + 1; }

 private:
  struct Job;

  util::Status start_workers(std::size_t count);
  void worker_loop();
  // Claims and runs items of job until none is left. noexcept: see the header comment on fn.
  void run_items(Job& job) noexcept;
  void wake_workers(std::size_t count);
  void wait_for_workers();

  std::vector<std::thread> workers_;
  // Held for the whole of one parallel_for call, so calls from different threads take turns.
  std::mutex call_mutex_;
  // Guards job_, generation_, active_workers_ and stopping_.
  std::mutex mutex_;
  std::condition_variable work_cv_;  // workers wait here for a new job or for stopping_
  std::condition_variable done_cv_;  // the caller waits here for active_workers_ to reach 0
  // The call in progress, or nullptr. It lives on the caller's stack; the caller clears it and
  // waits for active_workers_ == 0 before returning, so no worker touches it afterwards.
  Job* job_ = nullptr;
  // Counts jobs, so that a worker joins each job at most once.
  std::uint64_t generation_ = 0;
  // Workers that joined job_ and have not yet left it.
  std::size_t active_workers_ = 0;
  bool stopping_ = false;
};

}  // namespace qpow::runtime
