// SVG charts and CSV tables for simulation reports (see chart.h). SVG follows the W3C "Scalable
// Vector Graphics (SVG) 1.1 (Second Edition)" recommendation (2011); CSV follows RFC 4180.
#include "sim/chart.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string_view>

#include "sim/chart_axis.h"
#include "util/assert.h"

namespace qpow::sim {
namespace {

using chart_detail::Axis;
using chart_detail::Extent;
using chart_detail::make_axis;
using chart_detail::printf_text;
using chart_detail::usable;

// Okabe and Ito, "Color Universal Design" (2008): colours that stay apart under the common forms
// of colour blindness. Their yellow (#F0E442) is swapped for a brown because it vanishes on white.
constexpr std::array<const char*, 8> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                 "#E69F00", "#56B4E9", "#000000", "#8C564B"};

// A chart smaller than this cannot fit its margins; a larger one is a caller's mistake that
// would only produce a huge file.
constexpr int kSizeMin = 200;
constexpr int kSizeMax = 10000;
constexpr double kFontSize = 11;  // as the font-size attributes of tick labels and the legend
// Advance of an average character of a sans-serif font, about 0.6 em; used to size the margins
// and the legend box, as there is no font metrics without a renderer.
constexpr double kCharWidth = 0.6 * kFontSize;
constexpr double kTickLength = 5;
constexpr double kMarkerRadius = 2.5;
constexpr std::size_t kLegendRowsMax = 12;
constexpr std::size_t kLegendNameBytesMax = 40;
constexpr double kLegendRowHeight = 16;
constexpr double kLegendSwatch = 20;

struct Pt {
  double x, y;
};

// Fixed-point text with two decimals, as "%.2f" but without printf's cost: a 10,000-point series
// is 40,000 numbers. Only for coordinates, which are clipped to the canvas.
void append_num(std::string& out, double v) {
  auto hundredths = static_cast<std::int64_t>(std::llround(v * 100));
  if (hundredths < 0) {
    out += '-';
    hundredths = -hundredths;
  }
  std::array<char, 24> digits{};
  const auto end =
      std::to_chars(digits.data(), digits.data() + digits.size(), hundredths / 100).ptr;
  out.append(digits.data(), end);
  out += '.';
  out += static_cast<char>('0' + hundredths / 10 % 10);
  out += static_cast<char>('0' + hundredths % 10);
}

void append_attr(std::string& out, const char* name, double v) {
  out += ' ';
  out += name;
  out += "=\"";
  append_num(out, v);
  out += '"';
}

// XML 1.0 section 2.4 (escapes) and 2.2 (characters): control characters other than tab, LF and
// CR are not allowed in a document at all, so they become spaces.
std::string xml_escape(std::string_view text) {
  static constexpr std::array<std::pair<char, std::string_view>, 5> kEntities = {
      {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&apos;"}}};
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto* entity = std::find_if(kEntities.begin(), kEntities.end(),
                                      [c](const auto& e) { return e.first == c; });
    if (entity != kEntities.end())
      out += entity->second;
    else
      out +=
          (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ? ' ' : c;
  }
  return out;
}

// `text` cut to at most `bytes_max` bytes plus an ellipsis, never inside a UTF-8 sequence.
std::string shorten(const std::string& text, std::size_t bytes_max) {
  if (text.size() <= bytes_max) return text;
  std::size_t end = bytes_max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

// Text length in characters (UTF-8 continuation bytes do not count), for width estimates.
double text_width(std::string_view text) {
  const auto chars = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return static_cast<double>(chars) * kCharWidth;
}

struct Frame {
  double left, top, right, bottom;
  bool contains(Pt p) const {
    constexpr double kSlack = 0.01;
    return p.x >= left - kSlack && p.x <= right + kSlack && p.y >= top - kSlack &&
           p.y <= bottom + kSlack;
  }
};

// Liang and Barsky, "A new concept and method for line clipping", ACM TOG 3(1), 1984: the part
// of segment a-b inside the frame, or false when none is.
bool clip_segment(const Frame& f, Pt& a, Pt& b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const std::array<double, 4> p = {-dx, dx, -dy, dy};
  const std::array<double, 4> q = {a.x - f.left, f.right - a.x, a.y - f.top, f.bottom - a.y};
  double t0 = 0, t1 = 1;
  for (std::size_t i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  const Pt start = {a.x + t0 * dx, a.y + t0 * dy};
  b = {a.x + t1 * dx, a.y + t1 * dy};
  a = start;
  return true;
}

std::int64_t centi(double v) {
  return std::llround(v * 100);
}
bool same_pixel(Pt a, Pt b) {
  return centi(a.x) == centi(b.x) && centi(a.y) == centi(b.y);
}

// A series in pixels, split into runs at every skipped point (NaN, infinite, <= 0 on a log
// axis), so that a gap in the data stays a gap in the line. Repeats of the previous point are
// dropped: they draw nothing, and a run of one point is drawn as a marker.
std::vector<std::vector<Pt>> project(const Series& s, const Axis& x, const Axis& y) {
  std::vector<std::vector<Pt>> runs(1);
  for (const auto& [px, py] : s.points) {
    if (!usable(px, x.log) || !usable(py, y.log)) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    const Pt p = {x.to_pixel(px), y.to_pixel(py)};
    if (runs.back().empty() || !same_pixel(runs.back().back(), p)) runs.back().push_back(p);
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

// Calls fn(a, b) for every straight segment of the run; a step run goes horizontally, then
// vertically.
template <typename Fn>
void for_each_segment(const std::vector<Pt>& run, bool step, Fn&& fn) {
  for (std::size_t i = 1; i < run.size(); ++i) {
    if (!step) {
      fn(run[i - 1], run[i]);
      continue;
    }
    const Pt corner = {run[i].x, run[i - 1].y};
    fn(run[i - 1], corner);
    fn(corner, run[i]);
  }
}

// Path data for the runs, clipped to the frame.
std::string path_data(const std::vector<std::vector<Pt>>& runs, const Frame& frame, bool step) {
  std::string d;
  Pt pen = {0, 0};  // where the last segment ended
  bool pen_down = false;
  auto segment = [&](Pt a, Pt b) {
    if (!clip_segment(frame, a, b) || same_pixel(a, b)) return;
    if (!pen_down || !same_pixel(a, pen)) {
      d += 'M';
      append_num(d, a.x);
      d += ' ';
      append_num(d, a.y);
    }
    d += 'L';
    append_num(d, b.x);
    d += ' ';
    append_num(d, b.y);
    pen = b;
    pen_down = true;
  };
  for (const auto& run : runs) for_each_segment(run, step, segment);
  return d;
}

void append_line(std::string& out, double x1, double y1, double x2, double y2) {
  out += "<line";
  append_attr(out, "x1", x1);
  append_attr(out, "y1", y1);
  append_attr(out, "x2", x2);
  append_attr(out, "y2", y2);
  out += "/>\n";
}

void append_text(std::string& out, double x, double y, std::string_view attrs,
                 std::string_view text) {
  out += "<text";
  append_attr(out, "x", x);
  append_attr(out, "y", y);
  out += attrs;
  out += '>';
  out += xml_escape(text);
  out += "</text>\n";
}

// Grid lines (light for minor ticks), axis lines, tick marks and tick labels.
void append_grid_and_axes(std::string& out, const Frame& f, const Axis& x, const Axis& y) {
  auto vertical = [&](double v, double y1, double y2) {
    append_line(out, x.to_pixel(v), y1, x.to_pixel(v), y2);
  };
  auto horizontal = [&](double v, double x1, double x2) {
    append_line(out, x1, y.to_pixel(v), x2, y.to_pixel(v));
  };
  out += "<g stroke=\"#f0f0f0\" stroke-width=\"1\">\n";
  for (const double v : x.minor) vertical(v, f.top, f.bottom);
  for (const double v : y.minor) horizontal(v, f.left, f.right);
  out += "</g>\n<g stroke=\"#dcdcdc\" stroke-width=\"1\">\n";
  for (const double v : x.ticks) vertical(v, f.top, f.bottom);
  for (const double v : y.ticks) horizontal(v, f.left, f.right);
  out += "</g>\n<g stroke=\"#333333\" stroke-width=\"1\">\n";
  append_line(out, f.left, f.bottom, f.right, f.bottom);
  append_line(out, f.left, f.top, f.left, f.bottom);
  for (const double v : x.ticks) vertical(v, f.bottom, f.bottom + kTickLength);
  for (const double v : y.ticks) horizontal(v, f.left - kTickLength, f.left);
  for (const double v : x.minor) vertical(v, f.bottom, f.bottom + kTickLength / 2);
  for (const double v : y.minor) horizontal(v, f.left - kTickLength / 2, f.left);
  out += "</g>\n<g font-size=\"11\" fill=\"#333333\" text-anchor=\"middle\">\n";
  for (std::size_t i = 0; i < x.ticks.size(); ++i) {
    append_text(out, x.to_pixel(x.ticks[i]), f.bottom + kTickLength + 12, "", x.labels[i]);
  }
  out += "</g>\n<g font-size=\"11\" fill=\"#333333\" text-anchor=\"end\">\n";
  for (std::size_t i = 0; i < y.ticks.size(); ++i) {
    append_text(out, f.left - kTickLength - 3, y.to_pixel(y.ticks[i]) + 4, "", y.labels[i]);
  }
  out += "</g>\n";
}

void append_axis_labels(std::string& out, const ChartSpec& spec, const Frame& f, double height) {
  if (!spec.title.empty()) {
    append_text(out, (f.left + f.right) / 2, 24,
                " font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\"", spec.title);
  }
  if (!spec.x_label.empty()) {
    append_text(out, (f.left + f.right) / 2, height - 10,
                " font-size=\"12\" text-anchor=\"middle\"", spec.x_label);
  }
  if (!spec.y_label.empty()) {
    const double cy = (f.top + f.bottom) / 2;
    std::string attrs = " font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 ";
    append_num(attrs, 16);
    attrs += ' ';
    append_num(attrs, cy);
    attrs += ")\"";
    append_text(out, 16, cy, attrs, spec.y_label);
  }
}

void append_markers(std::string& out, const std::vector<std::vector<Pt>>& runs, const Frame& f,
                    bool all) {
  for (const auto& run : runs) {
    if (!all && run.size() != 1) continue;
    for (const Pt& p : run) {
      if (!f.contains(p)) continue;
      out += "<circle";
      append_attr(out, "cx", p.x);
      append_attr(out, "cy", p.y);
      append_attr(out, "r", kMarkerRadius);
      out += "/>\n";
    }
  }
}

// How many segments and lone points of the series a legend box would hide.
std::size_t covered(const Frame& box, const std::vector<std::vector<std::vector<Pt>>>& projected,
                    bool step) {
  std::size_t n = 0;
  for (const auto& runs : projected) {
    for (const auto& run : runs) {
      if (run.size() == 1) n += box.contains(run[0]) ? 1 : 0;
      for_each_segment(run, step, [&](Pt a, Pt b) { n += clip_segment(box, a, b) ? 1 : 0; });
    }
  }
  return n;
}

// The legend box goes into the corner of the plot that hides the least of the lines.
void append_legend(std::string& out, bool step, const std::vector<Series>& series,
                   const std::vector<std::vector<std::vector<Pt>>>& projected, const Frame& f) {
  const std::size_t rows = std::min(series.size(), kLegendRowsMax);
  const bool overflow = series.size() > kLegendRowsMax;
  double name_width = overflow ? text_width("and 9999 more") : 0;
  for (std::size_t i = 0; i < rows; ++i) {
    name_width = std::max(name_width, text_width(shorten(series[i].name, kLegendNameBytesMax)));
  }
  const double w = 8 + kLegendSwatch + 6 + name_width + 8;
  const double h = 6 + kLegendRowHeight * static_cast<double>(rows + (overflow ? 1 : 0)) + 4;
  constexpr double kInset = 8;
  const double left = f.left + kInset, right = f.right - kInset - w;
  const double top = f.top + kInset, bottom = f.bottom - kInset - h;
  // Top right, top left, then the bottom corners when both top ones hide part of a line.
  const std::array<Frame, 4> corners = {
      Frame{right, top, right + w, top + h}, Frame{left, top, left + w, top + h},
      Frame{right, bottom, right + w, bottom + h}, Frame{left, bottom, left + w, bottom + h}};
  Frame box = corners[0];
  std::size_t box_covers = covered(box, projected, step);
  for (std::size_t i = 1; i < corners.size() && box_covers > 0; ++i) {
    const std::size_t covers = covered(corners[i], projected, step);
    if (covers < box_covers) {
      box = corners[i];
      box_covers = covers;
    }
  }
  out += "<g font-size=\"11\" fill=\"#333333\">\n<rect";
  append_attr(out, "x", box.left);
  append_attr(out, "y", box.top);
  append_attr(out, "width", w);
  append_attr(out, "height", h);
  out += " fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const double row_y = box.top + 6 + kLegendRowHeight * (static_cast<double>(i) + 0.5);
    out += "<g stroke=\"";
    out += kPalette[i % kPalette.size()];
    out += "\" stroke-width=\"2\">";
    append_line(out, box.left + 8, row_y, box.left + 8 + kLegendSwatch, row_y);
    out += "</g>\n";
    append_text(out, box.left + 14 + kLegendSwatch, row_y + 4, "",
                shorten(series[i].name, kLegendNameBytesMax));
  }
  if (overflow) {
    const double row_y = box.top + 6 + kLegendRowHeight * (static_cast<double>(rows) + 0.5);
    append_text(out, box.left + 8, row_y + 4, "",
                "and " + std::to_string(series.size() - rows) + " more");
  }
  out += "</g>\n";
}

// RFC 4180 section 2: fields with a comma, a quote or a line break are quoted, quotes doubled.
void append_csv_row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& cell = cells[i];
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      out += cell;
      continue;
    }
    out += '"';
    for (const char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += '\n';
}

Frame layout(const ChartSpec& spec, const Axis& x, const Axis& y, double width, double height) {
  double y_labels_width = 0;
  for (const auto& label : y.labels) y_labels_width = std::max(y_labels_width, text_width(label));
  const double last_x_label = x.labels.empty() ? 0 : text_width(x.labels.back());
  Frame f;
  f.left = (spec.y_label.empty() ? 8 : 30) + y_labels_width + kTickLength + 5;
  f.top = spec.title.empty() ? 16 : 42;
  f.right = width - std::max(16.0, last_x_label / 2 + 4);
  f.bottom = height - (spec.x_label.empty() ? 28 : 46);
  return f;
}

void append_series(std::string& out, const ChartSpec& spec, const std::vector<Series>& series,
                   const std::vector<std::vector<std::vector<Pt>>>& projected, const Frame& f) {
  out += "<g fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string d = path_data(projected[i], f, spec.step);
    if (d.empty()) continue;
    out += "<path stroke=\"";
    out += kPalette[i % kPalette.size()];
    out += "\" d=\"";
    out += d;
    out += "\"/>\n";
  }
  out += "</g>\n";
  // Markers on request, and always for points with no neighbour to draw a line to.
  for (std::size_t i = 0; i < series.size(); ++i) {
    std::string circles;
    append_markers(circles, projected[i], f, series[i].markers);
    if (circles.empty()) continue;
    out += "<g fill=\"";
    out += kPalette[i % kPalette.size()];
    out += "\">\n";
    out += circles;
    out += "</g>\n";
  }
}

}  // namespace

std::string render_svg_chart(const ChartSpec& spec, const std::vector<Series>& series) {
  const double width = std::clamp(spec.width, kSizeMin, kSizeMax);
  const double height = std::clamp(spec.height, kSizeMin, kSizeMax);
  auto drawable = [&](const std::pair<double, double>& p) {
    return usable(p.first, spec.log_x) && usable(p.second, spec.log_y);
  };
  Extent x_data;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      if (drawable(p)) x_data.add(p.first);
    }
  }
  Axis x = make_axis(x_data, spec.x_min, spec.x_max, spec.log_x, /*from_zero=*/false);
  // The y range fits the points inside the x range, so that a zoomed-in x axis zooms y too.
  Extent y_data;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      if (drawable(p) && p.first >= x.lo && p.first <= x.hi) y_data.add(p.second);
    }
  }
  Axis y = make_axis(y_data, spec.y_min, spec.y_max, spec.log_y, /*from_zero=*/true);
  const Frame f = layout(spec, x, y, width, height);
  x.pix_lo = f.left;
  x.pix_hi = f.right;
  y.pix_lo = f.bottom;
  y.pix_hi = f.top;

  const std::string size = "width=\"" + std::to_string(static_cast<int>(width)) + "\" height=\"" +
                           std::to_string(static_cast<int>(height)) + '"';
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" " + size +
                    " viewBox=\"0 0 " + std::to_string(static_cast<int>(width)) + ' ' +
                    std::to_string(static_cast<int>(height)) +
                    "\" font-family=\"sans-serif\">\n<rect " + size + " fill=\"#ffffff\"/>\n";
  append_grid_and_axes(out, f, x, y);
  append_axis_labels(out, spec, f, height);
  std::vector<std::vector<std::vector<Pt>>> projected;
  projected.reserve(series.size());
  for (const auto& s : series) projected.push_back(project(s, x, y));
  append_series(out, spec, series, projected, f);
  if (x_data.empty()) {
    append_text(out, (f.left + f.right) / 2, (f.top + f.bottom) / 2,
                " font-size=\"14\" fill=\"#888888\" text-anchor=\"middle\"", "no data");
  }
  if (series.size() > 1) append_legend(out, spec.step, series, projected, f);
  out += "</svg>\n";
  return out;
}

CsvTable::CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void CsvTable::add_row(std::vector<std::string> cells) {
  QPOW_ASSERT_MSG(cells.size() == columns_.size(), "a CSV row needs one cell per column");
  rows_.push_back(std::move(cells));
}

std::string CsvTable::render() const {
  std::string out;
  append_csv_row(out, columns_);
  for (const auto& row : rows_) append_csv_row(out, row);
  return out;
}

std::string csv_number(double value) {
  // Integers up to 1e15 print exactly; past that a double's integers are sparse and %.6g is
  // as honest as the value.
  constexpr double kExactIntegerMax = 1e15;
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";  // also -0
  if (value == std::trunc(value) && std::abs(value) < kExactIntegerMax) {
    return printf_text("%.*f", value, 0);
  }
  return printf_text("%.*g", value, 6);
}

}  // namespace qpow::sim
