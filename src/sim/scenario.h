// Simulation scenarios: what network to build, what load and faults to apply, which adversaries
// to add, and which invariants to check. A scenario is one of the built-ins (builtin_scenario) or
// a JSON file whose "kind" names the built-in logic it runs and whose other keys override that
// built-in's defaults:
//
//   {
//     "kind": "partition-recovery",        // hashing | signatures | propagation |
//                                          // heterogeneous-power | partition-recovery | scaling |
//                                          // quantum-attack | byzantine | sharding
//     "name": "my-partition-test",         // default: the kind
//     "nodes": 60, "duration_s": 3600, "block_interval_s": 10,
//     "topology": {"kind": "small-world", "degree": 8, "rewire_probability": 0.1},
//     "link": {"latency_median_ms": 50, "latency_sigma": 0.5, "latency_min_ms": 2,
//              "bandwidth_mbps": 100, "loss": 0.001, "retransmit_ms": 200},
//     "miners": 0,                         // how many nodes mine (0: all)
//     "power": "uniform",                  // uniform | exponential | pareto | geometric
//     "tx_rate": 0.2, "accounts": 16,      // transactions per simulated second, funded accounts
//     "clock_skew_ms": 0,                  // each node's clock off by up to this much
//     "partitions": [{"at_s": 600, "duration_s": 900, "groups": 2}],
//     "crashes": [{"node": 3, "at_s": 300, "down_s": 120, "keep_state": true}],
//     "adversaries": [{"behavior": "invalid-blocks", "count": 2, "power": 1}],
//     "quantum": {"share": 0.1, "grover_factor": 3, "confirmations": [1, 2, 3, 4, 6],
//                 "trials": 60, "give_up_behind": 12},
//     "scaling_sizes": [10, 50, 100, 200, 500],
//     "convergence_bound_s": 420
//   }
//
// Unknown keys, wrong types and values out of range are errors that name the key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/sim_network.h"
#include "sim/topology.h"
#include "util/result.h"

namespace qpow::sim {

inline constexpr std::size_t kScenarioNodesMax = kSimNodesMax;
inline constexpr double kScenarioDurationMaxS = 7 * 24 * 3600.0;
inline constexpr std::size_t kScenarioFileBytesMax = 1 << 20;

enum class ScenarioKind : std::uint8_t {
  kHashing,
  kSignatures,
  kPropagation,
  kHeterogeneousPower,
  kPartitionRecovery,
  kScaling,
  kQuantumAttack,
  kByzantine,
  kSharding,
};

std::string_view scenario_kind_name(ScenarioKind kind);
util::Result<ScenarioKind> parse_scenario_kind(std::string_view name);
// Every built-in, in the order of the list above.
std::vector<ScenarioKind> all_scenario_kinds();

enum class PowerDistribution : std::uint8_t { kUniform, kExponential, kPareto, kGeometric };

enum class Behavior : std::uint8_t {
  kSelfish,        // withholds its blocks while ahead (Eyal and Sirer's selfish mining)
  kInvalidBlocks,  // mines blocks with a wrong state root and sends them
  kEquivocate,     // mines two blocks at each height and shows each to half its peers
  kFlood,          // floods its peers with bogus inventory and forged transactions
};
std::string_view behavior_name(Behavior behavior);

struct PartitionFault {
  double at_s = 0;
  double duration_s = 0;
  std::uint32_t groups = 2;
};

struct CrashFault {
  std::size_t node = 0;
  double at_s = 0;
  double down_s = 0;
  bool keep_state = true;
};

struct AdversarySpec {
  Behavior behavior = Behavior::kInvalidBlocks;
  std::size_t count = 1;
  double power = 1;  // relative to an honest miner's power of 1 (uniform distribution)
};

struct QuantumSpec {
  double share = 0.1;        // the attacker's share of the classical hash power
  double grover_factor = 3;  // its hash rate multiplier
  std::vector<std::uint32_t> confirmations = {1, 2, 3, 4, 6};
  std::size_t trials = 60;
  std::uint64_t give_up_behind = 12;  // the attacker abandons a race this many blocks behind
};

struct Scenario {
  ScenarioKind kind = ScenarioKind::kPropagation;
  std::string name;
  std::size_t nodes = 50;
  double duration_s = 3600;
  double block_interval_s = 10;
  TopologySpec topology{};
  LinkModel link{};
  std::size_t miners = 0;  // 0: every node mines
  PowerDistribution power = PowerDistribution::kUniform;
  double tx_rate = 0;
  std::size_t accounts = 16;
  double clock_skew_ms = 0;
  std::vector<PartitionFault> partitions;
  std::vector<CrashFault> crashes;
  std::vector<AdversarySpec> adversaries;
  QuantumSpec quantum{};
  std::vector<std::size_t> scaling_sizes = {10, 50, 100, 200, 500};
  double convergence_bound_s = 420;
};

// The built-in scenario of that kind at its reference size.
Scenario builtin_scenario(ScenarioKind kind);
// A built-in by name, or a JSON scenario file at that path.
util::Result<Scenario> load_scenario(std::string_view name_or_path);
util::Result<Scenario> parse_scenario_json(std::string_view text);
// Checks the ranges (nodes, durations, shares, probabilities, fault times, node indices).
util::Status validate_scenario(const Scenario& scenario);

}  // namespace qpow::sim
