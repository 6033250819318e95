#include "sim/rng.h"

#include <cmath>
#include <limits>

#include "util/splitmix64.h"

namespace qpow::sim {

std::uint64_t mix64(std::uint64_t x) {
  return util::splitmix64_mix(x + util::kSplitMix64Gamma);
}

Rng::Rng(std::uint64_t seed) : seed_(seed) {
  std::uint64_t x = seed;
  for (auto& word : s_) {
    x += util::kSplitMix64Gamma;
    word = mix64(x);
  }
}

Rng Rng::fork(std::uint64_t tag) const {
  return Rng(mix64(seed_ ^ mix64(tag ^ 0x5bd1e9955bd1e995ULL)));
}

namespace {
__extension__ using u128 = unsigned __int128;

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
}  // namespace

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0) return 0;
  // Lemire, "Fast random integer generation in an interval" (2019): multiply-shift with a
  // rejection step that removes the bias.
  u128 m = static_cast<u128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Rng::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double Rng::exponential(double rate) {
  if (!(rate > 0)) return std::numeric_limits<double>::infinity();
  // 1 - unit() is in (0, 1], so the logarithm is finite.
  return -std::log(1.0 - unit()) / rate;
}

double Rng::normal(double mean, double stddev) {
  const double u1 = 1.0 - unit();
  const double u2 = unit();
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::lognormal(double median, double sigma) {
  return median * std::exp(normal(0.0, sigma));
}

}  // namespace qpow::sim
