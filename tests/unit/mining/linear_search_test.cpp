// The linear strategy: solutions meet their target and equal qhash; with one worker the solution
// is the first solving nonce and hashes_to_solution is exactly its position (checked by brute
// force, so a multi-way group's lanes after the solution are not counted); exhaustion hashes the
// range exactly once; a raised stop signal ends the search; several workers on a real thread pool
// share the range. make_search names both strategies and rejects anything else.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "consensus/compact_target.h"
#include "crypto/qhash.h"
#include "mining/nonce_search.h"
#include "runtime/thread_pool.h"
#include "util/bytes.h"

namespace qpow::mining {
namespace {

// 2^(256 - bits) - 1: about one hash in 2^bits meets it.
util::Uint256 target_of_difficulty(unsigned bits) {
  return util::Uint256::max() >> bits;
}

Work sample_work(std::uint8_t seed, unsigned difficulty_bits) {
  Work work;
  for (std::size_t i = 0; i < work.fixed.size(); ++i) {
    work.fixed[i] = static_cast<std::uint8_t>(i * 13 + seed);
  }
  work.target = target_of_difficulty(difficulty_bits);
  return work;
}

crypto::Hash256 reference(const Work& work, std::uint64_t nonce) {
  std::array<std::uint8_t, crypto::kQhashHeaderBytes> header{};
  std::copy(work.fixed.begin(), work.fixed.end(), header.begin());
  util::store_le64(header.data() + crypto::kQhashNonceOffset, nonce);
  return crypto::qhash(header);
}

std::unique_ptr<runtime::ThreadPool> pool_of(std::size_t threads) {
  auto pool = runtime::ThreadPool::create(threads);
  EXPECT_TRUE(pool.is_ok()) << pool.status().to_string();
  return std::move(pool).value();
}

TEST(LinearSearchTest, OneWorkerFindsTheFirstSolutionAndCountsExactly) {
  auto search = make_linear_search();
  EXPECT_EQ(search->name(), "linear");
  util::InlineExecutor executor;
  bool saw_partial_group = false;
  for (std::uint8_t seed = 0; seed < 24; ++seed) {
    Work work = sample_work(seed, 9);
    work.nonce_begin = 1000 + seed;  // misaligned starts put solutions in every lane
    StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search->search(work, 1, executor, stop, counters);
    ASSERT_EQ(result.end, SearchEnd::kSolved) << "seed " << int(seed);
    ASSERT_TRUE(result.solution.has_value());
    const Solution& s = *result.solution;

    const crypto::QhashPrefix prefix(work.fixed);
    std::uint64_t first = work.nonce_begin;
    while (!consensus::hash_meets_target(prefix.hash(first), work.target)) ++first;
    EXPECT_EQ(s.nonce, first);
    EXPECT_EQ(s.hash, reference(work, s.nonce));
    EXPECT_TRUE(consensus::hash_meets_target(s.hash, work.target));
    EXPECT_EQ(s.hashes_to_solution, first - work.nonce_begin + 1);
    EXPECT_EQ(counters.hashes.load(), s.hashes_to_solution);
    EXPECT_EQ(counters.solutions.load(), 1u);
    saw_partial_group = saw_partial_group || s.hashes_to_solution % 4 != 0;
  }
  // Otherwise counting whole groups would pass too.
  EXPECT_TRUE(saw_partial_group);
}

TEST(LinearSearchTest, ImpossibleTargetExhaustsAfterExactlyTheRange) {
  auto search = make_linear_search();
  util::InlineExecutor executor;
  for (std::size_t workers : {1u, 3u, 70u}) {
    Work work = sample_work(1, 0);
    work.target = util::Uint256{};
    work.nonce_begin = 5000;
    work.nonce_end = 5067;  // not a multiple of any group width, nor of the workers
    StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search->search(work, workers, executor, stop, counters);
    EXPECT_EQ(result.end, SearchEnd::kExhausted) << workers << " workers";
    EXPECT_FALSE(result.solution.has_value());
    EXPECT_EQ(counters.hashes.load(), 67u);
    EXPECT_EQ(counters.solutions.load(), 0u);
  }
}

TEST(LinearSearchTest, EmptyRangeIsExhaustedAtOnce) {
  auto search = make_linear_search();
  util::InlineExecutor executor;
  Work work = sample_work(1, 1);
  work.nonce_begin = 10;
  work.nonce_end = 10;
  StopSignal stop;
  SearchCounters counters;
  EXPECT_EQ(search->search(work, 0, executor, stop, counters).end, SearchEnd::kExhausted);
  EXPECT_EQ(counters.hashes.load(), 0u);
}

TEST(LinearSearchTest, StopRaisedBeforehandStopsAtOnce) {
  auto search = make_linear_search();
  auto pool = pool_of(2);
  Work work = sample_work(2, 0);
  work.target = util::Uint256{};
  StopSignal stop;
  stop.request_stop();
  SearchCounters counters;
  const SearchResult result = search->search(work, 4, *pool, stop, counters);
  EXPECT_EQ(result.end, SearchEnd::kStopped);
  EXPECT_FALSE(result.solution.has_value());
  EXPECT_EQ(counters.hashes.load(), 0u);
}

TEST(LinearSearchTest, StopRaisedDuringTheSearchEndsIt) {
  auto search = make_linear_search();
  auto pool = pool_of(2);
  Work work = sample_work(3, 0);
  work.target = util::Uint256{};  // the whole 2^64 range: only the stop can end it
  StopSignal stop;
  SearchCounters counters;
  SearchResult result;
  // One item searches on its own thread; the other raises the stop once hashing has begun.
  pool->parallel_for(2, [&](std::size_t i) {
    if (i == 0) {
      util::InlineExecutor inline_executor;
      result = search->search(work, 1, inline_executor, stop, counters);
    } else {
      while (counters.hashes.load() == 0) std::this_thread::yield();
      stop.request_stop();
    }
  });
  EXPECT_EQ(result.end, SearchEnd::kStopped);
  EXPECT_GT(counters.hashes.load(), 0u);
}

TEST(LinearSearchTest, SeveralWorkersOnAThreadPoolFindValidSolutions) {
  auto search = make_linear_search();
  auto pool = pool_of(2);
  for (std::uint8_t seed = 0; seed < 8; ++seed) {
    const Work work = sample_work(seed, 10);
    StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search->search(work, 4, *pool, stop, counters);
    ASSERT_EQ(result.end, SearchEnd::kSolved);
    const Solution& s = *result.solution;
    EXPECT_EQ(s.hash, reference(work, s.nonce));
    EXPECT_TRUE(consensus::hash_meets_target(s.hash, work.target));
    EXPECT_GE(s.hashes_to_solution, 1u);
    EXPECT_LE(s.hashes_to_solution, counters.hashes.load());
    EXPECT_GE(counters.solutions.load(), 1u);
  }
}

TEST(LinearSearchTest, SeveralWorkersExhaustTheRangeExactlyOnce) {
  auto search = make_linear_search();
  auto pool = pool_of(2);
  Work work = sample_work(4, 0);
  work.target = util::Uint256{};
  work.nonce_begin = 77;
  work.nonce_end = 77 + 20'001;
  StopSignal stop;
  SearchCounters counters;
  EXPECT_EQ(search->search(work, 4, *pool, stop, counters).end, SearchEnd::kExhausted);
  EXPECT_EQ(counters.hashes.load(), 20'001u);
}

TEST(LinearSearchTest, MakeSearchNamesBothStrategies) {
  auto linear = make_search("linear");
  ASSERT_TRUE(linear.is_ok());
  EXPECT_EQ((*linear)->name(), "linear");
  auto omega = make_search("omega-prm");
  ASSERT_TRUE(omega.is_ok());
  EXPECT_EQ((*omega)->name(), "omega-prm");
  for (const char* bad : {"", "Linear", "omega", "random"}) {
    auto r = make_search(bad);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().message(),
              std::string("unknown strategy '") + bad + "' (expected linear or omega-prm)");
  }
}

}  // namespace
}  // namespace qpow::mining
