// Statistics for measuring nonce searches: summaries with a 95% confidence interval of the mean,
// ratios of means, and a chi-square goodness-of-fit test of hashes-to-solution against the
// geometric distribution that an ideal hash predicts.
//
// Why the geometric distribution: with an ideal hash every nonce is an independent trial that
// succeeds (qhash <= target) with the same probability p = (target + 1) / 2^256. The number of
// hashes up to and including the first success, X, then has P(X = k) = (1 - p)^(k-1) p for
// k >= 1, whatever order the nonces are tried in. A single-worker search of either strategy
// should produce exactly this distribution; a significant departure means a bug (a nonce hashed
// twice, a miscounted hash) or a hash that is not behaving ideally.
//
// This is measurement code for benchmarks and tests, not consensus code: it uses doubles.
// Functions keep no state (std::lgamma may still set the C library's signgam, as glibc's does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "util/result.h"
#include "util/uint256.h"

namespace qpow::mining {

// Below this many samples the confidence interval uses Student's t quantile (a table for 1..28
// degrees of freedom); from here on the normal quantile 1.96, within about 4% of t.
inline constexpr std::size_t kStudentTSamplesMax = 30;
inline constexpr double kNormalQuantile95 = 1.959963984540054;

// The multiplier of the standard error in a two-sided 95% interval of the mean of `count`
// values: t(0.975, count - 1) for count < kStudentTSamplesMax, else kNormalQuantile95.
// count < 2 is a bug (asserted).
double ci95_quantile(std::size_t count);

struct Summary {
  std::size_t count = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (divisor n - 1)
  // mean -/+ ci95_quantile(n) * stddev / sqrt(n).
  double ci95_low = 0;
  double ci95_high = 0;
};

// Needs at least two values (one value says nothing about spread); every value must be finite.
util::Result<Summary> summarize(std::span<const double> values);

// mean(numerator) / mean(denominator); both non-empty, the denominator's mean non-zero.
util::Result<double> ratio_of_means(std::span<const double> numerator,
                                    std::span<const double> denominator);

// P = (target + 1) / 2^256, the chance that one hash meets the target, as a double (relative
// error about 2^-53). For a target of 2^(256-D) - 1 this is exactly 2^-D.
double success_probability(const util::Uint256& target);

// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and
// x >= 0: a power series of P = 1 - Q for x < a + 1, a continued fraction for Q otherwise
// (Abramowitz & Stegun 6.5.29 and 6.5.31). Relative accuracy about 1e-14.
util::Result<double> regularized_gamma_q(double a, double x);

// The chance that a chi-square variable with `df` degrees of freedom is at least `statistic`:
// Q(df / 2, statistic / 2).
util::Result<double> chi_square_p_value(double statistic, std::size_t df);

// Bins of the goodness-of-fit test: 0 picks about 2 n^(2/5) (Moore's rule for equiprobable
// chi-square bins), at most n / kMinExpectedPerBin and at most kGofBinsMax.
inline constexpr std::size_t kGofBinsMax = 100;
// Adjacent bins are merged until each expects at least this many observations (Cochran's rule).
inline constexpr double kMinExpectedPerBin = 5.0;

struct GofOptions {
  std::size_t bins = 0;
};

struct GofResult {
  double statistic = 0;  // Pearson's sum of (observed - expected)^2 / expected
  std::size_t df = 0;    // bins after merging - 1 (p is given, not estimated)
  double p_value = 0;    // chi_square_p_value(statistic, df)
  std::size_t bins = 0;  // bins after merging
};

// Pearson's chi-square test of `hashes` (each >= 1) against the geometric distribution with
// success probability p in (0, 1). Bin edges are the geometric quantiles at j / bins, so the bins
// are as equiprobable as a discrete distribution allows; expected counts come from the exact CDF
// 1 - (1 - p)^k. Errors: no samples, a zero sample, p outside (0, 1), or fewer than two bins
// left after merging (too few samples, or p so large that nearly every search ends at once).
util::Result<GofResult> geometric_gof(std::span<const std::uint64_t> hashes, double p,
                                      const GofOptions& options = {});

}  // namespace qpow::mining
