// Running a scenario: builds the simulation(s), drives them, checks the scenario's invariants and
// collects its report: the summary (scenario, seed, nodes, simulated seconds, invariants, event
// log hash, metrics), CSV time series and SVG charts. Everything in the report derives from the
// seed, so the same scenario and seed give byte-identical files; wall-clock figures (events per
// second, wall time per simulated hour, peak memory) go to a separate performance record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/chart.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "util/result.h"

namespace qpow::sim {

struct RunOptions {
  std::uint64_t seed = 1;
  std::optional<std::size_t> nodes;  // overrides the scenario's size (scaling: the largest size)
  ProgressFn progress;
};

struct RunResult {
  std::string scenario;
  ScenarioKind kind = ScenarioKind::kPropagation;
  std::uint64_t seed = 0;
  std::size_t nodes = 0;
  double simulated_seconds = 0;
  std::map<std::string, bool> invariants;
  std::string event_log_hash;
  nlohmann::json metrics = nlohmann::json::object();
  std::vector<std::pair<std::string, CsvTable>> tables;
  std::vector<std::pair<std::string, std::string>> charts;  // file name, SVG
  // Not reproducible across machines: wall time and resources.
  nlohmann::json performance = nlohmann::json::object();

  bool passed() const;
};

util::Result<RunResult> run_scenario(Scenario scenario, const RunOptions& options);

// summary.json's text (sorted keys, two-space indent, trailing newline).
std::string summary_json(const RunResult& result);
// Writes summary.json, performance.json, the CSV tables and the SVG charts into `dir` (created
// if missing). Errors name the file that could not be written.
util::Status write_outputs(const RunResult& result, const std::string& dir);

}  // namespace qpow::sim
