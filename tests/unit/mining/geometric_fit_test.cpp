// Acceptance: on 2,000 independent puzzles, the hashes-to-solution of each strategy follow the
// geometric distribution an ideal hash predicts (mining/stats.h explains why). A strategy that
// hashed a nonce twice, skipped counting hashes, or stopped before the first solution in its
// own order would shift the distribution and fail the chi-square test.
//
// At 8 bits a puzzle takes about 256 hashes, well inside omega-prm's first batch of 4,096 nonces
// with default parameters, so that run mostly shows the first simulation's order. A third run
// with 16-nonce batches makes each puzzle take about 16 simulations through the tree (UCB1
// selection, expansion, backpropagation), and checks that it really visits nonces out of order.
//
// Deterministic: every puzzle's header is fixed (SHAKE256 of the puzzle index) and searches run
// with one worker on an InlineExecutor, so each strategy's sample, and hence its p-value, is the
// same on every run. The threshold 0.001 is a sanity bound on that one fixed value, not a
// repeated random trial.
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/sha3.h"
#include "mining/nonce_search.h"
#include "mining/stats.h"
#include "util/bytes.h"
#include "util/executor.h"
#include "util/uint256.h"

namespace qpow::mining {
namespace {

constexpr std::size_t kPuzzles = 2000;
constexpr unsigned kDifficultyBits = 8;  // p = 2^-8: about 256 hashes a puzzle
constexpr double kMinPValue = 0.001;

// The fixed header part of puzzle `index`: SHAKE256("qpow/test/geometric-fit" || index as
// little-endian u64), 272 bytes.
Work puzzle(std::uint64_t index) {
  Work work;
  crypto::Shake256 xof;
  xof.absorb(util::as_bytes(std::string_view("qpow/test/geometric-fit")));
  std::array<std::uint8_t, 8> le{};
  for (std::size_t i = 0; i < le.size(); ++i) le[i] = static_cast<std::uint8_t>(index >> (8 * i));
  xof.absorb(le);
  xof.squeeze(work.fixed);
  work.target = (util::Uint256(1) << (256 - kDifficultyBits)) - util::Uint256(1);
  return work;
}

struct Sample {
  std::vector<std::uint64_t> hashes;
  // Puzzles whose solution was not the n-th nonce in increasing order after n hashes.
  std::size_t out_of_order = 0;
};

Sample solve_all(NonceSearch& search) {
  util::InlineExecutor executor;
  Sample sample;
  sample.hashes.reserve(kPuzzles);
  for (std::uint64_t i = 0; i < kPuzzles; ++i) {
    const StopSignal stop;
    SearchCounters counters;
    const SearchResult result = search.search(puzzle(i), 1, executor, stop, counters);
    EXPECT_EQ(result.end, SearchEnd::kSolved) << "puzzle " << i;
    if (!result.solution) return {};
    sample.hashes.push_back(result.solution->hashes_to_solution);
    if (result.solution->hashes_to_solution != result.solution->nonce + 1) ++sample.out_of_order;
  }
  return sample;
}

// Fits `name`'s sample and returns how many puzzles it solved out of nonce order.
std::size_t expect_geometric(NonceSearch& search, const std::string& name) {
  const Sample sample = solve_all(search);
  const std::vector<std::uint64_t>& hashes = sample.hashes;
  EXPECT_EQ(hashes.size(), kPuzzles);
  if (hashes.size() != kPuzzles) return 0;

  const double p = success_probability(puzzle(0).target);
  EXPECT_EQ(p, 1.0 / 256);
  const util::Result<GofResult> fit = geometric_gof(hashes, p);
  const std::vector<double> as_double(hashes.begin(), hashes.end());
  const util::Result<Summary> summary = summarize(as_double);
  EXPECT_TRUE(fit.is_ok() && summary.is_ok()) << fit.status().to_string();
  if (!fit.is_ok() || !summary.is_ok()) return 0;
  std::printf(
      "%s: %zu puzzles at %u bits, mean hashes %.1f (95%% CI %.1f..%.1f, expected %.0f), "
      "chi-square %.2f, df %zu, p-value %.4f\n",
      name.c_str(), hashes.size(), kDifficultyBits, summary->mean, summary->ci95_low,
      summary->ci95_high, 1 / p, fit->statistic, fit->df, fit->p_value);
  EXPECT_GT(fit->p_value, kMinPValue)
      << name << ": chi-square " << fit->statistic << " with " << fit->df << " df";
  return sample.out_of_order;
}

std::unique_ptr<NonceSearch> strategy(std::string_view name) {
  util::Result<std::unique_ptr<NonceSearch>> search = make_search(name);
  EXPECT_TRUE(search.is_ok()) << search.status().to_string();
  return search.is_ok() ? std::move(search).value() : nullptr;
}

TEST(GeometricFit, LinearHashesToSolutionAreGeometric) {
  const std::unique_ptr<NonceSearch> search = strategy("linear");
  ASSERT_NE(search, nullptr);
  EXPECT_EQ(expect_geometric(*search, "linear"), 0u);  // one worker walks nonces in order
}

TEST(GeometricFit, OmegaPrmHashesToSolutionAreGeometric) {
  const std::unique_ptr<NonceSearch> search = strategy("omega-prm");
  ASSERT_NE(search, nullptr);
  expect_geometric(*search, "omega-prm");
}

TEST(GeometricFit, OmegaPrmWithSmallBatchesHashesToSolutionAreGeometric) {
  const util::Result<std::unique_ptr<NonceSearch>> search =
      make_omega_prm_search_checked({.batch_nonces = 16});
  ASSERT_TRUE(search.is_ok()) << search.status().to_string();
  const std::size_t out_of_order = expect_geometric(**search, "omega-prm (16-nonce batches)");
  EXPECT_GT(out_of_order, kPuzzles / 2);  // the tree, not a linear walk, chose most solutions
}

}  // namespace
}  // namespace qpow::mining
