#include "sim/stats.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace qpow::sim {
namespace {

// Terms of a Poisson series summed before giving up on convergence; the series used below shrink
// geometrically, so this bound is never reached for q below 0.5 in practice.
constexpr std::size_t kSeriesTermsMax = 10'000'000;
// A term this small relative to the running sum no longer changes a double.
constexpr double kSeriesTolerance = 1e-18;

// Poisson(lambda) probability of exactly k events, in log space so that large k and lambda
// neither overflow nor underflow before the end.
double poisson_probability(double lambda, std::uint32_t k) {
  const double kd = static_cast<double>(k);
  return std::exp(-lambda + kd * std::log(lambda) - std::lgamma(kd + 1.0));
}

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  // Out-of-range p is clamped; NaN counts as 0.
  const double clamped = p > 100.0 ? 100.0 : (p >= 0.0 ? p : 0.0);
  // R-7 (Hyndman and Fan, "Sample quantiles in statistical packages", 1996): the (n - 1) p-th
  // gap between sorted values, interpolated linearly.
  const double rank = static_cast<double>(values.size() - 1) * clamped / 100.0;
  const auto lower = static_cast<std::size_t>(std::floor(rank));
  if (lower + 1 >= values.size()) return values.back();
  const double fraction = rank - static_cast<double>(lower);
  return values[lower] + fraction * (values[lower + 1] - values[lower]);
}

// Nakamoto's sum, 1 - sum_{k<=z} P(k) (1 - r^(z-k)) with r = q / p, has the same value as
//   sum_{k>z} P(k)  +  sum_{k<=z} P(k) r^(z-k),
// since the P(k) sum to 1. Both sums have only positive terms, so unlike the original they lose
// no digits to cancellation when the answer is tiny, and both shrink geometrically away from
// k = z: above z each term is lambda / (k + 1) < r times the last, below z each is k / z times
// the one above it. Summing outwards from z until the terms vanish costs O(sqrt z), not O(z).
double nakamoto_attack_probability(double q, std::uint32_t z) {
  if (!(q < 0.5)) return 1.0;  // also NaN: claim nothing about safety
  if (z == 0) return 1.0;
  if (q <= 0.0) return 0.0;
  const double ratio = q / (1.0 - q);
  const double zd = static_cast<double>(z);
  const double lambda = zd * ratio;
  const double at_z = poisson_probability(lambda, z);
  // Every term is at most P(z) times a constant; past double range the answer is 0.
  if (at_z == 0.0) return 0.0;
  double sum = 0.0;
  // k = z, z - 1, ..., 0: P(k) r^(z-k).
  double term = at_z;
  for (std::uint32_t k = z;; --k) {
    sum += term;
    if (k == 0 || term <= sum * kSeriesTolerance) break;
    term *= static_cast<double>(k) / zd;
  }
  // k = z + 1, z + 2, ...: P(k).
  term = at_z;
  for (std::size_t i = 1; i <= kSeriesTermsMax; ++i) {
    term *= lambda / (zd + static_cast<double>(i));
    sum += term;
    if (term <= sum * kSeriesTolerance) break;
  }
  return std::min(sum, 1.0);
}

bool within_binomial_bound(std::uint64_t successes, std::uint64_t trials, double p, double sigmas) {
  if (trials == 0) return true;
  const double n = static_cast<double>(trials);
  const double share = static_cast<double>(successes) / n;
  const double stddev = std::sqrt(p * (1.0 - p) / n);
  return std::abs(share - p) <= sigmas * stddev + 0.5 / n;
}

double log_log_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t count = std::min(x.size(), y.size());
  std::vector<std::pair<double, double>> points;
  points.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (x[i] > 0.0 && y[i] > 0.0) points.emplace_back(std::log(x[i]), std::log(y[i]));
  }
  if (points.size() < 2) return 0.0;
  double mean_x = 0.0;
  double mean_y = 0.0;
  for (const auto& [lx, ly] : points) {
    mean_x += lx;
    mean_y += ly;
  }
  mean_x /= static_cast<double>(points.size());
  mean_y /= static_cast<double>(points.size());
  double covariance = 0.0;
  double variance = 0.0;
  for (const auto& [lx, ly] : points) {
    covariance += (lx - mean_x) * (ly - mean_y);
    variance += (lx - mean_x) * (lx - mean_x);
  }
  return variance > 0.0 ? covariance / variance : 0.0;
}

std::vector<std::pair<double, double>> empirical_cdf(std::vector<double> values,
                                                     std::size_t points_max) {
  std::vector<std::pair<double, double>> points;
  if (values.empty() || points_max == 0) return points;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double total = static_cast<double>(n);
  const std::size_t count = std::min(n, points_max);
  points.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    // Evenly spaced ranks from 0 to n - 1; with a single point, only the last.
    const std::size_t rank = count == 1 ? n - 1 : i * (n - 1) / (count - 1);
    const double value = values[rank];
    if (!points.empty() && points.back().first == value) continue;  // ties share one point
    const auto at_most = std::upper_bound(values.begin(), values.end(), value) - values.begin();
    points.emplace_back(value, static_cast<double>(at_most) / total);
  }
  return points;
}

}  // namespace qpow::sim
