#include "sim/runner.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <sys/resource.h>

#include "sim/scenarios_internal.h"
#include "sim/stats.h"

namespace qpow::sim {

bool RunResult::passed() const {
  for (const auto& [name, ok] : invariants) {
    if (!ok) return false;
  }
  return !invariants.empty();
}

nlohmann::json analysis_json(const Analysis& a, const Simulation& sim) {
  nlohmann::json j;
  j["converged"] = a.converged;
  j["height"] = a.height;
  j["blocks_found"] = a.blocks_found;
  j["main_chain_blocks"] = a.main_chain_blocks;
  j["orphaned_blocks"] = a.orphaned;
  j["orphan_rate"] = a.blocks_found == 0
                         ? 0.0
                         : static_cast<double>(a.orphaned) / static_cast<double>(a.blocks_found);
  j["txs_submitted"] = sim.txs_submitted();
  j["txs_confirmed"] = a.txs_confirmed;
  j["reorgs"] = a.reorgs;
  j["max_reorg_depth"] = a.max_reorg_depth;
  j["propagation_ms"] = {{"p50", percentile(a.propagation_ms, 50)},
                         {"p90", percentile(a.propagation_ms, 90)},
                         {"p99", percentile(a.propagation_ms, 99)},
                         {"samples", a.propagation_ms.size()}};
  j["messages_per_block"] = a.messages_per_block;
  j["bytes_per_node_per_hour"] = a.bytes_per_node_per_hour;
  j["messages_total"] = sim.net().recorder().messages_total();
  j["bytes_total"] = sim.net().recorder().bytes_total();
  return j;
}

bool disconnected_from_honest(Simulation& sim, std::size_t node) {
  for (const auto& [peer, other] : sim.net().connections_of(node)) {
    if (sim.honest(other)) return false;
  }
  return true;
}

Analysis run_common(Simulation& sim, RunResult& result, const RunOptions& options) {
  sim.run_until(sim.scenario().duration_s, options.progress, 0, 1, "running");
  Analysis a = sim.settle_and_analyse(options.progress);
  result.metrics["network"] = analysis_json(a, sim);
  result.invariants["converged"] = a.converged;
  result.invariants["restarts_succeeded"] = sim.restart_failures().empty();
  sim.add_standard_outputs(a, result.tables, result.charts);
  return a;
}

namespace {

long peak_rss_kib() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return usage.ru_maxrss;  // kilobytes on Linux
}

}  // namespace

util::Result<RunResult> run_scenario(Scenario scenario, const RunOptions& options) {
  if (options.nodes && scenario.kind != ScenarioKind::kScaling) scenario.nodes = *options.nodes;
  QPOW_RETURN_IF_ERROR(validate_scenario(scenario));
  RunResult result;
  result.scenario = scenario.name;
  result.kind = scenario.kind;
  result.seed = options.seed;
  result.nodes = scenario.nodes;
  WallTimer timer;
  if (scenario.kind == ScenarioKind::kScaling) {
    QPOW_RETURN_IF_ERROR(run_scaling(scenario, result, options));
  } else if (scenario.kind == ScenarioKind::kQuantumAttack) {
    QPOW_RETURN_IF_ERROR(run_quantum(scenario, result, options));
  } else {
    const bool probe =
        scenario.kind == ScenarioKind::kHashing || scenario.kind == ScenarioKind::kSignatures;
    QPOW_ASSIGN_OR_RETURN(
        std::unique_ptr<Simulation> sim,
        Simulation::create(
            scenario, options.seed,
            probe ? std::optional<Simulation::Extra>(Simulation::Extra{}) : std::nullopt));
    switch (scenario.kind) {
      case ScenarioKind::kHashing:
        QPOW_RETURN_IF_ERROR(run_hashing(*sim, result, options));
        break;
      case ScenarioKind::kSignatures:
        QPOW_RETURN_IF_ERROR(run_signatures(*sim, result, options));
        break;
      case ScenarioKind::kPropagation:
        QPOW_RETURN_IF_ERROR(run_propagation(*sim, result, options));
        break;
      case ScenarioKind::kHeterogeneousPower:
        QPOW_RETURN_IF_ERROR(run_heterogeneous(*sim, result, options));
        break;
      case ScenarioKind::kPartitionRecovery:
        QPOW_RETURN_IF_ERROR(run_partition(*sim, result, options));
        break;
      case ScenarioKind::kByzantine:
        QPOW_RETURN_IF_ERROR(run_byzantine(*sim, result, options));
        break;
      case ScenarioKind::kSharding:
        QPOW_RETURN_IF_ERROR(run_sharding(*sim, result, options));
        break;
      default:
        break;
    }
    result.nodes = sim->size();
    result.simulated_seconds = sim->simulated_s();
    result.event_log_hash = sim->event_log_hex();
    result.performance["events"] = sim->net().scheduler().executed();
  }
  const double wall = timer.seconds();
  result.performance["wall_seconds"] = wall;
  if (result.performance.contains("events") && wall > 0) {
    result.performance["events_per_second"] = result.performance["events"].get<double>() / wall;
  }
  if (result.simulated_seconds > 0) {
    result.performance["wall_seconds_per_simulated_hour"] =
        wall / (result.simulated_seconds / 3600.0);
  }
  result.performance["peak_rss_mib"] = static_cast<double>(peak_rss_kib()) / 1024.0;
  return result;
}

std::string summary_json(const RunResult& r) {
  nlohmann::json j;
  j["scenario"] = r.scenario;
  j["kind"] = std::string(scenario_kind_name(r.kind));
  j["seed"] = r.seed;
  j["nodes"] = r.nodes;
  j["simulated_seconds"] = r.simulated_seconds;
  j["invariants"] = r.invariants;
  j["passed"] = r.passed();
  j["event_log_hash"] = r.event_log_hash;
  j["metrics"] = r.metrics;
  return j.dump(2) + "\n";
}

util::Status write_outputs(const RunResult& r, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return util::Status::io_error(fmt::format("sim: cannot create {}: {}", dir, ec.message()));
  auto write = [&dir](const std::string& name, const std::string& text) -> util::Status {
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return util::Status::io_error("sim: cannot write " + path);
    return util::Status::ok();
  };
  QPOW_RETURN_IF_ERROR(write("summary.json", summary_json(r)));
  QPOW_RETURN_IF_ERROR(write("performance.json", r.performance.dump(2) + "\n"));
  for (const auto& [name, table] : r.tables) QPOW_RETURN_IF_ERROR(write(name, table.render()));
  for (const auto& [name, svg] : r.charts) QPOW_RETURN_IF_ERROR(write(name, svg));
  return util::Status::ok();
}

}  // namespace qpow::sim
