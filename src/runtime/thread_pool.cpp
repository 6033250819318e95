#include "runtime/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::runtime {

// One parallel_for call. It lives on the caller's stack for the duration of the call.
struct ThreadPool::Job {
  const std::function<void(std::size_t)>* fn = nullptr;
  std::size_t count = 0;
  // The next unclaimed index. Every thread claims indices with fetch_add until it draws one
  // >= count, so it ends at most count + kThreadsMax (see the bound check in parallel_for).
  std::atomic<std::size_t> next{0};
};

namespace {

// The pool whose items this thread is running now, so a call made from inside fn is detected
// and run inline instead of waiting for the pool it is itself holding.
thread_local const ThreadPool* t_running_pool = nullptr;

std::size_t default_thread_count() {
  // hardware_concurrency() may return 0 when the count is not computable ([thread.thread.static]).
  const std::size_t hardware = std::thread::hardware_concurrency();
  return std::clamp<std::size_t>(hardware, 1, ThreadPool::kThreadsMax);
}

// Runs every item on the calling thread. noexcept for the same reason as run_items: fn must not
// throw, whichever path a call takes.
void run_inline(std::size_t count, const std::function<void(std::size_t)>& fn) noexcept {
  for (std::size_t i = 0; i < count; ++i) fn(i);
}

}  // namespace

util::Result<std::unique_ptr<ThreadPool>> ThreadPool::create(std::size_t threads) {
  if (threads > kThreadsMax) {
    return util::Status::out_of_range(
        fmt::format("thread pool: threads {} exceeds the limit of {}", threads, kThreadsMax));
  }
  if (threads == 0) threads = default_thread_count();
  auto pool = std::make_unique<ThreadPool>(Private{});
  // The caller of parallel_for is one of the pool's threads, so only threads - 1 are started.
  // On failure `pool` is destroyed here, which stops and joins the workers already started.
  QPOW_RETURN_IF_ERROR(pool->start_workers(threads - 1));
  return pool;
}

util::Status ThreadPool::start_workers(std::size_t count) {
  // Reserved up front so that emplace_back cannot throw after a thread has started.
  workers_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    try {
      workers_.emplace_back([this] { worker_loop(); });
    } catch (const std::system_error& error) {
      return util::Status::error(util::StatusCode::kInternal,
                                 fmt::format("thread pool: starting worker {} of {} failed: {}",
                                             i + 1, count, error.what()));
    }
  }
  return util::Status::ok();
}

ThreadPool::~ThreadPool() {
  {
    const std::lock_guard lock(mutex_);
    QPOW_ASSERT_MSG(job_ == nullptr, "thread pool destroyed during a parallel_for call");
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::parallel_for(std::size_t count, const std::function<void(std::size_t)>& fn) {
  // One item needs no second thread; a pool of one thread has none; and a call from inside fn
  // would wait on call_mutex_, which this very thread's outer call holds.
  if (count <= 1 || workers_.empty() || t_running_pool == this) {
    run_inline(count, fn);
    return;
  }
  // Keeps Job::next from wrapping around (see Job). No real caller comes near it.
  QPOW_ASSERT(count <= std::numeric_limits<std::size_t>::max() - kThreadsMax);

  const std::lock_guard call_lock(call_mutex_);
  Job job;
  job.fn = &fn;
  job.count = count;
  {
    const std::lock_guard lock(mutex_);
    job_ = &job;
    ++generation_;
  }
  // The caller takes items too, so at most count - 1 workers have something to do.
  wake_workers(count - 1);
  run_items(job);
  wait_for_workers();
}

void ThreadPool::wake_workers(std::size_t count) {
  if (count >= workers_.size()) {
    work_cv_.notify_all();
    return;
  }
  // A worker that is not waiting right now misses its notification but checks job_ before it
  // waits again, so it still joins; one that joins after all items are claimed leaves at once.
  for (std::size_t i = 0; i < count; ++i) work_cv_.notify_one();
}

void ThreadPool::wait_for_workers() {
  std::unique_lock lock(mutex_);
  // Every index is claimed (run_items returned), so no worker that has not yet joined has
  // anything left to do: close the job to newcomers, then wait for those inside to finish.
  job_ = nullptr;
  done_cv_.wait(lock, [this] { return active_workers_ == 0; });
}

void ThreadPool::run_items(Job& job) noexcept {
  const ThreadPool* const outer = t_running_pool;
  t_running_pool = this;
  // Relaxed is enough: the counter only hands out distinct indices. What fn writes reaches the
  // caller through mutex_ (a worker leaves the job under it and the caller waits under it).
  for (;;) {
    const std::size_t index = job.next.fetch_add(1, std::memory_order_relaxed);
    if (index >= job.count) break;
    (*job.fn)(index);
  }
  t_running_pool = outer;
}

void ThreadPool::worker_loop() {
  std::uint64_t joined_generation = 0;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_cv_.wait(
        lock, [&] { return stopping_ || (job_ != nullptr && generation_ != joined_generation); });
    if (stopping_) return;
    joined_generation = generation_;
    Job* const job = job_;
    ++active_workers_;
    lock.unlock();
    run_items(*job);
    lock.lock();
    --active_workers_;
    if (active_workers_ == 0) done_cv_.notify_one();
  }
}

}  // namespace qpow::runtime
