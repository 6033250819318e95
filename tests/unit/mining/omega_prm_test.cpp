// omega-prm: with an impossible target it hashes every nonce of the range exactly once (each
// batch is recorded through the batch observer, and the counters and heat map agree), with one
// worker and with workers sharing the tree on a thread pool, with heavy pruning, with the tree at
// its node bound and at the top of the nonce space; solutions are the first solving nonce in the
// order the search hashed; the reward scale; parameter validation at each bound and one past it.
#include "mining/omega_prm.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numeric>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/compact_target.h"
#include "crypto/qhash.h"
#include "runtime/thread_pool.h"

namespace qpow::mining {
namespace {

using Range = std::pair<std::uint64_t, std::uint64_t>;

Work sample_work(std::uint8_t seed) {
  Work work;
  for (std::size_t i = 0; i < work.fixed.size(); ++i) {
    work.fixed[i] = static_cast<std::uint8_t>(i * 5 + seed);
  }
  return work;
}

std::unique_ptr<OmegaPrmSearch> make(const OmegaPrmParams& params) {
  auto search = OmegaPrmSearch::create(params);
  EXPECT_TRUE(search.is_ok()) << search.status().to_string();
  return std::move(search).value();
}

// Records the batches a search hashed, in the order they were reported.
struct Recorder {
  std::mutex mutex;
  std::vector<Range> batches;
  void attach(OmegaPrmSearch& search) {
    search.set_batch_observer([this](std::uint64_t begin, std::uint64_t end) {
      const std::lock_guard<std::mutex> lock(mutex);
      batches.emplace_back(begin, end);
    });
  }
};

// The batches tile [begin, end) with no gap and no overlap: every nonce hashed exactly once.
void expect_exact_cover(std::vector<Range> batches, std::uint64_t begin, std::uint64_t end) {
  std::sort(batches.begin(), batches.end());
  std::uint64_t next = begin;
  for (const auto& [b, e] : batches) {
    ASSERT_EQ(b, next) << "gap or overlap at nonce " << next;
    ASSERT_LT(b, e);
    next = e;
  }
  EXPECT_EQ(next, end);
}

std::uint64_t heat_total(const HeatMap& heat) {
  return std::accumulate(heat.begin(), heat.end(), std::uint64_t{0});
}

// An impossible target over [begin, end): the search must hash all of it, once.
void check_full_cover(OmegaPrmSearch& search, util::Executor& executor, std::size_t workers,
                      std::uint64_t begin, std::uint64_t end) {
  Recorder recorder;
  recorder.attach(search);
  Work work = sample_work(7);
  work.target = util::Uint256{};
  work.nonce_begin = begin;
  work.nonce_end = end;
  StopSignal stop;
  SearchCounters counters;
  const SearchResult result = search.search(work, workers, executor, stop, counters);
  EXPECT_EQ(result.end, SearchEnd::kExhausted);
  EXPECT_FALSE(result.solution.has_value());
  expect_exact_cover(recorder.batches, begin, end);
  EXPECT_EQ(counters.hashes.load(), end - begin);
  EXPECT_EQ(heat_total(search.heat_map()), end - begin);
  const OmegaPrmTreeStats stats = search.tree_stats();
  EXPECT_EQ(counters.tree_nodes.load(), stats.nodes);
  EXPECT_EQ(counters.prunes.load(), stats.prunes);
  EXPECT_LE(stats.nodes, search.params().max_nodes);
}

TEST(OmegaPrmTest, OneWorkerHashesEveryNonceExactlyOnce) {
  auto search = make({.batch_nonces = 256});
  util::InlineExecutor executor;
  check_full_cover(*search, executor, 1, 5'000, 55'000);
  const OmegaPrmTreeStats stats = search->tree_stats();
  EXPECT_GT(stats.nodes, 16u);  // the tree grew past the root's first split
  EXPECT_GE(stats.max_depth, 2u);
  EXPECT_GE(stats.batches, 50'000u / 256 + 1);  // leaves split off-batch leave partial batches
  // Every bucket of the heat map saw its share of the range.
  for (std::uint64_t count : search->heat_map()) EXPECT_GT(count, 0u);
}

TEST(OmegaPrmTest, WorkersOnAThreadPoolShareTheTreeWithoutDoubleHashing) {
  auto pool = runtime::ThreadPool::create(2);
  ASSERT_TRUE(pool.is_ok());
  for (std::size_t workers : {2u, 4u}) {
    auto search = make({.batch_nonces = 128});
    check_full_cover(*search, **pool, workers, 0, 50'000);
  }
}

TEST(OmegaPrmTest, HighThresholdPrunesAndStillCoversTheRange) {
  // With target 0 every reward is far below 1, so every node with two visits is pruned; the
  // prunes are lifted whenever they would leave unhashed nonces unreachable.
  auto search = make({.batch_nonces = 256, .prune_threshold = 1.0, .prune_min_visits = 2});
  util::InlineExecutor executor;
  check_full_cover(*search, executor, 1, 0, 50'000);
  const OmegaPrmTreeStats stats = search->tree_stats();
  EXPECT_GT(stats.prunes, 0u);
  EXPECT_GT(stats.unprunes, 0u);
}

TEST(OmegaPrmTest, NoPruningWithAZeroThreshold) {
  auto search = make({.batch_nonces = 256, .prune_threshold = 0.0, .prune_min_visits = 1});
  util::InlineExecutor executor;
  check_full_cover(*search, executor, 1, 0, 20'000);
  EXPECT_EQ(search->tree_stats().prunes, 0u);
}

TEST(OmegaPrmTest, NodeBoundStopsTheTreeNotTheSearch) {
  util::InlineExecutor executor;
  // One split of the root into 16 children fits in 17 nodes; no second split does.
  auto bounded = make({.branching_bits = 4, .batch_nonces = 64, .max_nodes = 17});
  check_full_cover(*bounded, executor, 1, 0, 10'000);
  EXPECT_EQ(bounded->tree_stats().nodes, 17u);
  // A root-only tree walks the range from its cursor.
  auto root_only = make({.batch_nonces = 64, .max_nodes = 1});
  check_full_cover(*root_only, executor, 1, 0, 10'000);
  EXPECT_EQ(root_only->tree_stats().nodes, 1u);
}

TEST(OmegaPrmTest, RangeAtTheTopOfTheNonceSpace) {
  auto search = make({.branching_bits = 1, .batch_nonces = 16});
  util::InlineExecutor executor;
  check_full_cover(*search, executor, 1, UINT64_MAX - 1'001, UINT64_MAX);
}

TEST(OmegaPrmTest, FindsTheFirstSolutionInItsOwnOrder) {
  util::InlineExecutor executor;
  for (std::uint8_t seed = 0; seed < 12; ++seed) {
    auto search = make({.batch_nonces = 64});
    Recorder recorder;
    recorder.attach(*search);
    Work work = sample_work(seed);
    work.target = util::Uint256::max() >> 9;
    StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search->search(work, 1, executor, stop, counters);
    ASSERT_EQ(result.end, SearchEnd::kSolved);
    const Solution& s = *result.solution;
    // Replay the batches in the order they were hashed; the solution ends the last one.
    const crypto::QhashPrefix prefix(work.fixed);
    std::uint64_t count = 0;
    std::optional<std::uint64_t> first;
    for (const auto& [b, e] : recorder.batches) {
      for (std::uint64_t n = b; n < e && !first; ++n) {
        ++count;
        if (consensus::hash_meets_target(prefix.hash(n), work.target)) first = n;
      }
    }
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(s.nonce, *first);
    EXPECT_EQ(s.hash, prefix.hash(s.nonce));
    EXPECT_EQ(s.hashes_to_solution, count);
    EXPECT_EQ(counters.hashes.load(), count);
    EXPECT_EQ(recorder.batches.back().second, s.nonce + 1);
  }
}

TEST(OmegaPrmTest, SeveralWorkersFindValidSolutions) {
  auto pool = runtime::ThreadPool::create(2);
  ASSERT_TRUE(pool.is_ok());
  auto search = make({});
  for (std::uint8_t seed = 0; seed < 6; ++seed) {
    Work work = sample_work(seed);
    work.target = util::Uint256::max() >> 10;
    StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search->search(work, 4, **pool, stop, counters);
    ASSERT_EQ(result.end, SearchEnd::kSolved);
    const crypto::QhashPrefix prefix(work.fixed);
    EXPECT_EQ(result.solution->hash, prefix.hash(result.solution->nonce));
    EXPECT_TRUE(consensus::hash_meets_target(result.solution->hash, work.target));
    EXPECT_LE(result.solution->hashes_to_solution, counters.hashes.load());
  }
}

TEST(OmegaPrmTest, StopRaisedBeforehandStopsAtOnce) {
  auto search = make({});
  util::InlineExecutor executor;
  Work work = sample_work(1);
  work.target = util::Uint256{};
  StopSignal stop;
  stop.request_stop();
  SearchCounters counters;
  EXPECT_EQ(search->search(work, 2, executor, stop, counters).end, SearchEnd::kStopped);
  EXPECT_EQ(counters.hashes.load(), 0u);
}

TEST(OmegaPrmTest, RewardScale) {
  // -log2(v / 2^256): continuous, so 1 and 2^255 are 256 and 1 bits (an integer count would say
  // 255 and 0).
  EXPECT_DOUBLE_EQ(zero_bits(util::Uint256{}), 256.0);
  EXPECT_DOUBLE_EQ(zero_bits(util::Uint256(1)), 256.0);
  EXPECT_DOUBLE_EQ(zero_bits(util::Uint256(1) << 255), 1.0);
  EXPECT_DOUBLE_EQ(zero_bits(util::Uint256(3) << 200), 56.0 - std::log2(3.0));
  EXPECT_DOUBLE_EQ(zero_bits(util::Uint256(3) << 20), 236.0 - std::log2(3.0));
  EXPECT_DOUBLE_EQ(target_zero_bits(util::Uint256::max()), 0.0);
  EXPECT_DOUBLE_EQ(target_zero_bits(util::Uint256::max() >> 10), 10.0);
  EXPECT_DOUBLE_EQ(target_zero_bits(util::Uint256{}), 256.0);

  crypto::Hash256 hash{};
  hash[31] = 0x01;  // 2^248: 8 zero bits
  EXPECT_DOUBLE_EQ(batch_reward(hash, 16.0), 0.5);
  EXPECT_DOUBLE_EQ(batch_reward(hash, 8.0), 1.0);
  EXPECT_DOUBLE_EQ(batch_reward(hash, 3.0), 1.0);  // capped
  EXPECT_DOUBLE_EQ(batch_reward(hash, 0.0), 1.0);
  hash.fill(0xff);
  EXPECT_GE(batch_reward(hash, 16.0), 0.0);
  EXPECT_LT(batch_reward(hash, 16.0), 1e-9);
}

TEST(OmegaPrmTest, ParametersAreCheckedAtEachBound) {
  const OmegaPrmParams ok;
  EXPECT_TRUE(check_omega_prm_params(ok).is_ok());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    OmegaPrmParams params;
    bool valid;
    const char* field;
  };
  auto with = [&](auto edit) {
    OmegaPrmParams p = ok;
    edit(p);
    return p;
  };
  const Case cases[] = {
      {with([](auto& p) { p.exploration = 0.0; }), true, "exploration"},
      {with([](auto& p) { p.exploration = kOmegaPrmExplorationMax; }), true, "exploration"},
      {with([](auto& p) { p.exploration = -0.001; }), false, "exploration"},
      {with([](auto& p) { p.exploration = kOmegaPrmExplorationMax * 1.001; }), false,
       "exploration"},
      {with([&](auto& p) { p.exploration = nan; }), false, "exploration"},
      {with([&](auto& p) { p.exploration = inf; }), false, "exploration"},
      {with([](auto& p) { p.branching_bits = 1; }), true, "branching_bits"},
      {with([](auto& p) { p.branching_bits = 8; }), true, "branching_bits"},
      {with([](auto& p) { p.branching_bits = 0; }), false, "branching_bits"},
      {with([](auto& p) { p.branching_bits = 9; }), false, "branching_bits"},
      {with([](auto& p) { p.batch_nonces = 1; }), true, "batch_nonces"},
      {with([](auto& p) { p.batch_nonces = kMaxBatchNonces; }), true, "batch_nonces"},
      {with([](auto& p) { p.batch_nonces = 0; }), false, "batch_nonces"},
      {with([](auto& p) { p.batch_nonces = kMaxBatchNonces + 1; }), false, "batch_nonces"},
      {with([](auto& p) { p.prune_threshold = 0.0; }), true, "prune_threshold"},
      {with([](auto& p) { p.prune_threshold = 1.0; }), true, "prune_threshold"},
      {with([](auto& p) { p.prune_threshold = -0.01; }), false, "prune_threshold"},
      {with([](auto& p) { p.prune_threshold = 1.01; }), false, "prune_threshold"},
      {with([&](auto& p) { p.prune_threshold = nan; }), false, "prune_threshold"},
      {with([](auto& p) { p.prune_min_visits = 1; }), true, "prune_min_visits"},
      {with([](auto& p) { p.prune_min_visits = 0; }), false, "prune_min_visits"},
      {with([](auto& p) { p.max_nodes = 1; }), true, "max_nodes"},
      {with([](auto& p) { p.max_nodes = kOmegaPrmMaxNodesLimit; }), true, "max_nodes"},
      {with([](auto& p) { p.max_nodes = 0; }), false, "max_nodes"},
      {with([](auto& p) { p.max_nodes = kOmegaPrmMaxNodesLimit + 1; }), false, "max_nodes"},
  };
  for (const Case& c : cases) {
    const util::Status status = check_omega_prm_params(c.params);
    EXPECT_EQ(status.is_ok(), c.valid) << c.field << ": " << status.to_string();
    auto checked = make_omega_prm_search_checked(c.params);
    EXPECT_EQ(checked.is_ok(), c.valid) << c.field;
    if (!c.valid) {
      EXPECT_EQ(status.code(), util::StatusCode::kInvalidArgument);
      EXPECT_NE(status.message().find(std::string("omega-prm ") + c.field), std::string::npos)
          << status.message();
    }
    // The unchecked factory clamps instead of failing, and the result searches.
    auto clamped = make_omega_prm_search(c.params);
    ASSERT_NE(clamped, nullptr);
    EXPECT_TRUE(check_omega_prm_params(OmegaPrmSearch::clamp(c.params)).is_ok());
    Work work = sample_work(3);
    work.target = util::Uint256::max() >> 4;
    work.nonce_end = 4096;
    util::InlineExecutor executor;
    StopSignal stop;
    SearchCounters counters;
    EXPECT_EQ(clamped->search(work, 1, executor, stop, counters).end, SearchEnd::kSolved);
  }
}

TEST(OmegaPrmTest, ClampKeepsValidParametersAndFixesOthers) {
  const OmegaPrmParams p = OmegaPrmSearch::clamp({.exploration = -1.0,
                                                  .branching_bits = 20,
                                                  .batch_nonces = 0,
                                                  .prune_threshold = 2.0,
                                                  .prune_min_visits = 0,
                                                  .max_nodes = 0});
  EXPECT_EQ(p.exploration, 0.0);
  EXPECT_EQ(p.branching_bits, kOmegaPrmBranchingBitsMax);
  EXPECT_EQ(p.batch_nonces, 1u);
  EXPECT_EQ(p.prune_threshold, 1.0);
  EXPECT_EQ(p.prune_min_visits, 1u);
  EXPECT_EQ(p.max_nodes, 1u);
  const OmegaPrmParams defaults;
  const OmegaPrmParams same = OmegaPrmSearch::clamp(defaults);
  EXPECT_EQ(same.exploration, defaults.exploration);
  EXPECT_EQ(same.batch_nonces, defaults.batch_nonces);
}

}  // namespace
}  // namespace qpow::mining
