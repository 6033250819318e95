// SVG charts and CSV tables for simulation reports: self-contained files a browser or a
// Markdown viewer shows as they are (no scripts, no external fonts or styles).
//
// A chart is a title, axis labels and one or more named series of (x, y) points drawn as lines
// (or steps) on linear or logarithmic axes with "nice" tick values (1, 2, 5 x 10^k), a legend when
// there is more than one series, and a fixed palette. Output is deterministic: the same input
// gives byte-identical SVG (numbers printed with a fixed format, no locale).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace qpow::sim {

struct Series {
  std::string name{};
  std::vector<std::pair<double, double>> points{};  // drawn in the given order
  bool markers = false;                             // also draw a small circle at every point
};

struct ChartSpec {
  // `{}` initializers let callers use designated initializers under -Wextra.
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  bool log_x = false;  // points with x <= 0 are skipped on a log axis
  bool log_y = false;
  bool step = false;  // draw each series as a step function (CDFs, cumulative counts)
  // Axis ranges; when min == max the range comes from the data (with y starting at 0 for
  // linear axes when all values are >= 0). Lines are clipped at the edges of an explicit range
  // and markers outside it are left out.
  double x_min = 0, x_max = 0;
  double y_min = 0, y_max = 0;
  int width = 720;
  int height = 420;
};

// The SVG document. Text (title, labels, series names) is XML-escaped. Series with no points are
// listed in the legend only; a chart with no points at all still renders its axes and the
// message "no data". A skipped point (NaN, infinite, <= 0 on a log axis) breaks the line, and a
// point left with no neighbour is drawn as a marker.
std::string render_svg_chart(const ChartSpec& spec, const std::vector<Series>& series);

// A CSV table (RFC 4180): a header row, then rows of cells. Numbers are formatted by the caller
// or with csv_number; cells containing a comma, quote or line break are quoted. Lines end with
// LF, not RFC 4180's CRLF: every CSV reader accepts it and the files diff cleanly.
class CsvTable {
 public:
  explicit CsvTable(std::vector<std::string> columns);
  // Adds a row; it must have as many cells as there are columns (checked with QPOW_ASSERT).
  void add_row(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }
  std::string render() const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// A number as CSV/JSON-friendly text: integers without a decimal point, others with up to 6
// significant decimals, no locale ("0.125", "1500", "-3.5e-07"); NaN and infinities as "nan",
// "inf", "-inf".
std::string csv_number(double value);

}  // namespace qpow::sim
