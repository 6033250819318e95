// Statistics: exact percentiles, Nakamoto's attack probabilities against both tables of his
// paper (section 11), the gambler's ruin, binomial bounds, log-log slopes and empirical CDFs.
#include "sim/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace qpow::sim {
namespace {

// The paper prints seven decimals, so the rounding error is at most 5e-8.
constexpr double kPaperTolerance = 1e-7;

TEST(StatsTest, PercentileInterpolatesBetweenClosestRanks) {
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 0), 1.0);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 100), 4.0);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 25), 1.75);  // NumPy: 1.75
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 90), 3.7);   // NumPy: 3.7
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 50), 2.5);   // unsorted input
  EXPECT_DOUBLE_EQ(percentile({10, -5, 7}, 0), -5.0);
  EXPECT_DOUBLE_EQ(percentile({10, -5, 7}, 100), 10.0);
  EXPECT_DOUBLE_EQ(percentile({10, -5, 7}, 50), 7.0);
  EXPECT_DOUBLE_EQ(percentile({42}, 37), 42.0);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0.0);
  // Out of range p is clamped.
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3}, -10), 1.0);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3}, 250), 3.0);
}

TEST(StatsTest, NakamotoTableForQ010) {
  // Nakamoto (2008), section 11, q = 0.1.
  const std::vector<std::pair<std::uint32_t, double>> table = {
      {0, 1.0000000}, {1, 0.2045873}, {2, 0.0509779}, {3, 0.0131722},
      {4, 0.0034552}, {5, 0.0009137}, {6, 0.0002428}, {7, 0.0000647},
      {8, 0.0000173}, {9, 0.0000046}, {10, 0.0000012}};
  for (const auto& [z, expected] : table) {
    EXPECT_NEAR(nakamoto_attack_probability(0.1, z), expected, kPaperTolerance) << "z " << z;
  }
}

TEST(StatsTest, NakamotoTableForQ030) {
  // Nakamoto (2008), section 11, q = 0.3.
  const std::vector<std::pair<std::uint32_t, double>> table = {
      {0, 1.0000000},  {5, 0.1773523},  {10, 0.0416605}, {15, 0.0101008},
      {20, 0.0024804}, {25, 0.0006132}, {30, 0.0001522}, {35, 0.0000379},
      {40, 0.0000095}, {45, 0.0000024}, {50, 0.0000006}};
  for (const auto& [z, expected] : table) {
    EXPECT_NEAR(nakamoto_attack_probability(0.3, z), expected, kPaperTolerance) << "z " << z;
  }
}

TEST(StatsTest, NakamotoConfirmationsForLessThanOnePerMille) {
  // Nakamoto (2008), section 11, "Solving for P less than 0.1%".
  const std::vector<std::pair<double, std::uint32_t>> table = {{0.10, 5},  {0.15, 8},  {0.20, 11},
                                                               {0.25, 15}, {0.30, 24}, {0.35, 41},
                                                               {0.40, 89}, {0.45, 340}};
  for (const auto& [q, expected] : table) {
    std::uint32_t z = 0;
    while (nakamoto_attack_probability(q, z) >= 0.001) ++z;
    EXPECT_EQ(z, expected) << "q " << q;
  }
}

// The paper's formula summed term by term, for moderate z where it loses no precision.
double nakamoto_direct(double q, std::uint32_t z) {
  const double p = 1.0 - q;
  const double lambda = z * q / p;
  double sum = 1.0;
  double poisson = std::exp(-lambda);
  for (std::uint32_t k = 0; k <= z; ++k) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1.0 - std::pow(q / p, z - k));
  }
  return sum;
}

TEST(StatsTest, NakamotoMatchesTheDirectSum) {
  for (const double q : {0.01, 0.05, 0.2, 0.33, 0.45, 0.49}) {
    for (std::uint32_t z = 0; z <= 60; ++z) {
      const double direct = nakamoto_direct(q, z);
      EXPECT_NEAR(nakamoto_attack_probability(q, z), direct, 1e-12 + 1e-9 * direct)
          << "q " << q << " z " << z;
    }
  }
}

TEST(StatsTest, NakamotoEdgesAndLargeZ) {
  EXPECT_EQ(nakamoto_attack_probability(0.5, 10), 1.0);
  EXPECT_EQ(nakamoto_attack_probability(0.7, 10), 1.0);
  EXPECT_EQ(nakamoto_attack_probability(0.0, 0), 1.0);
  EXPECT_EQ(nakamoto_attack_probability(0.0, 1), 0.0);
  EXPECT_EQ(nakamoto_attack_probability(-0.1, 3), 0.0);
  EXPECT_EQ(nakamoto_attack_probability(0.3, 0), 1.0);
  // Decreasing in z; tiny but positive where the direct sum would cancel to noise. The value
  // falls about as exp(z (1 - r + ln r)) with r = q / p: e^-276 at q = 0.3, z = 1000, and
  // e^-79 at q = 0.49, z = 100000.
  double last = 1.0;
  for (const std::uint32_t z : {100u, 200u, 500u, 1'000u}) {
    const double value = nakamoto_attack_probability(0.3, z);
    EXPECT_GT(value, 0.0) << z;
    EXPECT_LT(value, last) << z;
    last = value;
  }
  EXPECT_LT(nakamoto_attack_probability(0.3, 1'000), 1e-100);
  const double near_half = nakamoto_attack_probability(0.49, 100'000);
  EXPECT_GT(near_half, 1e-40);
  EXPECT_LT(near_half, 1e-30);
  // Beyond double range the answer underflows to 0 rather than turning into noise.
  EXPECT_EQ(nakamoto_attack_probability(0.3, 100'000), 0.0);
  EXPECT_EQ(nakamoto_attack_probability(0.3, std::numeric_limits<std::uint32_t>::max()), 0.0);
  // Close to half the hash power, many confirmations still leave a fair chance.
  const double close = nakamoto_attack_probability(0.4999, 1'000);
  EXPECT_GT(close, 0.9);
  EXPECT_LT(close, 1.0);
}

TEST(StatsTest, WithinBinomialBound) {
  EXPECT_TRUE(within_binomial_bound(0, 0, 0.5, 3));
  EXPECT_TRUE(within_binomial_bound(500, 1000, 0.5, 3));
  // sd = sqrt(0.25 / 1000) = 0.0158; 3 sd + 0.0005 = 0.0479.
  EXPECT_TRUE(within_binomial_bound(547, 1000, 0.5, 3));
  EXPECT_FALSE(within_binomial_bound(549, 1000, 0.5, 3));
  EXPECT_TRUE(within_binomial_bound(453, 1000, 0.5, 3));
  EXPECT_FALSE(within_binomial_bound(451, 1000, 0.5, 3));
  EXPECT_FALSE(within_binomial_bound(600, 1000, 0.5, 3));
  // Probability 0: only zero successes pass.
  EXPECT_TRUE(within_binomial_bound(0, 100, 0.0, 5));
  EXPECT_FALSE(within_binomial_bound(1, 100, 0.0, 5));
  // The continuity correction lets a single trial be either outcome at p = 0.5, zero sigmas.
  EXPECT_TRUE(within_binomial_bound(1, 1, 0.5, 0));
}

TEST(StatsTest, LogLogSlope) {
  std::vector<double> x;
  std::vector<double> square;
  std::vector<double> x_log_x;
  for (double v = 10; v <= 500; v += 10) {
    x.push_back(v);
    square.push_back(3 * v * v);
    x_log_x.push_back(v * std::log(v));
  }
  EXPECT_NEAR(log_log_slope(x, square), 2.0, 1e-12);
  const double slope = log_log_slope(x, x_log_x);
  EXPECT_GT(slope, 1.0);
  EXPECT_LT(slope, 1.3);
  // Points with x <= 0 or y <= 0 are skipped; fewer than two usable give 0.
  EXPECT_NEAR(log_log_slope({-1, 0, 1, 2, 4}, {5, 5, 1, 8, 64}), 3.0, 1e-12);
  EXPECT_EQ(log_log_slope({1}, {1}), 0.0);
  EXPECT_EQ(log_log_slope({1, 2}, {0, 5}), 0.0);
  EXPECT_EQ(log_log_slope({}, {}), 0.0);
  EXPECT_EQ(log_log_slope({3, 3, 3}, {1, 2, 3}), 0.0);  // no spread in x
}

TEST(StatsTest, EmpiricalCdfSmall) {
  const auto cdf = empirical_cdf({3, 1, 2, 2});
  const std::vector<std::pair<double, double>> expected = {{1, 0.25}, {2, 0.75}, {3, 1.0}};
  EXPECT_EQ(cdf, expected);
  EXPECT_TRUE(empirical_cdf({}).empty());
  EXPECT_TRUE(empirical_cdf({1, 2}, 0).empty());
  const auto last_only = empirical_cdf({5, 9, 7}, 1);
  ASSERT_EQ(last_only.size(), 1u);
  EXPECT_EQ(last_only[0], std::make_pair(9.0, 1.0));
}

TEST(StatsTest, EmpiricalCdfLargeIsMonotoneAndBounded) {
  std::vector<double> values;
  for (int i = 0; i < 10'000; ++i) values.push_back(std::fmod(i * 7919.0, 10'007.0));
  for (const std::size_t points_max : {2u, 3u, 50u, 200u, 20'000u}) {
    const auto cdf = empirical_cdf(values, points_max);
    ASSERT_FALSE(cdf.empty());
    EXPECT_LE(cdf.size(), points_max);
    EXPECT_EQ(cdf.back().second, 1.0);
    EXPECT_EQ(cdf.back().first, *std::max_element(values.begin(), values.end()));
    EXPECT_EQ(cdf.front().first, *std::min_element(values.begin(), values.end()));
    for (std::size_t i = 1; i < cdf.size(); ++i) {
      EXPECT_LT(cdf[i - 1].first, cdf[i].first);
      EXPECT_LT(cdf[i - 1].second, cdf[i].second);
    }
  }
  EXPECT_EQ(empirical_cdf(values, 20'000).size(), values.size());
}

}  // namespace
}  // namespace qpow::sim
