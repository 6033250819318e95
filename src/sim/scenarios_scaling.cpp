// The scaling scenario: the same network at growing sizes, with the cost per block measured at
// each and checked against N log N growth.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "crypto/sha3.h"
#include "sim/scenarios_internal.h"
#include "sim/stats.h"
#include "util/hex.h"

namespace qpow::sim {

util::Status run_scaling(const Scenario& scenario, RunResult& result, const RunOptions& options) {
  std::vector<std::size_t> sizes = scenario.scaling_sizes;
  if (options.nodes) {
    // --nodes N: the sizes up to N, and N itself.
    std::erase_if(sizes, [&](std::size_t n) { return n >= *options.nodes; });
    sizes.push_back(*options.nodes);
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  double total_weight = 0;
  for (std::size_t n : sizes) total_weight += static_cast<double>(n);

  CsvTable table({"nodes", "blocks_found", "orphan_rate", "messages_per_block",
                  "bytes_per_node_per_hour", "p50_ms", "p90_ms", "p99_ms"});
  std::vector<double> xs, messages, p50, p90, p99, bandwidth;
  crypto::Sha3_256 combined;
  nlohmann::json runs = nlohmann::json::array();
  nlohmann::json perf = nlohmann::json::array();
  double done = 0;
  bool all_converged = true;
  std::uint64_t events_total = 0;
  for (std::size_t n : sizes) {
    Scenario s = scenario;
    s.nodes = n;
    QPOW_ASSIGN_OR_RETURN(std::unique_ptr<Simulation> sim, Simulation::create(s, options.seed));
    const double span = static_cast<double>(n) / total_weight;
    const std::string stage = fmt::format("{} nodes", n);
    WallTimer timer;
    ProgressFn progress;
    if (options.progress) {
      progress = [&, base = done / total_weight](const Progress& p) {
        Progress scaled = p;
        scaled.fraction = base + span * std::min(1.0, p.fraction);
        scaled.stage = stage;
        options.progress(scaled);
      };
    }
    sim->run_until(s.duration_s, progress, 0, 1, stage);
    const double wall = timer.seconds();
    Analysis a = sim->settle_and_analyse();
    done += static_cast<double>(n);
    all_converged = all_converged && a.converged;
    const std::uint64_t events = sim->net().scheduler().executed();
    events_total += events;
    const double hours = s.duration_s / 3600.0;
    xs.push_back(static_cast<double>(n));
    messages.push_back(a.messages_per_block);
    bandwidth.push_back(a.bytes_per_node_per_hour);
    p50.push_back(percentile(a.propagation_ms, 50));
    p90.push_back(percentile(a.propagation_ms, 90));
    p99.push_back(percentile(a.propagation_ms, 99));
    table.add_row(
        {csv_number(static_cast<double>(n)), csv_number(static_cast<double>(a.blocks_found)),
         csv_number(a.blocks_found
                        ? static_cast<double>(a.orphaned) / static_cast<double>(a.blocks_found)
                        : 0),
         csv_number(a.messages_per_block), csv_number(a.bytes_per_node_per_hour),
         csv_number(p50.back()), csv_number(p90.back()), csv_number(p99.back())});
    nlohmann::json run = analysis_json(a, *sim);
    run["nodes"] = n;
    runs.push_back(run);
    perf.push_back({{"nodes", n},
                    {"wall_seconds", wall},
                    {"wall_seconds_per_simulated_hour", wall / hours},
                    {"events", events},
                    {"events_per_second", static_cast<double>(events) / std::max(wall, 1e-9)}});
    combined.absorb(sim->net().event_log_hash());
    result.simulated_seconds += sim->simulated_s();
    if (n == sizes.back()) sim->add_standard_outputs(a, result.tables, result.charts);
  }
  result.nodes = sizes.back();
  result.event_log_hash = util::to_hex(combined.finalize());
  result.metrics["runs"] = runs;
  result.performance["runs"] = perf;
  result.performance["events"] = events_total;

  // Messages per block against N log N: between consecutive sizes the growth may not exceed
  // N log N's growth by more than a quarter (room for the random topology's variation).
  bool within = true;
  for (std::size_t k = 1; k < xs.size(); ++k) {
    const double nlogn = (xs[k] * std::log(xs[k])) / (xs[k - 1] * std::log(xs[k - 1]));
    within = within && messages[k] <= 1.25 * nlogn * messages[k - 1];
  }
  std::vector<double> nlogn_values;
  for (double x : xs) nlogn_values.push_back(x * std::log(x));
  const double slope = log_log_slope(xs, messages);
  const double reference_slope = log_log_slope(xs, nlogn_values);
  result.metrics["messages_per_block_log_log_slope"] = slope;
  result.metrics["n_log_n_log_log_slope"] = reference_slope;
  result.invariants["messages_grow_no_worse_than_n_log_n"] =
      within && (xs.size() < 2 || slope <= reference_slope + 0.1);
  result.invariants["converged_at_every_size"] = all_converged;
  result.tables.emplace_back("scaling.csv", std::move(table));

  Series measured{.name = "messages per block", .points = {}, .markers = true};
  Series reference{.name = "N log N (scaled to the smallest size)", .points = {}};
  for (std::size_t k = 0; k < xs.size(); ++k) {
    measured.points.emplace_back(xs[k], messages[k]);
    reference.points.emplace_back(xs[k], messages[0] * nlogn_values[k] / nlogn_values[0]);
  }
  result.charts.emplace_back("scaling_messages.svg",
                             render_svg_chart({.title = "Messages per block against network size",
                                               .x_label = "nodes",
                                               .y_label = "messages per block",
                                               .log_x = true,
                                               .log_y = true},
                                              {measured, reference}));
  auto series_of = [&](const char* name, const std::vector<double>& ys) {
    Series s{.name = name, .points = {}, .markers = true};
    for (std::size_t k = 0; k < xs.size(); ++k) s.points.emplace_back(xs[k], ys[k]);
    return s;
  };
  result.charts.emplace_back(
      "scaling_propagation.svg",
      render_svg_chart({.title = "Block propagation latency against network size",
                        .x_label = "nodes",
                        .y_label = "milliseconds",
                        .log_x = true},
                       {series_of("p50", p50), series_of("p90", p90), series_of("p99", p99)}));
  result.charts.emplace_back("scaling_bandwidth.svg",
                             render_svg_chart({.title = "Bytes sent per node per simulated hour",
                                               .x_label = "nodes",
                                               .y_label = "bytes",
                                               .log_x = true},
                                              {series_of("bytes per node per hour", bandwidth)}));
  return util::Status::ok();
}

}  // namespace qpow::sim
