// SVG charts and CSV tables: structure of the SVG (balanced tags, escaped text, one path per
// drawn series, legend, ticks), edge cases of the data, determinism, and RFC 4180 quoting.
#include "sim/chart.h"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sim/rng.h"

namespace qpow::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Checks that every element opens and closes in order (`<a>...</a>` or `<a/>`), with no text
// outside the root and no stray '<' or '&'. Returns the first problem, or "" when none.
std::string check_tags(const std::string& svg) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < svg.size()) {
    if (svg[i] == '&') {
      const auto end = svg.find(';', i);
      const std::string entity = svg.substr(i, end == std::string::npos ? 1 : end - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" &&
          entity != "&apos;") {
        return "bad entity at " + std::to_string(i);
      }
      i += entity.size();
      continue;
    }
    if (svg[i] != '<') {
      if (open.empty() && svg[i] != '\n') return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    const auto end = svg.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    const std::string tag = svg.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) return "'<' inside a tag at " + std::to_string(i);
    const std::string name = tag.substr(0, tag.find_first_of(" />\n"));
    if (tag.starts_with('/')) {
      if (open.empty() || open.back() != tag.substr(1)) return "unbalanced </" + tag.substr(1);
      open.pop_back();
      if (open.empty() && svg.substr(end + 1) != "\n") return "content after the root";
    } else if (!tag.ends_with('/')) {
      if (open.empty() && i != 0) return "second root element";
      open.push_back(name);
    }
    i = end + 1;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// The number of path commands among `commands` ("ML": vertices, "M": subpaths) in all path data.
std::size_t path_commands(const std::string& svg, const std::string& commands) {
  std::size_t n = 0;
  for (auto at = svg.find(" d=\""); at != std::string::npos; at = svg.find(" d=\"", at + 1)) {
    for (auto c = at + 4; svg[c] != '"'; ++c) n += commands.find(svg[c]) != std::string::npos;
  }
  return n;
}
std::size_t vertices(const std::string& svg) {
  return path_commands(svg, "ML");
}
std::size_t subpaths(const std::string& svg) {
  return path_commands(svg, "M");
}

Series line(std::string name, std::vector<std::pair<double, double>> points) {
  return Series{.name = std::move(name), .points = std::move(points)};
}

TEST(Chart, IsABalancedSvgDocument) {
  const ChartSpec spec = {.title = "Orphan rate",
                          .x_label = "block interval (s)",
                          .y_label = "orphans per 1000 blocks",
                          .width = 640,
                          .height = 400};
  const std::string svg =
      render_svg_chart(spec, {line("a", {{1, 2}, {2, 3}, {3, 5}}), line("b", {{1, 1}, {3, 2}})});
  ASSERT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(check_tags(svg), "");
  EXPECT_NE(svg.find("viewBox=\"0 0 640 400\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"640\" height=\"400\""), std::string::npos);
  EXPECT_NE(svg.find(">Orphan rate</text>"), std::string::npos);
  EXPECT_NE(svg.find(">block interval (s)</text>"), std::string::npos);
  EXPECT_NE(svg.find("rotate(-90"), std::string::npos);
  EXPECT_EQ(count(svg, "<path "), 2u);
}

TEST(Chart, TagCheckerCatchesBrokenDocuments) {
  EXPECT_EQ(check_tags("<svg><g></g></svg>\n"), "");
  EXPECT_NE(check_tags("<svg><g></svg>\n"), "");
  EXPECT_NE(check_tags("<svg><text>a < b</text></svg>\n"), "");
  EXPECT_NE(check_tags("<svg><text>a & b</text></svg>\n"), "");
  EXPECT_NE(check_tags("<svg></svg>\n<svg></svg>\n"), "");
}

TEST(Chart, EscapesText) {
  const ChartSpec spec = {.title = "<b> & \"q\" 'x'", .x_label = "a<b", .y_label = "c>d"};
  const std::string svg =
      render_svg_chart(spec, {line("s&1", {{0, 1}, {1, 2}}), line("s<2>", {{0, 2}, {1, 1}})});
  EXPECT_EQ(check_tags(svg), "");
  EXPECT_NE(svg.find(">&lt;b&gt; &amp; &quot;q&quot; &apos;x&apos;</text>"), std::string::npos);
  EXPECT_NE(svg.find(">a&lt;b</text>"), std::string::npos);
  EXPECT_NE(svg.find(">c&gt;d</text>"), std::string::npos);
  EXPECT_NE(svg.find(">s&amp;1</text>"), std::string::npos);
  EXPECT_NE(svg.find(">s&lt;2&gt;</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
}

TEST(Chart, ControlCharactersBecomeSpaces) {
  const std::string svg = render_svg_chart({.title = std::string("a\x01") + "b"}, {});
  EXPECT_NE(svg.find(">a b</text>"), std::string::npos);
}

TEST(Chart, LegendOnlyWithSeveralSeries) {
  const std::string one = render_svg_chart({.title = "t"}, {line("only", {{0, 1}, {1, 2}})});
  EXPECT_EQ(one.find(">only</text>"), std::string::npos);
  EXPECT_EQ(count(one, "<rect"), 1u);  // the background, no legend box

  const std::string three = render_svg_chart(
      {.title = "t"},
      {line("first", {{0, 1}, {1, 2}}), line("second", {{0, 2}, {1, 3}}), line("empty", {})});
  EXPECT_NE(three.find(">first</text>"), std::string::npos);
  EXPECT_NE(three.find(">second</text>"), std::string::npos);
  EXPECT_NE(three.find(">empty</text>"), std::string::npos);  // listed, though not drawn
  EXPECT_EQ(count(three, "<path "), 2u);
  EXPECT_EQ(count(three, "<rect"), 2u);
  // Distinct colours from the palette.
  EXPECT_NE(three.find("stroke=\"#0072B2\" d="), std::string::npos);
  EXPECT_NE(three.find("stroke=\"#D55E00\" d="), std::string::npos);
}

TEST(Chart, LegendIsBounded) {
  std::vector<Series> many;
  for (int i = 0; i < 20; ++i) {
    std::string name = "s";
    name += std::to_string(i);
    many.push_back(line(name, {{0, i}, {1, i}}));
  }
  const std::string svg = render_svg_chart({}, many);
  EXPECT_NE(svg.find(">s11</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">s12</text>"), std::string::npos);
  EXPECT_NE(svg.find(">and 8 more</text>"), std::string::npos);
  EXPECT_EQ(count(svg, "<path "), 20u);
  EXPECT_EQ(count(svg, "stroke=\"#0072B2\" d="), 3u);  // the palette cycles every 8 series
}

TEST(Chart, NoDataStillDrawsAxes) {
  for (const auto& series : std::vector<std::vector<Series>>{
           {}, {line("a", {})}, {line("a", {{kNaN, 1}, {2, kInf}, {-kInf, 0}})}}) {
    const std::string svg = render_svg_chart({.title = "empty"}, series);
    EXPECT_EQ(check_tags(svg), "");
    EXPECT_NE(svg.find(">no data</text>"), std::string::npos);
    EXPECT_EQ(count(svg, "<path "), 0u);
    EXPECT_GE(count(svg, "<line"), 2u + 2 * 5);  // two axes, grid lines and tick marks
  }
  const std::string some = render_svg_chart({}, {line("a", {{0, 1}, {1, 2}})});
  EXPECT_EQ(some.find("no data"), std::string::npos);
}

TEST(Chart, LinearTicksAreNice) {
  const std::string svg = render_svg_chart({}, {line("a", {{0, 0}, {97, 13}})});
  // x: 0..100 in steps of 20; y: 0..14 in steps of 2.
  for (const char* label : {">0</text>", ">20</text>", ">100</text>", ">2</text>", ">14</text>"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(svg.find(">97</text>"), std::string::npos);
  const std::string fine = render_svg_chart({}, {line("a", {{0, 0.1}, {1, 0.13}})});
  EXPECT_NE(fine.find(">0.02</text>"), std::string::npos);
  EXPECT_NE(fine.find(">0.14</text>"), std::string::npos);
  EXPECT_EQ(fine.find(">0.00</text>"), std::string::npos);  // zero is "0"
  const std::string big = render_svg_chart({}, {line("a", {{0, 0}, {50000, 2e6}})});
  EXPECT_NE(big.find(">10k</text>"), std::string::npos);
  EXPECT_NE(big.find(">2.0M</text>"), std::string::npos);
  const std::string thousands = render_svg_chart({}, {line("a", {{0, 0}, {1, 1500}})});
  EXPECT_NE(thousands.find(">1500</text>"), std::string::npos);  // "k" only from 10,000
}

TEST(Chart, LogAxisTicksArePowersOfTen) {
  const ChartSpec spec = {.log_x = true, .log_y = true};
  const std::string svg =
      render_svg_chart(spec, {line("a", {{0.01, 3}, {1, 50}, {300, 2e4}, {-5, 7}, {5, 0}})});
  EXPECT_EQ(check_tags(svg), "");
  for (const char* label : {">0.01</text>", ">0.1</text>", ">1</text>", ">10</text>", ">100</text>",
                            ">1k</text>", ">10k</text>", ">100k</text>"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(svg.find(">2</text>"), std::string::npos);  // four decades: powers of ten only
  // The points with x <= 0 or y <= 0 are skipped: the three others form one line.
  EXPECT_EQ(vertices(svg), 3u);
}

TEST(Chart, NarrowLogAxisLabelsTwosAndFives) {
  const std::string svg = render_svg_chart({.log_y = true}, {line("a", {{0, 1}, {1, 80}})});
  for (const char* label : {">1</text>", ">2</text>", ">5</text>", ">10</text>", ">50</text>"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  const std::string narrow =
      render_svg_chart({.log_y = true, .y_min = 3, .y_max = 8}, {line("a", {{0, 4}, {1, 6}})});
  EXPECT_NE(narrow.find(">5</text>"), std::string::npos);
  EXPECT_NE(narrow.find(">8</text>"), std::string::npos);
}

TEST(Chart, IdenticalAndSinglePointsGetARange) {
  const std::string same = render_svg_chart({}, {line("a", {{5, 5}, {5, 5}, {5, 5}})});
  EXPECT_EQ(check_tags(same), "");
  EXPECT_EQ(same.find("nan"), std::string::npos);
  EXPECT_EQ(count(same, "<path "), 0u);   // nothing to draw a line between...
  EXPECT_EQ(count(same, "<circle"), 1u);  // ...so the point is a marker
  const std::string single = render_svg_chart({}, {line("a", {{3, -2}})});
  EXPECT_EQ(count(single, "<circle"), 1u);  // an isolated point is drawn as a marker
  EXPECT_EQ(count(single, "<path "), 0u);
  EXPECT_EQ(single.find("nan"), std::string::npos);
  const std::string zero = render_svg_chart({.log_y = true}, {line("a", {{0, 1e-3}})});
  EXPECT_NE(zero.find(">0.01</text>"), std::string::npos);
  EXPECT_NE(zero.find(">0.0001</text>"), std::string::npos);
}

TEST(Chart, NonFinitePointsBreakTheLine) {
  const std::string svg =
      render_svg_chart({}, {line("a", {{0, 1}, {1, 2}, {2, kNaN}, {3, 2}, {4, kInf}, {5, 1}})});
  EXPECT_EQ(check_tags(svg), "");
  EXPECT_EQ(subpaths(svg), 1u);          // (0, 1)-(1, 2)...
  EXPECT_EQ(count(svg, "<circle"), 2u);  // ...and the isolated points (3, 2) and (5, 1)
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(Chart, ExplicitRangeClipsTheLine) {
  const ChartSpec spec = {.x_min = 0, .x_max = 10, .y_min = 0, .y_max = 10};
  const std::string svg = render_svg_chart(
      spec,
      {Series{
          .name = "a", .points = {{-10, 5}, {5, 5}, {5, 50}, {8, 5}, {20, 5}}, .markers = true}});
  EXPECT_EQ(check_tags(svg), "");
  EXPECT_NE(svg.find(">10</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">20</text>"), std::string::npos);
  // Only (5, 5) and (8, 5) lie inside; segments into and out of the range are cut at its edges:
  // (0, 5)-(5, 5)-(5, 10), then (7.67, 10)-(8, 5)-(10, 5).
  EXPECT_EQ(count(svg, "<circle"), 2u);
  EXPECT_EQ(subpaths(svg), 2u);
  EXPECT_EQ(vertices(svg), 6u);
}

TEST(Chart, ReversedExplicitRangeIsSwapped) {
  const std::string a = render_svg_chart({.x_min = 10, .x_max = 0}, {line("a", {{1, 1}, {2, 2}})});
  const std::string b = render_svg_chart({.x_min = 0, .x_max = 10}, {line("a", {{1, 1}, {2, 2}})});
  EXPECT_EQ(a, b);
}

TEST(Chart, ExtremeValuesKeepTheDocumentValid) {
  const double tiny = std::numeric_limits<double>::denorm_min();
  const std::vector<std::pair<ChartSpec, std::vector<std::pair<double, double>>>> cases = {
      {{}, {{-1e300, -3e299}, {1e300, 1e300}}},
      {{}, {{0, 2e300}, {1, 1}}},  // past kValueAbsMax: skipped like infinity
      {{}, {{tiny, tiny}, {tiny, tiny}}},
      {{.log_x = true, .log_y = true}, {{1e-300, tiny}, {1e300, 1e300}}},
      {{.x_min = 1, .x_max = 1 + 1e-15}, {{1, 1}, {2, 2}}},  // too narrow: ignored
      {{.log_y = true, .y_min = -1, .y_max = 10}, {{1, 1}, {2, 2}}},
      {{.x_min = kNaN, .x_max = kInf}, {{1, 1}, {2, 2}}},
  };
  for (const auto& [spec, points] : cases) {
    const std::string svg = render_svg_chart(spec, {line("a", points)});
    EXPECT_EQ(check_tags(svg), "");
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    EXPECT_LE(count(svg, "<text"), 2u * 24);  // tick labels stay bounded
  }
}

// Random specs and points, special values included: the document stays well-formed.
TEST(Chart, RandomInputKeepsTheDocumentValid) {
  constexpr std::array<double, 9> kSpecial = {0, -0.0, 1, -1, 1e-300, 1e300, kNaN, kInf, -kInf};
  Rng rng(20240611);
  auto value = [&] {
    if (rng.chance(0.2)) return kSpecial[rng.below(kSpecial.size())];
    return rng.normal(0, 1) * std::pow(10.0, static_cast<double>(rng.below(13)) - 6);
  };
  for (int round = 0; round < 300; ++round) {
    ChartSpec spec = {.log_x = rng.chance(0.3), .log_y = rng.chance(0.3), .step = rng.chance(0.3)};
    if (rng.chance(0.3)) std::tie(spec.x_min, spec.x_max) = std::pair(value(), value());
    if (rng.chance(0.3)) std::tie(spec.y_min, spec.y_max) = std::pair(value(), value());
    std::vector<Series> series(rng.below(4));
    for (auto& s : series) {
      s.markers = rng.chance(0.5);
      for (auto n = rng.below(30); n > 0; --n) s.points.emplace_back(value(), value());
    }
    const std::string svg = render_svg_chart(spec, series);
    ASSERT_EQ(check_tags(svg), "") << "round " << round;
    ASSERT_EQ(svg.find("nan"), std::string::npos) << "round " << round;
    ASSERT_EQ(svg.find("inf"), std::string::npos) << "round " << round;
  }
}

TEST(Chart, IsDeterministic) {
  const std::vector<Series> series = {line("a", {{0.1, 0.3}, {1.7, 2.9}}),
                                      line("b", {{0.5, 1.0 / 3}, {2, 1e-9}})};
  const ChartSpec spec = {.title = "t", .step = true};
  EXPECT_EQ(render_svg_chart(spec, series), render_svg_chart(spec, series));
}

TEST(Chart, StepModeHasMoreVertices) {
  const std::vector<Series> series = {line("cdf", {{1, 0.1}, {2, 0.4}, {3, 0.8}, {4, 1}})};
  const std::string lines = render_svg_chart({}, series);
  const std::string steps = render_svg_chart({.step = true}, series);
  EXPECT_EQ(vertices(lines), 4u);
  EXPECT_EQ(vertices(steps), 7u);  // a corner between each pair
}

TEST(Chart, ClampsTheCanvasSize) {
  const std::string svg = render_svg_chart({.width = 10, .height = -5}, {});
  EXPECT_NE(svg.find("viewBox=\"0 0 200 200\""), std::string::npos);
}

TEST(Chart, RendersTenThousandPointsQuickly) {
  std::vector<std::pair<double, double>> points;
  for (int i = 0; i < 10000; ++i) points.emplace_back(i, std::sin(i / 300.0) * 100 + i / 50.0);
  const std::vector<Series> series = {line("sine", std::move(points))};
  const auto start = std::chrono::steady_clock::now();
  const std::string svg = render_svg_chart({.title = "big"}, series);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(check_tags(svg), "");
  EXPECT_EQ(count(svg, "<path "), 1u);
  EXPECT_GT(vertices(svg), 1000u);
  EXPECT_LE(vertices(svg), 10000u);
  // Generous for sanitizers and a busy machine; it takes about a millisecond in a release build.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 500);
}

// With QPOW_CHART_EXAMPLE=<file> set, writes a chart with every feature to look at.
TEST(Chart, WritesAnExampleWhenAsked) {
  const char* path = std::getenv("QPOW_CHART_EXAMPLE");
  if (path == nullptr) GTEST_SKIP() << "QPOW_CHART_EXAMPLE not set";
  std::vector<Series> series;
  for (int k = 0; k < 3; ++k) {
    Series s{.name = "delay " + std::to_string(1 << (2 * k)) + " s & more", .markers = k == 2};
    for (int i = 1; i <= 40; ++i) {
      s.points.emplace_back(i * 25, (1 << (2 * k)) * 3.0 * std::sqrt(i) + k * i * 0.1);
    }
    series.push_back(std::move(s));
  }
  const ChartSpec spec = {.title = "Stale blocks vs. propagation <delay>",
                          .x_label = "blocks mined",
                          .y_label = "stale blocks",
                          .log_y = true};
  std::ofstream(path) << render_svg_chart(spec, series);
}

TEST(Csv, QuotesWhereRfc4180Needs) {
  CsvTable table({"name", "value"});
  table.add_row({"plain", "1"});
  table.add_row({"a,b", "say \"hi\""});
  table.add_row({"two\nlines", "cr\r"});
  table.add_row({"", " spaced "});
  EXPECT_EQ(table.rows(), 4u);
  EXPECT_EQ(table.render(),
            "name,value\n"
            "plain,1\n"
            "\"a,b\",\"say \"\"hi\"\"\"\n"
            "\"two\nlines\",\"cr\r\"\n"
            ", spaced \n");
}

TEST(Csv, HeaderOnly) {
  EXPECT_EQ(CsvTable({"x"}).render(), "x\n");
  EXPECT_EQ(CsvTable({"x"}).rows(), 0u);
}

TEST(CsvDeathTest, WrongCellCountAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  CsvTable table({"a", "b"});
  EXPECT_DEATH(table.add_row({"1"}), "assertion failed.*one cell per column");
  EXPECT_DEATH(table.add_row({"1", "2", "3"}), "assertion failed");
}

TEST(Csv, Numbers) {
  EXPECT_EQ(csv_number(0), "0");
  EXPECT_EQ(csv_number(-0.0), "0");
  EXPECT_EQ(csv_number(-1), "-1");
  EXPECT_EQ(csv_number(1500), "1500");
  EXPECT_EQ(csv_number(0.125), "0.125");
  EXPECT_EQ(csv_number(1e20), "1e+20");
  EXPECT_EQ(csv_number(3.5e-7), "3.5e-07");
  EXPECT_EQ(csv_number(-3.5e-7), "-3.5e-07");
  EXPECT_EQ(csv_number(999999999999999), "999999999999999");
  EXPECT_EQ(csv_number(1e15), "1e+15");
  EXPECT_EQ(csv_number(1.0 / 3), "0.333333");
  EXPECT_EQ(csv_number(kNaN), "nan");
  EXPECT_EQ(csv_number(kInf), "inf");
  EXPECT_EQ(csv_number(-kInf), "-inf");
}

}  // namespace
}  // namespace qpow::sim
