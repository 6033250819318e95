// Chart axes: ranges, nice ticks and their labels (chart_axis.h).
#include "sim/chart_axis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace qpow::sim::chart_detail {

bool usable(double v, bool log) {
  return std::isfinite(v) && std::abs(v) <= kValueAbsMax && (!log || v >= kLogValueMin);
}

std::string printf_text(const char* format, double v, int precision) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), format, precision, v);
  return buffer.data();
}

namespace {

// Heckbert, "Nice numbers for graph labels", Graphics Gems (1990): ticks at 1, 2 or 5 x 10^k.
// Of those steps, one giving 5 to 8 ticks, the closest to kTicksTarget (ties: the larger step).
// `extend`: the range grows to whole steps, otherwise ticks stay inside it.
double nice_step(double lo, double hi, bool extend) {
  constexpr double kSlack = 1e-9;  // 0.3 / 0.1 is 2.9999999999999996
  constexpr double kCountLow = 5, kCountHigh = 8;
  const int e0 = static_cast<int>(std::floor(std::log10((hi - lo) / kTicksTarget)));
  double best_step = 0;
  double best_score = std::numeric_limits<double>::infinity();
  for (int e = e0 - 1; e <= e0 + 1; ++e) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double step = m * std::pow(10.0, e);
      const double first = extend ? std::floor(lo / step + kSlack) : std::ceil(lo / step - kSlack);
      const double last = extend ? std::ceil(hi / step - kSlack) : std::floor(hi / step + kSlack);
      const double count = last - first + 1;
      const double score = std::max(0.0, kCountLow - count) + std::max(0.0, count - kCountHigh) +
                           0.01 * std::abs(count - kTicksTarget);
      if (score <= best_score) {
        best_score = score;
        best_step = step;
      }
    }
  }
  return best_step;
}

// Linear tick labels share one SI suffix and as many decimals as the step needs: "0", "2.5",
// "15k", "1.2M". Values too large or steps too fine for that fall back to "%.6g".
void label_linear_ticks(Axis& axis, double step) {
  static constexpr std::array<std::pair<double, const char*>, 4> kPrefixes = {
      {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}};
  const double magnitude = std::max(std::abs(axis.lo), std::abs(axis.hi));
  double scale = 1;
  const char* suffix = "";
  for (const auto& [prefix_scale, prefix] : kPrefixes) {
    // "k" from 10,000 on: "1500" reads better than "1.5k", "2.0M" better than "2000k".
    const double from = prefix_scale == 1e3 ? 1e4 : prefix_scale;
    if (magnitude >= from && step * 100 >= prefix_scale) {
      scale = prefix_scale;
      suffix = prefix;
      break;
    }
  }
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step / scale) - 1e-9)));
  const bool fixed = decimals <= 6 && magnitude / scale < 1e15;
  for (double& v : axis.ticks) {
    if (std::abs(v) < step * 1e-6) {
      v = 0;  // not "-0.0" or "5.55e-17"
      axis.labels.emplace_back("0");
      continue;
    }
    axis.labels.push_back(fixed ? printf_text("%.*f", v / scale, decimals) + suffix
                                : printf_text("%.*g", v, 6));
  }
}

// A 1, 2 or 5 x 10^k value on a log axis: "1", "20", "500", "1k", "20M", "0.05", "1e-05".
std::string log_label(double v) {
  const int e = static_cast<int>(std::floor(std::log10(v) + 1e-9));
  const double m = std::round(v / std::pow(10.0, e));
  if (e >= 15 || e < -4) return printf_text("%.*e", m * std::pow(10.0, e), 0);
  if (e >= 3) {
    static constexpr std::array<const char*, 4> kSuffixes = {"k", "M", "G", "T"};
    const int group = e / 3;
    return printf_text("%.*f", m * std::pow(10.0, e - 3 * group), 0) + kSuffixes[group - 1];
  }
  return printf_text("%.*f", v, std::max(0, -e));
}

void make_linear_ticks(Axis& axis, bool extend) {
  const double step = nice_step(axis.lo, axis.hi, extend);
  if (extend)
    axis.set_range(std::floor(axis.lo / step + 1e-9) * step,
                   std::ceil(axis.hi / step - 1e-9) * step);
  const auto first = static_cast<std::int64_t>(std::ceil(axis.lo / step - 1e-9));
  for (std::int64_t k = first; k * step <= axis.hi + step * 1e-9; ++k) {
    if (axis.ticks.size() == kTicksMax) break;
    axis.ticks.push_back(static_cast<double>(k) * step);
  }
  label_linear_ticks(axis, step);
}

// Log axes: labels at powers of ten (every n-th one over many decades), also at 2 and 5 x 10^k
// over at most two decades, with linear ticks when the range is narrower than that.
void make_log_ticks(Axis& axis) {
  const int d_lo = static_cast<int>(std::ceil(axis.t_lo - 1e-9));
  const int d_hi = static_cast<int>(std::floor(axis.t_hi + 1e-9));
  const int decades = d_hi - d_lo;
  const int stride = std::max(1, (decades + kLogLabelsMax) / kLogLabelsMax);
  for (int d = static_cast<int>(std::floor(axis.t_lo)); d <= d_hi; ++d) {
    const double power = std::pow(10.0, d);
    for (int m = 1; m <= 9; ++m) {
      const double v = m * power;
      if (v < axis.lo * (1 - 1e-9) || v > axis.hi * (1 + 1e-9)) continue;
      const bool labelled = m == 1 ? (d - d_lo) % stride == 0 : decades <= 2 && (m == 2 || m == 5);
      if (labelled)
        axis.ticks.push_back(v);
      else if (decades <= kLogMinorDecadesMax)
        axis.minor.push_back(v);
    }
  }
  if (axis.ticks.size() >= 2) {
    for (const double v : axis.ticks) axis.labels.push_back(log_label(v));
    return;
  }
  axis.ticks.clear();
  axis.minor.clear();
  make_linear_ticks(axis, /*extend=*/false);
}

}  // namespace

Axis make_axis(Extent data, double min, double max, bool log, bool from_zero) {
  Axis axis;
  axis.log = log;
  if (min > max) std::swap(min, max);
  const double magnitude = std::max(std::abs(min), std::abs(max));
  if (usable(min, log) && usable(max, log) && max - min > kSpanMin &&
      max - min > magnitude * kSpanRelativeMin) {
    axis.set_range(min, max);
    if (log)
      make_log_ticks(axis);
    else
      make_linear_ticks(axis, /*extend=*/false);
    return axis;
  }
  if (data.empty()) data = log ? Extent{1, 10} : Extent{0, 1};
  if (!log && from_zero && data.lo >= 0) data.lo = 0;
  // A single value (or a span lost in rounding) gets a range around it.
  const double center = (data.lo + data.hi) / 2;
  if (data.hi - data.lo <= std::max(kSpanMin, std::abs(center) * kSpanRelativeMin)) {
    const double half = std::max(kSpanMin, std::abs(center) / 2);
    if (log)
      data = {center / 10, center * 10};
    else if (center == 0)
      data = {0, 1};
    else
      data = {center - half, center + half};
  }
  if (log) {
    axis.set_range(std::pow(10.0, std::floor(std::log10(data.lo))),
                   std::pow(10.0, std::ceil(std::log10(data.hi))));
    make_log_ticks(axis);
  } else {
    axis.set_range(data.lo, data.hi);
    make_linear_ticks(axis, /*extend=*/true);
  }
  return axis;
}

}  // namespace qpow::sim::chart_detail
