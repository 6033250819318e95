// Internal to the sim library: the per-scenario runners that run_scenario dispatches to, and the
// pieces they share.
#pragma once

#include <chrono>
#include <string>

#include "sim/runner.h"
#include "sim/simulation.h"

namespace qpow::sim {

// Wall-clock timing for the performance record (never for the reproducible summary).
class WallTimer {
 public:
  WallTimer() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Runs the scenario's duration and the settle period, then records the common metrics,
// invariants ("converged"), tables and charts into `result`.
Analysis run_common(Simulation& sim, RunResult& result, const RunOptions& options);
// The common metrics of an analysis as JSON.
nlohmann::json analysis_json(const Analysis& a, const Simulation& sim);
// A probe node that misbehaves on purpose, and whether honest nodes cut it off.
bool disconnected_from_honest(Simulation& sim, std::size_t node);

util::Status run_hashing(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_signatures(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_propagation(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_heterogeneous(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_partition(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_byzantine(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_sharding(Simulation& sim, RunResult& result, const RunOptions& options);
util::Status run_quantum(const Scenario& scenario, RunResult& result, const RunOptions& options);
util::Status run_scaling(const Scenario& scenario, RunResult& result, const RunOptions& options);

}  // namespace qpow::sim
