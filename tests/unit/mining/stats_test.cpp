// mining/stats.h: the incomplete gamma function against closed forms (Q(1, x) = e^-x,
// Q(1/2, x) = erfc(sqrt x), Q(n, x) = e^-x sum_{k<n} x^k / k!) and chi-square table values,
// summaries and intervals on small samples worked by hand, the success probability of targets,
// and the geometric goodness-of-fit test on seeded samples that do and do not follow it.
#include "mining/stats.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace qpow::mining {
namespace {

double q_of(double a, double x) {
  const util::Result<double> q = regularized_gamma_q(a, x);
  EXPECT_TRUE(q.is_ok()) << q.status().to_string();
  return q.is_ok() ? *q : -1.0;
}

double chi2_p(double statistic, std::size_t df) {
  const util::Result<double> p = chi_square_p_value(statistic, df);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  return p.is_ok() ? *p : -1.0;
}

TEST(IncompleteGamma, MatchesClosedFormsOnBothSidesOfTheSwitch) {
  // a = 1: Q = e^-x. x < a + 1 takes the series, x >= a + 1 the continued fraction.
  for (const double x : {0.01, 0.5, 1.9, 2.0, 5.0, 30.0, 200.0}) {
    EXPECT_NEAR(q_of(1.0, x) / std::exp(-x), 1.0, 1e-12) << x;
  }
  // a = 1/2: Q = erfc(sqrt x).
  for (const double x : {0.001, 0.3, 1.49, 1.5, 4.0, 20.0}) {
    EXPECT_NEAR(q_of(0.5, x) / std::erfc(std::sqrt(x)), 1.0, 1e-12) << x;
  }
  // a = 5: Q = e^-x (1 + x + x^2/2 + x^3/6 + x^4/24).
  for (const double x : {0.2, 3.0, 5.99, 6.0, 12.0, 50.0}) {
    const double poly = 1 + x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;
    EXPECT_NEAR(q_of(5.0, x) / (std::exp(-x) * poly), 1.0, 1e-12) << x;
  }
}

TEST(IncompleteGamma, EdgesAndInvalidArguments) {
  EXPECT_EQ(q_of(3.0, 0.0), 1.0);
  EXPECT_EQ(q_of(0.5, 1e6), 0.0);  // underflows to exactly 0, not a negative number
  EXPECT_FALSE(regularized_gamma_q(0.0, 1.0).is_ok());
  EXPECT_FALSE(regularized_gamma_q(-1.0, 1.0).is_ok());
  EXPECT_FALSE(regularized_gamma_q(1.0, -0.1).is_ok());
  EXPECT_FALSE(regularized_gamma_q(NAN, 1.0).is_ok());
  EXPECT_FALSE(regularized_gamma_q(1.0, INFINITY).is_ok());
}

// Upper 5% and 1% points of the chi-square distribution (NIST/SEMATECH e-Handbook of
// Statistical Methods, §1.3.6.7.4, to three decimals).
TEST(ChiSquare, TableValues) {
  EXPECT_NEAR(chi2_p(3.841, 1), 0.05, 1e-4);
  EXPECT_NEAR(chi2_p(5.991, 2), 0.05, 1e-4);
  EXPECT_NEAR(chi2_p(18.307, 10), 0.05, 1e-4);
  EXPECT_NEAR(chi2_p(23.209, 10), 0.01, 1e-4);
  EXPECT_NEAR(chi2_p(43.773, 30), 0.05, 1e-4);
  EXPECT_NEAR(chi2_p(124.342, 100), 0.05, 1e-4);
  EXPECT_EQ(chi2_p(0.0, 4), 1.0);
  EXPECT_FALSE(chi_square_p_value(1.0, 0).is_ok());
}

TEST(Summary, SmallSampleUsesStudentT) {
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
  const util::Result<Summary> s = summarize(v);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->count, 8u);
  EXPECT_DOUBLE_EQ(s->mean, 5.0);
  const double sd = std::sqrt(32.0 / 7.0);  // squared deviations sum to 32
  EXPECT_NEAR(s->stddev, sd, 1e-12);
  const double half = 2.3646 * sd / std::sqrt(8.0);  // t(0.975, 7)
  EXPECT_NEAR(s->ci95_low, 5.0 - half, 1e-12);
  EXPECT_NEAR(s->ci95_high, 5.0 + half, 1e-12);
}

TEST(Summary, QuantileSwitchesToNormalAtThirty) {
  EXPECT_DOUBLE_EQ(ci95_quantile(2), 12.7062);
  EXPECT_DOUBLE_EQ(ci95_quantile(kStudentTSamplesMax - 1), 2.0484);  // t(0.975, 28)
  EXPECT_DOUBLE_EQ(ci95_quantile(kStudentTSamplesMax), kNormalQuantile95);
  std::vector<double> v;
  for (int i = 0; i < 30; ++i) v.push_back(i % 2 == 0 ? 1.0 : 3.0);
  const util::Result<Summary> s = summarize(v);
  ASSERT_TRUE(s.is_ok());
  const double sd = std::sqrt(30.0 / 29.0);
  EXPECT_NEAR(s->stddev, sd, 1e-12);
  EXPECT_NEAR(s->ci95_high - s->mean, kNormalQuantile95 * sd / std::sqrt(30.0), 1e-12);
}

TEST(Summary, RejectsTooFewAndNonFiniteValues) {
  EXPECT_FALSE(summarize(std::vector<double>{}).is_ok());
  EXPECT_FALSE(summarize(std::vector<double>{1.0}).is_ok());
  EXPECT_TRUE(summarize(std::vector<double>{1.0, 1.0}).is_ok());
  const util::Result<Summary> bad = summarize(std::vector<double>{1.0, NAN, 2.0});
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("value 1"), std::string::npos);
}

TEST(RatioOfMeans, DividesMeans) {
  const util::Result<double> r =
      ratio_of_means(std::vector<double>{3, 5}, std::vector<double>{1, 2, 3});
  ASSERT_TRUE(r.is_ok());
  EXPECT_DOUBLE_EQ(*r, 2.0);
  EXPECT_FALSE(ratio_of_means(std::vector<double>{}, std::vector<double>{1}).is_ok());
  EXPECT_FALSE(ratio_of_means(std::vector<double>{1}, std::vector<double>{0, 0}).is_ok());
}

TEST(SuccessProbability, ExactForPowersOfTwo) {
  const util::Uint256 one(1);
  EXPECT_EQ(success_probability((one << 248) - one), std::ldexp(1.0, -8));
  EXPECT_EQ(success_probability((one << 216) - one), std::ldexp(1.0, -40));
  EXPECT_EQ(success_probability(util::Uint256::max()), 1.0);
  EXPECT_EQ(success_probability(util::Uint256()), std::ldexp(1.0, -256));
  // 3 * 2^200 - 1: p = 3 * 2^-56.
  EXPECT_EQ(success_probability((one << 200) * 3 - one), std::ldexp(3.0, -56));
}

// Hashes to solution: std::geometric_distribution counts failures before the first success.
std::vector<std::uint64_t> geometric_sample(std::uint64_t seed, double p, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::geometric_distribution<std::uint64_t> failures(p);
  std::vector<std::uint64_t> out(n);
  for (auto& x : out) x = failures(rng) + 1;
  return out;
}

constexpr double kP = 1.0 / 256;  // difficulty 8 bits

TEST(GeometricGof, AcceptsAGeometricSample) {
  const util::Result<GofResult> r = geometric_gof(geometric_sample(7, kP, 5000), kP);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_GT(r->p_value, 0.01) << "statistic " << r->statistic << " df " << r->df;
  EXPECT_EQ(r->df + 1, r->bins);
  EXPECT_GE(r->bins, 20u);  // 2 * 5000^0.4 is about 60 bins
  EXPECT_LE(r->bins, kGofBinsMax);
}

TEST(GeometricGof, RejectsConstantValuesAndTheWrongP) {
  const std::vector<std::uint64_t> constant(5000, 256);  // every value at the mean
  const util::Result<GofResult> flat = geometric_gof(constant, kP);
  ASSERT_TRUE(flat.is_ok());
  EXPECT_LT(flat->p_value, 1e-6) << flat->statistic;

  const util::Result<GofResult> doubled = geometric_gof(geometric_sample(7, 2 * kP, 5000), kP);
  ASSERT_TRUE(doubled.is_ok());
  EXPECT_LT(doubled->p_value, 1e-6) << doubled->statistic;
}

// Under the null hypothesis the p-value is (close to) uniform: about 5% of samples fall below 0.05.
TEST(GeometricGof, PValuesAreCalibrated) {
  int below = 0;
  constexpr int kRuns = 400;
  for (int seed = 0; seed < kRuns; ++seed) {
    const util::Result<GofResult> r =
        geometric_gof(geometric_sample(1000 + static_cast<std::uint64_t>(seed), kP, 500), kP);
    ASSERT_TRUE(r.is_ok());
    if (r->p_value < 0.05) ++below;
  }
  EXPECT_GE(below, kRuns / 100);  // 1%
  EXPECT_LE(below, kRuns / 10);   // 10%
}

TEST(GeometricGof, LargeAndSmallSuccessProbabilities) {
  // p = 1/2: bins collapse to the few values the sample takes, and still at least two remain.
  const util::Result<GofResult> half = geometric_gof(geometric_sample(3, 0.5, 1000), 0.5);
  ASSERT_TRUE(half.is_ok()) << half.status().to_string();
  EXPECT_GT(half->p_value, 0.001);
  // p = 2^-40: edges near 2^42 still fit in 64 bits.
  const double tiny = std::ldexp(1.0, -40);
  const util::Result<GofResult> small = geometric_gof(geometric_sample(5, tiny, 2000), tiny);
  ASSERT_TRUE(small.is_ok()) << small.status().to_string();
  EXPECT_GT(small->p_value, 0.001);
}

TEST(GeometricGof, BinsOption) {
  const util::Result<GofResult> r = geometric_gof(geometric_sample(7, kP, 2000), kP, {.bins = 10});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->bins, 10u);
  EXPECT_EQ(r->df, 9u);
}

TEST(GeometricGof, InvalidInput) {
  const std::vector<std::uint64_t> sample = geometric_sample(7, kP, 100);
  EXPECT_FALSE(geometric_gof({}, kP).is_ok());
  EXPECT_FALSE(geometric_gof(sample, 0.0).is_ok());
  EXPECT_FALSE(geometric_gof(sample, 1.0).is_ok());
  EXPECT_FALSE(geometric_gof(sample, NAN).is_ok());
  std::vector<std::uint64_t> with_zero = sample;
  with_zero[42] = 0;
  const util::Result<GofResult> zero = geometric_gof(with_zero, kP);
  ASSERT_FALSE(zero.is_ok());
  EXPECT_NE(zero.status().message().find("sample 42"), std::string::npos);
  // Three samples expect fewer than 5 in any second bin.
  EXPECT_FALSE(geometric_gof(std::vector<std::uint64_t>{1, 300, 900}, kP).is_ok());
}

}  // namespace
}  // namespace qpow::mining
