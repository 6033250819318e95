// Statistics for simulation reports and invariants. Not consensus code: doubles throughout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qpow::sim {

// The p-th percentile (p in [0, 100]) of `values` by linear interpolation between closest ranks
// (the "R-7" / NumPy default definition). Empty input gives 0. `values` need not be sorted.
double percentile(std::vector<double> values, double p);

// Nakamoto, "Bitcoin: A Peer-to-Peer Electronic Cash System" (2008), section 11: the probability
// that an attacker with share q of the hash power (honest share p = 1 - q) ever catches up from
// z blocks behind, once the merchant has waited z confirmations:
//   1 - sum_{k=0..z} (lambda^k e^-lambda / k!) (1 - (q/p)^(z-k)),  lambda = z q / p.
// q >= 0.5 gives 1; q <= 0 gives 0 (z > 0) or 1 (z == 0).
double nakamoto_attack_probability(double q, std::uint32_t z);

// Two-sided bound for a binomial proportion: true when `successes` out of `trials` is within
// `sigmas` standard deviations of the expected share p (normal approximation, with a continuity
// correction of 0.5 / trials). trials == 0 gives true.
bool within_binomial_bound(std::uint64_t successes, std::uint64_t trials, double p, double sigmas);

// Least-squares slope of log(y) against log(x) over the points with x > 0 and y > 0: the
// exponent b of y ~ a x^b. Fewer than two usable points give 0.
double log_log_slope(const std::vector<double>& x, const std::vector<double>& y);

// Empirical CDF of `values` as (value, fraction <= value) points, sorted, at most `points_max`
// points (evenly spaced ranks, always including the first and last). Empty input: no points.
std::vector<std::pair<double, double>> empirical_cdf(std::vector<double> values,
                                                     std::size_t points_max = 200);

}  // namespace qpow::sim
