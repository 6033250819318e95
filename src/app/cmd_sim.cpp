// `qpow sim`: the deterministic network simulator (src/sim, docs/simulation.md).
//
//   qpow sim list
//       the built-in scenarios, one per line with a short description.
//   qpow sim run SCENARIO [--seed N] [--nodes N] [--out DIR] [--quiet]
//       runs a built-in scenario by name, or a JSON scenario file, and writes DIR/summary.json
//       (scenario, seed, nodes, simulated_seconds, invariants, event_log_hash, metrics),
//       DIR/performance.json (wall time, events per second, peak memory: not reproducible), CSV
//       time series and SVG charts. DIR defaults to sim-out/<scenario>-seed<N>. A progress bar goes
//       to the error stream unless --quiet; the outcome of every invariant and the event log hash
//       go to the output stream.
//
// Exit codes: 0 every invariant held, 1 an invariant failed or the run could not complete, 2 a
// malformed argument or scenario.
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
#include "sim/runner.h"
#include "sim/scenario.h"

namespace qpow::app {
namespace {

struct SimOptions {
  std::string scenario;
  std::uint64_t seed = 1;
  std::optional<std::size_t> nodes;
  std::string out;
  bool quiet = false;
};

constexpr int kBarWidth = 30;

std::string_view describe(sim::ScenarioKind kind) {
  switch (kind) {
    case sim::ScenarioKind::kHashing:
      return "real qhash checks in every node; a bad proof of work is refused";
    case sim::ScenarioKind::kSignatures:
      return "every signature verified; a forged one is refused and its sender cut off";
    case sim::ScenarioKind::kPropagation:
      return "block propagation latency percentiles across the network";
    case sim::ScenarioKind::kHeterogeneousPower:
      return "block shares follow very unequal hash power";
    case sim::ScenarioKind::kPartitionRecovery:
      return "split in two, heal, converge; orphans and reorg depth";
    case sim::ScenarioKind::kScaling:
      return "10 to 500 nodes: latency, messages per block, bandwidth, wall time";
    case sim::ScenarioKind::kQuantumAttack:
      return "a Grover-boosted private-chain double spend against Nakamoto's formula";
    case sim::ScenarioKind::kByzantine:
      return "selfish, invalid-block, equivocating and flooding nodes among honest ones";
    case sim::ScenarioKind::kSharding:
      return "reserved for sharding (one shard today)";
  }
  return "";
}

int run_sim(const SimOptions& o, CommandContext& ctx) {
  auto scenario = sim::load_scenario(o.scenario);
  if (!scenario.is_ok()) return fail_usage(ctx, scenario.status());
  sim::RunOptions options{.seed = o.seed, .nodes = o.nodes, .progress = {}};
  int last_percent = -1;
  if (!o.quiet) {
    options.progress = [&ctx, &last_percent](const sim::Progress& p) {
      const int percent = static_cast<int>(p.fraction * 100);
      if (percent == last_percent) return;
      last_percent = percent;
      const int filled = percent * kBarWidth / 100;
      ctx.io.err << fmt::format("\r[{}{}] {:3}% {} t={:.0f}s events={}", std::string(filled, '#'),
                                std::string(kBarWidth - filled, '.'), percent, p.stage,
                                p.simulated_s, p.events)
                 << std::flush;
    };
  }
  auto result = sim::run_scenario(*scenario, options);
  if (!o.quiet) ctx.io.err << "\n";
  if (!result.is_ok()) {
    if (result.status().code() == util::StatusCode::kOutOfRange ||
        result.status().code() == util::StatusCode::kInvalidArgument) {
      return fail_usage(ctx, result.status());
    }
    return fail_operation(ctx, result.status());
  }
  const std::string dir =
      o.out.empty() ? fmt::format("sim-out/{}-seed{}", scenario->name, o.seed) : o.out;
  if (util::Status w = sim::write_outputs(*result, dir); !w.is_ok()) return fail_operation(ctx, w);
  for (const auto& [name, ok] : result->invariants) {
    ctx.io.out << fmt::format("{} {}\n", ok ? "PASS" : "FAIL", name);
  }
  ctx.io.out << fmt::format(
      "scenario={} seed={} nodes={} simulated_seconds={:.0f} "
      "event_log_hash={} out={}\n",
      result->scenario, result->seed, result->nodes, result->simulated_seconds,
      result->event_log_hash, dir);
  return result->passed() ? kExitOk : kExitNegative;
}

}  // namespace

void add_sim_command(CLI::App& app, CommandContext& ctx) {
  CLI::App* cmd = app.add_subcommand("sim", "Simulate a network of nodes in virtual time");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "List the built-in scenarios");
  list->callback([&ctx] {
    for (sim::ScenarioKind kind : sim::all_scenario_kinds()) {
      ctx.io.out << fmt::format("{:<20} {}\n", sim::scenario_kind_name(kind), describe(kind));
    }
    ctx.exit_code = kExitOk;
  });
  auto o = std::make_shared<SimOptions>();
  CLI::App* run = cmd->add_subcommand("run", "Run a built-in scenario or a JSON scenario file");
  run->add_option("scenario", o->scenario, "Built-in name (see `qpow sim list`) or file")
      ->required();
  run->add_option("--seed", o->seed, "Seed of every random choice")->capture_default_str();
  run->add_option("--nodes", o->nodes, "Network size (scaling: the largest size)")
      ->check(CLI::Range(std::size_t{2}, sim::kScenarioNodesMax));
  run->add_option("--out", o->out, "Output directory (default sim-out/<scenario>-seed<N>)");
  run->add_flag("--quiet", o->quiet, "No progress bar");
  run->callback([o, &ctx] { ctx.exit_code = run_sim(*o, ctx); });
}

}  // namespace qpow::app
