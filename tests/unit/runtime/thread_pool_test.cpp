// ThreadPool: every index runs exactly once, results match the inline executor, work really runs
// on several threads at once and is handed out dynamically, and the pool stays correct across
// thousands of calls, concurrent callers and calls made from inside a work item.
#include "runtime/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/executor.h"
#include "util/splitmix64.h"
#include "util/status.h"

namespace qpow::runtime {
namespace {

// Long enough never to fire on a loaded 2-core machine, short enough that a serial pool fails
// the test instead of hanging it.
constexpr std::chrono::seconds kRendezvousTimeout{20};

std::unique_ptr<ThreadPool> make_pool(std::size_t threads) {
  auto pool = ThreadPool::create(threads);
  EXPECT_TRUE(pool.is_ok()) << pool.status().to_string();
  return std::move(pool).value();
}

// Counts threads in and lets them go once `expected` have arrived, or kRendezvousTimeout after it
// was made (one deadline for all, so a serial run fails once rather than once per item). Work
// items that each wait here can only all succeed if they run at the same time.
class Rendezvous {
 public:
  explicit Rendezvous(std::size_t expected)
      : expected_(expected), deadline_(std::chrono::steady_clock::now() + kRendezvousTimeout) {}

  // True when all expected threads arrived before the timeout.
  bool arrive_and_wait() {
    std::unique_lock lock(mutex_);
    ++arrived_;
    cv_.notify_all();
    return cv_.wait_until(lock, deadline_, [this] { return arrived_ >= expected_; });
  }

 private:
  const std::size_t expected_;
  const std::chrono::steady_clock::time_point deadline_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t arrived_ = 0;
};

// Calls executor.parallel_for(count) and returns how often each index was called.
std::vector<int> call_counts(util::Executor& executor, std::size_t count) {
  std::vector<std::atomic<int>> counts(count);
  executor.parallel_for(count, [&](std::size_t i) { counts[i].fetch_add(1); });
  std::vector<int> out;
  out.reserve(count);
  for (const auto& c : counts) out.push_back(c.load());
  return out;
}

// splitmix64 finalizer: a cheap deterministic function of the index, so results are checkable.
std::uint64_t mix(std::uint64_t x) {
  return util::splitmix64_mix(x + util::kSplitMix64Gamma);
}

TEST(ThreadPoolCreate, RejectsOneThreadPastTheLimit) {
  const auto pool = ThreadPool::create(ThreadPool::kThreadsMax + 1);
  ASSERT_FALSE(pool.is_ok());
  EXPECT_EQ(pool.status().code(), util::StatusCode::kOutOfRange);
  EXPECT_EQ(pool.status().message(), "thread pool: threads 257 exceeds the limit of 256");
}

TEST(ThreadPoolCreate, AcceptsTheLimit) {
  const auto pool = make_pool(ThreadPool::kThreadsMax);
  EXPECT_EQ(pool->concurrency(), ThreadPool::kThreadsMax);
  EXPECT_EQ(call_counts(*pool, 1000), std::vector<int>(1000, 1));
}

TEST(ThreadPoolCreate, ConcurrencyCountsTheCaller) {
  for (const std::size_t threads : {1U, 2U, 3U, 7U}) {
    EXPECT_EQ(make_pool(threads)->concurrency(), threads);
  }
}

TEST(ThreadPoolCreate, ZeroMeansOnePerHardwareThread) {
  const std::size_t expected =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, ThreadPool::kThreadsMax);
  EXPECT_EQ(make_pool(0)->concurrency(), expected);
}

TEST(ThreadPoolCreate, DestroysCleanlyWithoutUse) {
  for (int i = 0; i < 20; ++i) make_pool(4);
}

TEST(ThreadPool, CallsEveryIndexExactlyOnce) {
  for (const std::size_t threads : {1U, 2U, 3U, 8U}) {
    const auto pool = make_pool(threads);
    for (const std::size_t count : {0U, 1U, 7U, 10'000U}) {
      EXPECT_EQ(call_counts(*pool, count), std::vector<int>(count, 1))
          << "threads " << threads << ", count " << count;
    }
  }
}

TEST(ThreadPool, ResultsEqualTheInlineExecutors) {
  constexpr std::size_t kCount = 10'000;
  auto run = [](util::Executor& executor) {
    std::vector<std::uint64_t> results(kCount);
    executor.parallel_for(kCount, [&](std::size_t i) { results[i] = mix(i); });
    return results;
  };
  util::InlineExecutor inline_executor;
  const auto pool = make_pool(4);
  EXPECT_EQ(run(*pool), run(inline_executor));
}

TEST(ThreadPool, RunsItemsOnTwoThreadsAtOnce) {
  const auto pool = make_pool(2);
  Rendezvous rendezvous(2);
  std::vector<std::thread::id> ids(2);
  std::atomic<int> met{0};
  pool->parallel_for(2, [&](std::size_t i) {
    ids[i] = std::this_thread::get_id();
    if (rendezvous.arrive_and_wait()) met.fetch_add(1);
  });
  EXPECT_EQ(met.load(), 2) << "the two items did not run at the same time";
  EXPECT_NE(ids[0], ids[1]);
}

TEST(ThreadPool, RunsAsManyItemsAtOnceAsItHasThreads) {
  constexpr std::size_t kThreads = 4;
  const auto pool = make_pool(kThreads);
  Rendezvous rendezvous(kThreads);
  std::vector<std::thread::id> ids(kThreads);
  std::atomic<std::size_t> met{0};
  pool->parallel_for(kThreads, [&](std::size_t i) {
    ids[i] = std::this_thread::get_id();
    if (rendezvous.arrive_and_wait()) met.fetch_add(1);
  });
  EXPECT_EQ(met.load(), kThreads);
  EXPECT_EQ(std::set<std::thread::id>(ids.begin(), ids.end()).size(), kThreads);
}

TEST(ThreadPool, FewerItemsThanThreadsStillRunInParallel) {
  const auto pool = make_pool(8);
  Rendezvous rendezvous(3);
  std::atomic<int> met{0};
  pool->parallel_for(3, [&](std::size_t) {
    if (rendezvous.arrive_and_wait()) met.fetch_add(1);
  });
  EXPECT_EQ(met.load(), 3);
}

// Item 0 blocks until every other item has run. A fixed split of the range would strand the
// items queued behind item 0 on its thread; dynamic hand-out lets the other thread take them.
TEST(ThreadPool, ASlowItemDoesNotHoldBackTheRest) {
  constexpr std::size_t kCount = 100;
  const auto pool = make_pool(2);
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t others_done = 0;
  bool others_finished_first = false;
  pool->parallel_for(kCount, [&](std::size_t i) {
    std::unique_lock lock(mutex);
    if (i == 0) {
      others_finished_first =
          cv.wait_for(lock, kRendezvousTimeout, [&] { return others_done == kCount - 1; });
    } else {
      ++others_done;
      cv.notify_all();
    }
  });
  EXPECT_TRUE(others_finished_first);
  EXPECT_EQ(others_done, kCount - 1);
}

TEST(ThreadPool, StaysCorrectOverAThousandCalls) {
  const auto pool = make_pool(4);
  std::set<std::thread::id> ids;
  std::mutex ids_mutex;
  for (std::size_t call = 0; call < 1000; ++call) {
    const std::size_t count = call % 9;
    std::atomic<std::size_t> sum{0};
    pool->parallel_for(count, [&](std::size_t i) {
      sum.fetch_add(i + 1);
      const std::lock_guard lock(ids_mutex);
      ids.insert(std::this_thread::get_id());
    });
    ASSERT_EQ(sum.load(), count * (count + 1) / 2) << "call " << call;
  }
  // The same threads serve every call: never more distinct ones than the pool has.
  EXPECT_LE(ids.size(), pool->concurrency());
}

TEST(ThreadPool, ConcurrentCallersEachGetEveryIndexOnce) {
  constexpr int kCalls = 300;
  constexpr std::size_t kCount = 50;
  const auto pool = make_pool(4);
  auto caller = [&](std::vector<std::atomic<int>>& counts) {
    for (int call = 0; call < kCalls; ++call) {
      pool->parallel_for(kCount, [&](std::size_t i) { counts[i].fetch_add(1); });
    }
  };
  std::vector<std::atomic<int>> first(kCount);
  std::vector<std::atomic<int>> second(kCount);
  std::thread other([&] { caller(second); });
  caller(first);
  other.join();
  for (std::size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(first[i].load(), kCalls) << "index " << i;
    EXPECT_EQ(second[i].load(), kCalls) << "index " << i;
  }
}

TEST(ThreadPool, ACallFromInsideAnItemRunsInline) {
  constexpr std::size_t kOuter = 6;
  constexpr std::size_t kInner = 5;
  const auto pool = make_pool(3);
  std::vector<std::atomic<int>> counts(kOuter * kInner);
  pool->parallel_for(kOuter, [&](std::size_t outer) {
    const std::thread::id self = std::this_thread::get_id();
    pool->parallel_for(kInner, [&](std::size_t inner) {
      EXPECT_EQ(std::this_thread::get_id(), self);
      counts[outer * kInner + inner].fetch_add(1);
    });
  });
  for (const auto& c : counts) EXPECT_EQ(c.load(), 1);
}

}  // namespace
}  // namespace qpow::runtime
