#include "mining/stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::mining {
namespace {

using util::Result;
using util::Status;

// t(0.975, df) for df = 1 .. 28, to four decimals, from the standard table (NIST/SEMATECH
// e-Handbook of Statistical Methods, §1.3.6.7.2, "Critical values of the Student's t
// distribution", column 0.975).
constexpr std::array<double, kStudentTSamplesMax - 2> kTQuantile95 = {
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484};

// Iterations of the gamma series or continued fraction before giving up. Both converge in
// O(sqrt(a)) steps near the switch point x = a + 1, so this covers a far beyond any chi-square
// degrees of freedom a test here can have.
constexpr int kGammaIterationsMax = 10'000;
constexpr double kGammaEpsilon = 1e-15;
// Stands in for 0 in the continued fraction's denominators (modified Lentz method).
constexpr double kTiny = 1e-300;

double mean_of(std::span<const double> values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// x^a e^-x / Γ(a), the factor both expansions share, computed in logarithms.
double gamma_prefactor(double a, double x) {
  return std::exp(a * std::log(x) - x - std::lgamma(a));
}

// P(a, x) by the series e^-x x^a Σ_n x^n / Γ(a + n + 1) (A&S 6.5.29), for x < a + 1.
Result<double> gamma_p_series(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n <= kGammaIterationsMax; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kGammaEpsilon) return sum * gamma_prefactor(a, x);
  }
  return Status::error(
      util::StatusCode::kInternal,
      fmt::format("incomplete gamma series did not converge for a={}, x={}", a, x));
}

// Q(a, x) by the continued fraction of A&S 6.5.31 in its even contraction
// 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 - a - ...))), evaluated
// front to back with the modified Lentz method, for x >= a + 1.
Result<double> gamma_q_fraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i <= kGammaIterationsMax; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kGammaEpsilon) return h * gamma_prefactor(a, x);
  }
  return Status::error(
      util::StatusCode::kInternal,
      fmt::format("incomplete gamma continued fraction did not converge for a={}, x={}", a, x));
}

// Bin edges: bin j holds the values in (edges[j-1], edges[j]] (edges[-1] = 0); the last bin is
// open above and has no edge. Quantile j/bins of the geometric distribution is the least k with
// 1 - (1 - p)^k >= j / bins, i.e. ceil(ln(1 - j / bins) / ln(1 - p)). Discreteness can make
// neighbouring quantiles equal; those bins collapse into one.
std::vector<std::uint64_t> quantile_edges(std::size_t bins, double log_q) {
  constexpr double kEdgeMax = 18446744073709549568.0;  // the largest double below 2^64
  std::vector<std::uint64_t> edges;
  for (std::size_t j = 1; j < bins; ++j) {
    const double level = static_cast<double>(j) / static_cast<double>(bins);
    const double k = std::ceil(std::log1p(-level) / log_q);
    const std::uint64_t edge = k >= kEdgeMax ? UINT64_MAX : static_cast<std::uint64_t>(k);
    if (edge == 0 || (!edges.empty() && edge <= edges.back())) continue;
    edges.push_back(edge);
  }
  return edges;
}

// The probability of each bin: S(a) - S(b) for (a, b], S(k) = (1 - p)^k, written as
// S(a) (1 - (1 - p)^(b - a)) to keep full precision when p is small.
std::vector<double> bin_probabilities(const std::vector<std::uint64_t>& edges, double log_q) {
  std::vector<double> probs;
  std::uint64_t lower = 0;
  for (const std::uint64_t upper : edges) {
    const double survive = std::exp(static_cast<double>(lower) * log_q);
    probs.push_back(-survive * std::expm1(static_cast<double>(upper - lower) * log_q));
    lower = upper;
  }
  probs.push_back(std::exp(static_cast<double>(lower) * log_q));
  return probs;
}

struct Bin {
  double expected = 0;
  std::uint64_t observed = 0;
};

// Merges neighbours, left to right, until each bin expects kMinExpectedPerBin observations; a
// short tail joins the last full bin.
std::vector<Bin> merge_small_bins(const std::vector<Bin>& raw) {
  std::vector<Bin> merged;
  Bin pending;
  for (const Bin& bin : raw) {
    pending.expected += bin.expected;
    pending.observed += bin.observed;
    if (pending.expected >= kMinExpectedPerBin) {
      merged.push_back(pending);
      pending = Bin{};
    }
  }
  if (pending.expected > 0 || pending.observed > 0) {
    if (merged.empty()) {
      merged.push_back(pending);
    } else {
      merged.back().expected += pending.expected;
      merged.back().observed += pending.observed;
    }
  }
  return merged;
}

std::size_t automatic_bins(std::size_t n) {
  const auto moore = static_cast<std::size_t>(2.0 * std::pow(static_cast<double>(n), 0.4));
  const auto by_expected = static_cast<std::size_t>(static_cast<double>(n) / kMinExpectedPerBin);
  return std::max<std::size_t>(2, std::min({moore, by_expected, kGofBinsMax}));
}

}  // namespace

double ci95_quantile(std::size_t count) {
  QPOW_ASSERT_MSG(count >= 2, "an interval of the mean needs at least two values");
  if (count < kStudentTSamplesMax) return kTQuantile95[count - 2];
  return kNormalQuantile95;
}

Result<Summary> summarize(std::span<const double> values) {
  if (values.size() < 2) {
    return Status::invalid_argument(
        fmt::format("a summary needs at least 2 values, got {}", values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Status::invalid_argument(fmt::format("value {} is not finite", i));
    }
  }
  Summary s;
  s.count = values.size();
  s.mean = mean_of(values);
  double squares = 0;
  for (const double v : values) squares += (v - s.mean) * (v - s.mean);
  const auto n = static_cast<double>(s.count);
  s.stddev = std::sqrt(squares / (n - 1));
  const double half_width = ci95_quantile(s.count) * s.stddev / std::sqrt(n);
  s.ci95_low = s.mean - half_width;
  s.ci95_high = s.mean + half_width;
  return s;
}

Result<double> ratio_of_means(std::span<const double> numerator,
                              std::span<const double> denominator) {
  if (numerator.empty() || denominator.empty()) {
    return Status::invalid_argument(
        fmt::format("ratio of means: {} values in the numerator, {} in the denominator; each "
                    "needs at least 1",
                    numerator.size(), denominator.size()));
  }
  const double bottom = mean_of(denominator);
  if (bottom == 0) return Status::invalid_argument("ratio of means: the denominator's mean is 0");
  return mean_of(numerator) / bottom;
}

double success_probability(const util::Uint256& target) {
  // (target + 1) / 2^256 = sum over limbs of limb_i 2^(64 i - 256), plus 2^-256.
  double p = std::ldexp(1.0, -256);
  for (int i = 0; i < 4; ++i) {
    p += std::ldexp(static_cast<double>(target.limb(i)), 64 * i - 256);
  }
  return p;
}

Result<double> regularized_gamma_q(double a, double x) {
  if (!(a > 0) || !std::isfinite(a)) {
    return Status::invalid_argument(fmt::format("incomplete gamma: a must be > 0, got {}", a));
  }
  if (!(x >= 0) || !std::isfinite(x)) {
    return Status::invalid_argument(fmt::format("incomplete gamma: x must be >= 0, got {}", x));
  }
  if (x == 0) return 1.0;
  if (x < a + 1) {
    QPOW_ASSIGN_OR_RETURN(const double p, gamma_p_series(a, x));
    return std::clamp(1.0 - p, 0.0, 1.0);
  }
  QPOW_ASSIGN_OR_RETURN(const double q, gamma_q_fraction(a, x));
  return std::clamp(q, 0.0, 1.0);
}

Result<double> chi_square_p_value(double statistic, std::size_t df) {
  if (df == 0) return Status::invalid_argument("chi-square: df must be at least 1");
  return regularized_gamma_q(static_cast<double>(df) / 2.0, statistic / 2.0);
}

Result<GofResult> geometric_gof(std::span<const std::uint64_t> hashes, double p,
                                const GofOptions& options) {
  if (hashes.empty()) return Status::invalid_argument("goodness of fit: no samples");
  if (!(p > 0 && p < 1)) {
    return Status::invalid_argument(
        fmt::format("goodness of fit: success probability must be in (0, 1), got {}", p));
  }
  if (const auto zero = std::find(hashes.begin(), hashes.end(), 0u); zero != hashes.end()) {
    return Status::invalid_argument(fmt::format(
        "goodness of fit: sample {} is 0; a search hashes at least once", zero - hashes.begin()));
  }
  const std::size_t requested = options.bins == 0 ? automatic_bins(hashes.size()) : options.bins;
  const double log_q = std::log1p(-p);
  const std::vector<std::uint64_t> edges =
      quantile_edges(std::max<std::size_t>(2, requested), log_q);
  const std::vector<double> probs = bin_probabilities(edges, log_q);

  std::vector<Bin> raw(probs.size());
  const auto n = static_cast<double>(hashes.size());
  for (std::size_t i = 0; i < probs.size(); ++i) raw[i].expected = probs[i] * n;
  for (const std::uint64_t h : hashes) {
    const auto bin = std::lower_bound(edges.begin(), edges.end(), h) - edges.begin();
    ++raw[static_cast<std::size_t>(bin)].observed;
  }
  const std::vector<Bin> bins = merge_small_bins(raw);
  if (bins.size() < 2) {
    return Status::invalid_argument(fmt::format(
        "goodness of fit: {} samples at p={} leave {} bin(s) expecting >= {} each; at least 2 "
        "are needed",
        hashes.size(), p, bins.size(), kMinExpectedPerBin));
  }
  GofResult result;
  for (const Bin& bin : bins) {
    const double diff = static_cast<double>(bin.observed) - bin.expected;
    result.statistic += diff * diff / bin.expected;
  }
  result.bins = bins.size();
  result.df = bins.size() - 1;
  QPOW_ASSIGN_OR_RETURN(result.p_value, chi_square_p_value(result.statistic, result.df));
  return result;
}

}  // namespace qpow::mining
