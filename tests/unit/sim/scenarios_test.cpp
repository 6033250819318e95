// Every built-in scenario at a small size, with its invariants; reproducibility; scenario files.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sim/runner.h"
#include "sim/scenario.h"

namespace qpow::sim {
namespace {

RunResult run_ok(const Scenario& s, std::uint64_t seed = 3) {
  auto r = run_scenario(s, {.seed = seed, .nodes = std::nullopt, .progress = {}});
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  if (!r.is_ok()) return {};
  for (const auto& [name, ok] : r->invariants) EXPECT_TRUE(ok) << s.name << ": " << name;
  EXPECT_TRUE(r->passed()) << summary_json(*r);
  EXPECT_EQ(r->event_log_hash.size(), 64u);
  return std::move(r).value();
}

Scenario small(ScenarioKind kind, std::size_t nodes, double duration_s) {
  Scenario s = builtin_scenario(kind);
  s.nodes = nodes;
  s.duration_s = duration_s;
  return s;
}

TEST(Scenarios, Hashing) {
  RunResult r = run_ok(small(ScenarioKind::kHashing, 6, 600));
  EXPECT_TRUE(r.invariants.at("bad_pow_block_rejected"));
  EXPECT_GT(r.metrics["pow_checked_blocks"].get<int>(), 30);
}

TEST(Scenarios, Signatures) {
  RunResult r = run_ok(small(ScenarioKind::kSignatures, 6, 600));
  EXPECT_TRUE(r.invariants.at("forged_tx_rejected"));
  EXPECT_GT(r.metrics["signatures_verified_again"].get<int>(), 50);
}

TEST(Scenarios, PropagationReportsPercentiles) {
  RunResult r = run_ok(small(ScenarioKind::kPropagation, 12, 600));
  const auto& p = r.metrics["network"]["propagation_ms"];
  const double p50 = p["p50"], p90 = p["p90"], p99 = p["p99"];
  EXPECT_GT(p50, 0);
  EXPECT_LE(p50, p90);
  EXPECT_LE(p90, p99);
  bool has_cdf = false;
  for (const auto& [name, svg] : r.charts) has_cdf = has_cdf || name == "propagation_cdf.svg";
  EXPECT_TRUE(has_cdf);
}

TEST(Scenarios, HeterogeneousPower) {
  Scenario s = small(ScenarioKind::kHeterogeneousPower, 8, 3600);
  RunResult r = run_ok(s);
  EXPECT_TRUE(r.invariants.at("block_shares_follow_power"));
}

TEST(Scenarios, PartitionRecovery) {
  Scenario s = small(ScenarioKind::kPartitionRecovery, 12, 1500);
  s.partitions = {{.at_s = 300, .duration_s = 400, .groups = 2}};
  RunResult r = run_ok(s);
  EXPECT_GT(r.metrics["network"]["orphaned_blocks"].get<int>(), 0);
  EXPECT_GE(r.metrics["network"]["max_reorg_depth"].get<int>(), 1);
  EXPECT_GE(r.metrics["partition"]["converged_after_heal_s"].get<double>(), 0);
}

TEST(Scenarios, ScalingGrowsNoWorseThanNLogN) {
  Scenario s = builtin_scenario(ScenarioKind::kScaling);
  s.scaling_sizes = {6, 12, 24};
  s.duration_s = 600;
  RunResult r = run_ok(s);
  ASSERT_EQ(r.metrics["runs"].size(), 3u);
  EXPECT_EQ(r.nodes, 24u);
}

TEST(Scenarios, QuantumAttack) {
  Scenario s = builtin_scenario(ScenarioKind::kQuantumAttack);
  s.nodes = 6;
  s.quantum.trials = 12;
  s.quantum.confirmations = {1, 2, 4};
  RunResult r = run_ok(s);
  EXPECT_EQ(r.metrics["attack"]["trials"].get<int>(), 12);
  EXPECT_TRUE(r.invariants.at("forged_signature_rejected"));
}

TEST(Scenarios, Byzantine) {
  Scenario s = small(ScenarioKind::kByzantine, 16, 900);
  s.adversaries = {{.behavior = Behavior::kSelfish, .count = 1, .power = 3},
                   {.behavior = Behavior::kInvalidBlocks, .count = 1, .power = 2},
                   {.behavior = Behavior::kEquivocate, .count = 1, .power = 2},
                   {.behavior = Behavior::kFlood, .count = 1, .power = 0}};
  RunResult r = run_ok(s);
  for (const auto& a : r.metrics["adversaries"]) {
    if (a["detectable"].get<bool>() && a["actions"].get<int>() > 0) {
      EXPECT_TRUE(a["disconnected_from_honest"].get<bool>()) << a.dump();
    }
  }
}

TEST(Scenarios, ShardingIsReserved) {
  RunResult r = run_ok(small(ScenarioKind::kSharding, 6, 300));
  EXPECT_EQ(r.metrics["shards"].get<int>(), 1);
}

TEST(Scenarios, SameSeedGivesByteIdenticalOutputs) {
  Scenario s = small(ScenarioKind::kPartitionRecovery, 8, 900);
  s.partitions = {{.at_s = 200, .duration_s = 200, .groups = 2}};
  s.crashes = {{.node = 1, .at_s = 100, .down_s = 50, .keep_state = false}};
  s.clock_skew_ms = 5000;
  s.link.loss = 0.02;
  RunResult a = run_ok(s, 11), b = run_ok(s, 11), c = run_ok(s, 12);
  EXPECT_EQ(summary_json(a), summary_json(b));
  EXPECT_NE(a.event_log_hash, c.event_log_hash);
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (std::size_t k = 0; k < a.tables.size(); ++k) {
    EXPECT_EQ(a.tables[k].second.render(), b.tables[k].second.render());
  }
  ASSERT_EQ(a.charts.size(), b.charts.size());
  for (std::size_t k = 0; k < a.charts.size(); ++k) EXPECT_EQ(a.charts[k], b.charts[k]);
  // The summary names what the issue requires.
  const auto j = nlohmann::json::parse(summary_json(a));
  for (const char* key :
       {"scenario", "seed", "nodes", "simulated_seconds", "invariants", "event_log_hash"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / "qpow_sim_outputs_test").string();
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(write_outputs(a, dir).is_ok());
  for (const char* f : {"summary.json", "performance.json", "timeseries.csv", "blocks.csv",
                        "rates.csv", "propagation_cdf.svg", "fork_rate.svg", "throughput.svg",
                        "finality.svg", "tip_agreement.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / f)) << f;
  }
  std::filesystem::remove_all(dir);
}

TEST(ScenarioFiles, ParseOverridesAndRejectMistakes) {
  auto s = parse_scenario_json(R"({"kind": "byzantine", "nodes": 30, "power": "pareto",
      "topology": {"kind": "scale-free", "degree": 6},
      "adversaries": [{"behavior": "flood", "count": 3}],
      "quantum": {"share": 0.2, "confirmations": [1, 6]}})");
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->kind, ScenarioKind::kByzantine);
  EXPECT_EQ(s->name, "byzantine");
  EXPECT_EQ(s->nodes, 30u);
  EXPECT_EQ(s->power, PowerDistribution::kPareto);
  EXPECT_EQ(s->topology.kind, TopologyKind::kScaleFree);
  ASSERT_EQ(s->adversaries.size(), 1u);
  EXPECT_EQ(s->adversaries[0].behavior, Behavior::kFlood);
  EXPECT_EQ(s->quantum.confirmations, (std::vector<std::uint32_t>{1, 6}));

  auto error_of = [](const char* text) {
    auto r = parse_scenario_json(text);
    EXPECT_FALSE(r.is_ok()) << text;
    return r.is_ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(error_of("{").find("not JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"nodes": 5})").find("missing key 'kind'"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "nope"})").find("unknown scenario 'nope'"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "nodez": 5})").find("unknown key 'nodez'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "nodes": "5"})").find("'nodes'"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "nodes": -5})").find("'nodes'"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "nodes": 1})").find("nodes 1"), std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "nodes": 5001})").find("nodes 5001"),
            std::string::npos);
  EXPECT_TRUE(parse_scenario_json(R"({"kind": "hashing", "nodes": 5000})").is_ok());
  EXPECT_NE(error_of(R"({"kind": "hashing", "link": {"loss": 0.6}})").find("loss"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "link": {"jitter": 1}})").find("unknown key 'jitter'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "crashes": [{"node": 99, "at_s": 1}]})").find("crash"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "adversaries": [{"behavior": "flood", "count": 20}]})")
                .find("no honest node"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "topology": {"kind": "ring"}})").find("ring"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"kind": "hashing", "power": "zipf"})").find("zipf"), std::string::npos);
}

TEST(ScenarioFiles, LoadsBuiltinsByNameAndNamesMissingFiles) {
  for (ScenarioKind kind : all_scenario_kinds()) {
    auto s = load_scenario(scenario_kind_name(kind));
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(s->kind, kind);
    EXPECT_TRUE(validate_scenario(*s).is_ok()) << scenario_kind_name(kind);
  }
  auto missing = load_scenario("/no/such/file.json");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("/no/such/file.json"), std::string::npos);
}

}  // namespace
}  // namespace qpow::sim
