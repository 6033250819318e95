// Internal to the sim library: the axes of render_svg_chart (chart.h). An axis maps data values to
// pixels on a linear or log10 scale and carries its tick values and labels, chosen at "nice"
// values (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace qpow::sim::chart_detail {

// Magnitudes past this are treated like infinities, so that hi - lo stays finite.
inline constexpr double kValueAbsMax = 1e300;
// The smallest value a log axis shows, so that its decades stay normal doubles.
inline constexpr double kLogValueMin = 1e-300;
// A range narrower than this (absolute, or relative to its magnitude) cannot get distinct ticks
// in doubles; an explicit one is ignored and one from the data is widened.
inline constexpr double kSpanMin = 1e-290;
inline constexpr double kSpanRelativeMin = 1e-12;
// Ticks per axis the step choice aims at, and the most one axis can get (labels then overlap).
inline constexpr double kTicksTarget = 6;
inline constexpr int kTicksMax = 24;
// Labelled decades on a log axis before only every n-th one gets a label.
inline constexpr int kLogLabelsMax = 8;
// Decades a log axis may span and still get unlabelled 2..9 x 10^k minor ticks.
inline constexpr int kLogMinorDecadesMax = 6;

// Whether a value can be drawn: finite, not past kValueAbsMax, and >= kLogValueMin on a log axis.
bool usable(double v, bool log);
// snprintf of one double with a precision argument ("%.*f", "%.*g", "%.*e"), no locale.
std::string printf_text(const char* format, double v, int precision = 0);

struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  bool empty() const { return lo > hi; }
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

struct Axis {
  bool log = false;
  double lo = 0, hi = 1;      // data units
  double t_lo = 0, t_hi = 1;  // lo and hi after the log transform
  double pix_lo = 0, pix_hi = 1;
  std::vector<double> ticks;  // labelled
  std::vector<std::string> labels;
  std::vector<double> minor;  // unlabelled, log axes only

  void set_range(double range_lo, double range_hi) {
    lo = range_lo;
    hi = range_hi;
    t_lo = log ? std::log10(lo) : lo;
    t_hi = log ? std::log10(hi) : hi;
  }
  double to_pixel(double v) const {
    const double t = log ? std::log10(v) : v;
    return pix_lo + (t - t_lo) / (t_hi - t_lo) * (pix_hi - pix_lo);
  }
};

// The axis range: the explicit one when it is usable (min != max, both finite, both > 0 on a log
// axis, not too narrow; reversed bounds are swapped), else the data's, grown to whole ticks
// (decades on a log axis) and from 0 when `from_zero` and the data is >= 0 on a linear axis.
Axis make_axis(Extent data, double min, double max, bool log, bool from_zero);

}  // namespace qpow::sim::chart_detail
