#include "sim/scenario.h"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace qpow::sim {

namespace {

constexpr std::array<std::pair<ScenarioKind, std::string_view>, 9> kKindNames = {{
    {ScenarioKind::kHashing, "hashing"},
    {ScenarioKind::kSignatures, "signatures"},
    {ScenarioKind::kPropagation, "propagation"},
    {ScenarioKind::kHeterogeneousPower, "heterogeneous-power"},
    {ScenarioKind::kPartitionRecovery, "partition-recovery"},
    {ScenarioKind::kScaling, "scaling"},
    {ScenarioKind::kQuantumAttack, "quantum-attack"},
    {ScenarioKind::kByzantine, "byzantine"},
    {ScenarioKind::kSharding, "sharding"},
}};

constexpr std::array<std::pair<Behavior, std::string_view>, 4> kBehaviorNames = {{
    {Behavior::kSelfish, "selfish"},
    {Behavior::kInvalidBlocks, "invalid-blocks"},
    {Behavior::kEquivocate, "equivocate"},
    {Behavior::kFlood, "flood"},
}};

constexpr std::array<std::pair<PowerDistribution, std::string_view>, 4> kPowerNames = {{
    {PowerDistribution::kUniform, "uniform"},
    {PowerDistribution::kExponential, "exponential"},
    {PowerDistribution::kPareto, "pareto"},
    {PowerDistribution::kGeometric, "geometric"},
}};

template <typename T, std::size_t N>
util::Result<T> lookup(const std::array<std::pair<T, std::string_view>, N>& table,
                       std::string_view name, std::string_view what) {
  std::string valid;
  for (const auto& [value, text] : table) {
    if (text == name) return value;
    valid += valid.empty() ? std::string(text) : ", " + std::string(text);
  }
  return util::Status::invalid_argument(
      fmt::format("scenario: unknown {} '{}' (valid: {})", what, name, valid));
}

using Json = nlohmann::json;

// Reads `key` of `object` into `out` when present, with a type check that names the key.
template <typename T>
util::Status read_key(const Json& object, const char* key, T& out) {
  auto it = object.find(key);
  if (it == object.end()) return util::Status::ok();
  try {
    if constexpr (std::is_same_v<T, bool>) {
      if (!it->is_boolean()) throw std::invalid_argument("not a boolean");
    } else if constexpr (std::is_integral_v<T>) {
      if (!it->is_number_unsigned()) throw std::invalid_argument("not a non-negative integer");
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!it->is_number()) throw std::invalid_argument("not a number");
    }
    out = it->get<T>();
  } catch (const std::exception& e) {
    return util::Status::invalid_argument(fmt::format("scenario: key '{}': {}", key, e.what()));
  }
  return util::Status::ok();
}

util::Status check_keys(const Json& object, std::string_view where,
                        std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) {
    return util::Status::invalid_argument(fmt::format("scenario: '{}' must be an object", where));
  }
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || key == a;
    if (!ok) {
      return util::Status::invalid_argument(
          fmt::format("scenario: unknown key '{}' in {}", key, where));
    }
  }
  return util::Status::ok();
}

util::Status parse_topology_json(const Json& j, TopologySpec& t) {
  QPOW_RETURN_IF_ERROR(check_keys(j, "topology", {"kind", "degree", "rewire_probability"}));
  std::string kind(topology_name(t.kind));
  QPOW_RETURN_IF_ERROR(read_key(j, "kind", kind));
  QPOW_ASSIGN_OR_RETURN(t.kind, parse_topology(kind));
  QPOW_RETURN_IF_ERROR(read_key(j, "degree", t.degree));
  return read_key(j, "rewire_probability", t.rewire_probability);
}

util::Status parse_link_json(const Json& j, LinkModel& l) {
  QPOW_RETURN_IF_ERROR(
      check_keys(j, "link",
                 {"latency_median_ms", "latency_sigma", "latency_min_ms", "bandwidth_mbps", "loss",
                  "retransmit_ms", "connect_timeout_ms"}));
  QPOW_RETURN_IF_ERROR(read_key(j, "latency_median_ms", l.latency_median_ms));
  QPOW_RETURN_IF_ERROR(read_key(j, "latency_sigma", l.latency_sigma));
  QPOW_RETURN_IF_ERROR(read_key(j, "latency_min_ms", l.latency_min_ms));
  QPOW_RETURN_IF_ERROR(read_key(j, "bandwidth_mbps", l.bandwidth_mbps));
  QPOW_RETURN_IF_ERROR(read_key(j, "loss", l.loss));
  QPOW_RETURN_IF_ERROR(read_key(j, "retransmit_ms", l.retransmit_ms));
  return read_key(j, "connect_timeout_ms", l.connect_timeout_ms);
}

util::Status parse_faults_json(const Json& j, Scenario& s) {
  if (auto it = j.find("partitions"); it != j.end()) {
    if (!it->is_array())
      return util::Status::invalid_argument("scenario: 'partitions' must be an array");
    s.partitions.clear();
    for (const Json& p : *it) {
      PartitionFault f;
      QPOW_RETURN_IF_ERROR(check_keys(p, "partitions[]", {"at_s", "duration_s", "groups"}));
      QPOW_RETURN_IF_ERROR(read_key(p, "at_s", f.at_s));
      QPOW_RETURN_IF_ERROR(read_key(p, "duration_s", f.duration_s));
      QPOW_RETURN_IF_ERROR(read_key(p, "groups", f.groups));
      s.partitions.push_back(f);
    }
  }
  if (auto it = j.find("crashes"); it != j.end()) {
    if (!it->is_array())
      return util::Status::invalid_argument("scenario: 'crashes' must be an array");
    s.crashes.clear();
    for (const Json& c : *it) {
      CrashFault f;
      QPOW_RETURN_IF_ERROR(check_keys(c, "crashes[]", {"node", "at_s", "down_s", "keep_state"}));
      QPOW_RETURN_IF_ERROR(read_key(c, "node", f.node));
      QPOW_RETURN_IF_ERROR(read_key(c, "at_s", f.at_s));
      QPOW_RETURN_IF_ERROR(read_key(c, "down_s", f.down_s));
      QPOW_RETURN_IF_ERROR(read_key(c, "keep_state", f.keep_state));
      s.crashes.push_back(f);
    }
  }
  if (auto it = j.find("adversaries"); it != j.end()) {
    if (!it->is_array())
      return util::Status::invalid_argument("scenario: 'adversaries' must be an array");
    s.adversaries.clear();
    for (const Json& a : *it) {
      AdversarySpec spec;
      QPOW_RETURN_IF_ERROR(check_keys(a, "adversaries[]", {"behavior", "count", "power"}));
      std::string behavior(behavior_name(spec.behavior));
      QPOW_RETURN_IF_ERROR(read_key(a, "behavior", behavior));
      QPOW_ASSIGN_OR_RETURN(spec.behavior, lookup(kBehaviorNames, behavior, "behavior"));
      QPOW_RETURN_IF_ERROR(read_key(a, "count", spec.count));
      QPOW_RETURN_IF_ERROR(read_key(a, "power", spec.power));
      s.adversaries.push_back(spec);
    }
  }
  return util::Status::ok();
}

util::Status parse_quantum_json(const Json& j, QuantumSpec& q) {
  QPOW_RETURN_IF_ERROR(check_keys(
      j, "quantum", {"share", "grover_factor", "confirmations", "trials", "give_up_behind"}));
  QPOW_RETURN_IF_ERROR(read_key(j, "share", q.share));
  QPOW_RETURN_IF_ERROR(read_key(j, "grover_factor", q.grover_factor));
  QPOW_RETURN_IF_ERROR(read_key(j, "confirmations", q.confirmations));
  QPOW_RETURN_IF_ERROR(read_key(j, "trials", q.trials));
  return read_key(j, "give_up_behind", q.give_up_behind);
}

}  // namespace

std::string_view scenario_kind_name(ScenarioKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

util::Result<ScenarioKind> parse_scenario_kind(std::string_view name) {
  return lookup(kKindNames, name, "scenario");
}

std::vector<ScenarioKind> all_scenario_kinds() {
  std::vector<ScenarioKind> out;
  for (const auto& [k, name] : kKindNames) out.push_back(k);
  return out;
}

std::string_view behavior_name(Behavior behavior) {
  for (const auto& [b, name] : kBehaviorNames) {
    if (b == behavior) return name;
  }
  return "unknown";
}

Scenario builtin_scenario(ScenarioKind kind) {
  Scenario s;
  s.kind = kind;
  s.name = std::string(scenario_kind_name(kind));
  switch (kind) {
    case ScenarioKind::kHashing:
      s.nodes = 20;
      s.duration_s = 1800;
      s.tx_rate = 0.1;
      break;
    case ScenarioKind::kSignatures:
      s.nodes = 20;
      s.duration_s = 1800;
      s.tx_rate = 0.5;
      break;
    case ScenarioKind::kPropagation:
      s.nodes = 100;
      s.tx_rate = 0.2;
      break;
    case ScenarioKind::kHeterogeneousPower:
      s.nodes = 30;
      s.duration_s = 4 * 3600;
      s.power = PowerDistribution::kGeometric;
      break;
    case ScenarioKind::kPartitionRecovery:
      s.nodes = 60;
      s.tx_rate = 0.1;
      s.partitions = {{.at_s = 900, .duration_s = 900, .groups = 2}};
      break;
    case ScenarioKind::kScaling:
      s.nodes = 500;
      break;
    case ScenarioKind::kQuantumAttack:
      s.nodes = 9;
      s.duration_s = kScenarioDurationMaxS;
      s.topology.degree = 4;
      break;
    case ScenarioKind::kByzantine:
      s.nodes = 40;
      s.tx_rate = 0.1;
      s.adversaries = {{.behavior = Behavior::kSelfish, .count = 1, .power = 4},
                       {.behavior = Behavior::kInvalidBlocks, .count = 2, .power = 1},
                       {.behavior = Behavior::kEquivocate, .count = 1, .power = 2},
                       {.behavior = Behavior::kFlood, .count = 2, .power = 0}};
      break;
    case ScenarioKind::kSharding:
      s.nodes = 20;
      s.duration_s = 1800;
      s.tx_rate = 0.2;
      break;
  }
  return s;
}

util::Result<Scenario> parse_scenario_json(std::string_view text) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    return util::Status::invalid_argument(fmt::format("scenario: not JSON: {}", e.what()));
  }
  QPOW_RETURN_IF_ERROR(
      check_keys(j, "the scenario",
                 {"kind", "name", "nodes", "duration_s", "block_interval_s", "topology", "link",
                  "miners", "power", "tx_rate", "accounts", "clock_skew_ms", "partitions",
                  "crashes", "adversaries", "quantum", "scaling_sizes", "convergence_bound_s"}));
  if (!j.contains("kind")) return util::Status::invalid_argument("scenario: missing key 'kind'");
  std::string kind;
  QPOW_RETURN_IF_ERROR(read_key(j, "kind", kind));
  QPOW_ASSIGN_OR_RETURN(ScenarioKind k, parse_scenario_kind(kind));
  Scenario s = builtin_scenario(k);
  QPOW_RETURN_IF_ERROR(read_key(j, "name", s.name));
  QPOW_RETURN_IF_ERROR(read_key(j, "nodes", s.nodes));
  QPOW_RETURN_IF_ERROR(read_key(j, "duration_s", s.duration_s));
  QPOW_RETURN_IF_ERROR(read_key(j, "block_interval_s", s.block_interval_s));
  if (j.contains("topology")) QPOW_RETURN_IF_ERROR(parse_topology_json(j["topology"], s.topology));
  if (j.contains("link")) QPOW_RETURN_IF_ERROR(parse_link_json(j["link"], s.link));
  QPOW_RETURN_IF_ERROR(read_key(j, "miners", s.miners));
  std::string power(kPowerNames[static_cast<std::size_t>(s.power)].second);
  QPOW_RETURN_IF_ERROR(read_key(j, "power", power));
  QPOW_ASSIGN_OR_RETURN(s.power, lookup(kPowerNames, power, "power distribution"));
  QPOW_RETURN_IF_ERROR(read_key(j, "tx_rate", s.tx_rate));
  QPOW_RETURN_IF_ERROR(read_key(j, "accounts", s.accounts));
  QPOW_RETURN_IF_ERROR(read_key(j, "clock_skew_ms", s.clock_skew_ms));
  QPOW_RETURN_IF_ERROR(parse_faults_json(j, s));
  if (j.contains("quantum")) QPOW_RETURN_IF_ERROR(parse_quantum_json(j["quantum"], s.quantum));
  QPOW_RETURN_IF_ERROR(read_key(j, "scaling_sizes", s.scaling_sizes));
  QPOW_RETURN_IF_ERROR(read_key(j, "convergence_bound_s", s.convergence_bound_s));
  QPOW_RETURN_IF_ERROR(validate_scenario(s));
  return s;
}

util::Result<Scenario> load_scenario(std::string_view name_or_path) {
  if (auto kind = parse_scenario_kind(name_or_path); kind.is_ok()) return builtin_scenario(*kind);
  std::ifstream in{std::string(name_or_path), std::ios::binary};
  if (!in) {
    return util::Status::not_found(fmt::format(
        "scenario: '{}' is neither a built-in ({}) nor a readable file", name_or_path,
        "hashing, signatures, propagation, heterogeneous-power, partition-recovery, scaling, "
        "quantum-attack, byzantine, sharding"));
  }
  std::string text(kScenarioFileBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kScenarioFileBytesMax) {
    return util::Status::out_of_range(
        fmt::format("scenario: file larger than {} bytes", kScenarioFileBytesMax));
  }
  return parse_scenario_json(text);
}

util::Status validate_scenario(const Scenario& s) {
  auto bad = [](std::string what) { return util::Status::out_of_range("scenario: " + what); };
  if (s.nodes < 2 || s.nodes > kScenarioNodesMax) {
    return bad(fmt::format("nodes {} outside 2..{}", s.nodes, kScenarioNodesMax));
  }
  if (!(s.duration_s > 0) || s.duration_s > kScenarioDurationMaxS) {
    return bad(fmt::format("duration_s {} outside (0, {}]", s.duration_s, kScenarioDurationMaxS));
  }
  if (!(s.block_interval_s >= 1) || s.block_interval_s > 3600) {
    return bad(fmt::format("block_interval_s {} outside 1..3600", s.block_interval_s));
  }
  if (s.miners > s.nodes) return bad(fmt::format("miners {} above nodes {}", s.miners, s.nodes));
  if (!(s.tx_rate >= 0) || s.tx_rate > 100)
    return bad(fmt::format("tx_rate {} outside 0..100", s.tx_rate));
  if (s.accounts < 2 || s.accounts > 1000)
    return bad(fmt::format("accounts {} outside 2..1000", s.accounts));
  if (!(s.clock_skew_ms >= 0) || s.clock_skew_ms > 3'600'000) {
    return bad(fmt::format("clock_skew_ms {} outside 0..3600000", s.clock_skew_ms));
  }
  const LinkModel& l = s.link;
  if (!(l.latency_median_ms > 0) || l.latency_median_ms > 10'000 || !(l.latency_sigma >= 0) ||
      l.latency_sigma > 3 || !(l.latency_min_ms >= 0)) {
    return bad("link latency: median in (0, 10000] ms, sigma in [0, 3], min >= 0");
  }
  if (!(l.bandwidth_mbps >= 0.01) || l.bandwidth_mbps > 100'000) {
    return bad(fmt::format("link bandwidth_mbps {} outside 0.01..100000", l.bandwidth_mbps));
  }
  if (!(l.loss >= 0) || l.loss > 0.5)
    return bad(fmt::format("link loss {} outside 0..0.5", l.loss));
  if (!(l.retransmit_ms >= 0) || !(l.connect_timeout_ms >= 1)) {
    return bad("link retransmit_ms must be >= 0 and connect_timeout_ms >= 1");
  }
  for (const PartitionFault& p : s.partitions) {
    if (!(p.at_s >= 0) || !(p.duration_s > 0) || p.groups < 2 || p.groups > s.nodes) {
      return bad("partition: at_s >= 0, duration_s > 0, groups in 2..nodes");
    }
  }
  for (const CrashFault& c : s.crashes) {
    if (c.node >= s.nodes || !(c.at_s >= 0) || !(c.down_s >= 0)) {
      return bad(fmt::format("crash: node {} of {}, at_s >= 0, down_s >= 0", c.node, s.nodes));
    }
  }
  std::size_t adversaries = 0;
  for (const AdversarySpec& a : s.adversaries) {
    adversaries += a.count;
    if (!(a.power >= 0) || a.power > 1000) return bad("adversary power outside 0..1000");
  }
  if (adversaries >= s.nodes) {
    return bad(fmt::format("{} adversaries leave no honest node among {}", adversaries, s.nodes));
  }
  const QuantumSpec& q = s.quantum;
  if (!(q.share > 0) || q.share >= 1 || !(q.grover_factor >= 1) || q.grover_factor > 1e6) {
    return bad("quantum: share in (0, 1), grover_factor in [1, 1e6]");
  }
  if (q.confirmations.empty() || q.confirmations.size() > 32 || q.trials == 0 ||
      q.trials > 100'000 || q.give_up_behind == 0 || q.give_up_behind > 1000) {
    return bad("quantum: 1..32 confirmation depths, trials 1..100000, give_up_behind 1..1000");
  }
  for (std::uint32_t z : q.confirmations) {
    if (z == 0 || z > 100)
      return bad(fmt::format("quantum: confirmation depth {} outside 1..100", z));
  }
  if (s.scaling_sizes.empty() || s.scaling_sizes.size() > 16)
    return bad("scaling_sizes: 1..16 sizes");
  for (std::size_t n : s.scaling_sizes) {
    if (n < 2 || n > kScenarioNodesMax)
      return bad(fmt::format("scaling size {} outside 2..{}", n, kScenarioNodesMax));
  }
  if (!(s.convergence_bound_s > 0)) return bad("convergence_bound_s must be > 0");
  if (s.topology.degree == 0 || s.topology.degree > kTopologyDegreeMax) {
    return bad(
        fmt::format("topology degree {} outside 1..{}", s.topology.degree, kTopologyDegreeMax));
  }
  return util::Status::ok();
}

}  // namespace qpow::sim
