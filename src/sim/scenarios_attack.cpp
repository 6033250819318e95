// The adversarial scenarios: byzantine (misbehaving nodes among honest ones) and quantum-attack
// (a Grover-boosted miner racing a private chain to reverse a payment).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "sim/adversary.h"
#include "sim/scenarios_internal.h"
#include "sim/stats.h"

namespace qpow::sim {

util::Status run_byzantine(Simulation& sim, RunResult& result, const RunOptions& options) {
  Analysis a = run_common(sim, result, options);
  const std::set<crypto::Hash256> main(a.main_chain.begin(), a.main_chain.end());
  bool offenders_cut = true;
  bool invalid_on_chain = false;
  nlohmann::json offenders = nlohmann::json::array();
  std::map<std::size_t, std::uint64_t> main_blocks;
  for (const BlockRecord& b : sim.net().recorder().blocks()) {
    if (main.contains(b.hash)) ++main_blocks[b.miner];
  }
  for (const auto& [node, adversary] : sim.adversaries()) {
    const Behavior behavior = *sim.behavior(node);
    const bool cut = disconnected_from_honest(sim, node);
    if (adversary->detectable() && adversary->actions() > 0) offenders_cut = offenders_cut && cut;
    // An invalid-blocks node never hands its node a valid block, so none of its blocks may be on
    // the main chain.
    if (behavior == Behavior::kInvalidBlocks && main_blocks[node] > 0) invalid_on_chain = true;
    const double share = sim.net().total_hash_rate() > 0
                             ? sim.net().hash_rate(node) / sim.net().total_hash_rate()
                             : 0;
    offenders.push_back(
        {{"node", node},
         {"behavior", std::string(behavior_name(behavior))},
         {"actions", adversary->actions()},
         {"detectable", adversary->detectable()},
         {"disconnected_from_honest", cut},
         {"hash_power_share", share},
         {"main_chain_blocks", main_blocks[node]},
         {"main_chain_share", a.main_chain_blocks ? static_cast<double>(main_blocks[node]) /
                                                        static_cast<double>(a.main_chain_blocks)
                                                  : 0.0}});
  }
  result.metrics["adversaries"] = offenders;
  result.invariants["honest_nodes_consistent"] = a.converged;
  result.invariants["detectable_offenders_disconnected"] = offenders_cut;
  result.invariants["no_invalid_block_on_main_chain"] = !invalid_on_chain;
  return util::Status::ok();
}

namespace {

// Hides the attacker's chain: while `isolated`, block and transaction traffic in both directions
// is dropped (handshakes and pings still pass, so the links stay up).
class PrivateChain final : public NodeHooks {
 public:
  bool isolated = false;
  bool on_send(SimNetwork&, std::size_t, node::PeerId, const net::Message& m) override {
    return !isolated || !carries_chain(m);
  }
  bool on_receive(SimNetwork&, std::size_t, node::PeerId, const net::Message& m) override {
    return !isolated || !carries_chain(m);
  }

 private:
  static bool carries_chain(const net::Message& m) {
    return std::holds_alternative<net::InvMsg>(m) || std::holds_alternative<net::HeadersMsg>(m) ||
           std::holds_alternative<net::BlockMsg>(m) || std::holds_alternative<net::GetDataMsg>(m) ||
           std::holds_alternative<net::GetHeadersMsg>(m) || std::holds_alternative<net::TxMsg>(m) ||
           std::holds_alternative<net::NotFoundMsg>(m);
  }
};

const chain::BlockIndexEntry& honest_tip(Simulation& sim) {
  const chain::BlockIndexEntry* best = nullptr;
  for (std::size_t i : sim.honest_nodes()) {
    const chain::BlockIndexEntry& t = sim.net().node(i)->chainstate().tip();
    if (best == nullptr || t.chain_work > best->chain_work) best = &t;
  }
  return *best;
}

// The height of the block holding `txid` on the chain ending at `tip`, above `from_height`.
std::optional<std::uint64_t> height_of_tx(const chain::Chainstate& chain,
                                          const chain::BlockIndexEntry& tip,
                                          std::uint64_t from_height, const crypto::Hash256& txid) {
  for (const chain::BlockIndexEntry* e = &tip; e != nullptr && e->height() > from_height;
       e = e->parent) {
    auto block = chain.read_block(e->hash);
    if (!block.is_ok() || !block->has_value()) continue;
    for (const auto& tx : (*block)->txs) {
      if (primitives::txid(tx) == txid) return e->height();
    }
  }
  return std::nullopt;
}

struct TrialOutcome {
  std::vector<bool> success;  // per confirmation depth
  bool published = false;
  bool reorganized = false;  // published and the honest nodes took the attacker's chain
};

}  // namespace

util::Status run_quantum(const Scenario& scenario, RunResult& result, const RunOptions& options) {
  const QuantumSpec& q = scenario.quantum;
  // Honest miners have power 1 each; the attacker's classical power gives it share q of the
  // classical total, and Grover's factor multiplies its rate.
  const double honest_power =
      static_cast<double>(scenario.miners ? scenario.miners : scenario.nodes);
  const double attacker_power = q.share / (1 - q.share) * honest_power;
  const double effective = q.share * q.grover_factor / (1 - q.share + q.share * q.grover_factor);
  Scenario s = scenario;
  s.tx_rate = 0;
  QPOW_ASSIGN_OR_RETURN(
      std::unique_ptr<Simulation> sim,
      Simulation::create(s, options.seed,
                         Simulation::Extra{.power = attacker_power, .boost = q.grover_factor}));
  const std::size_t attacker = *sim->extra_node();
  auto hooks = std::make_shared<PrivateChain>();
  sim->net().set_hooks(attacker, hooks);
  const double interval = s.block_interval_s;
  // Two measures per depth z: Nakamoto's event (the private chain catches up with the honest one,
  // equal length counts, once the honest chain is z blocks past the fork, the payment's block
  // included) and the double spend itself (strictly more work than the honest chain once the
  // payment's block has z blocks on top of it).
  std::vector<std::uint64_t> successes(q.confirmations.size(), 0);
  std::vector<std::uint64_t> catch_ups(q.confirmations.size(), 0);
  const std::uint32_t z_max = *std::max_element(q.confirmations.begin(), q.confirmations.end());
  std::uint64_t published = 0, reorganized = 0, trials_run = 0;
  sim->run_until(5 * interval);
  for (std::size_t trial = 0; trial < q.trials && sim->simulated_s() < s.duration_s; ++trial) {
    if (options.progress) {
      options.progress({.fraction = static_cast<double>(trial) / static_cast<double>(q.trials),
                        .simulated_s = sim->simulated_s(),
                        .events = sim->net().scheduler().executed(),
                        .stage = fmt::format("trial {}/{}", trial + 1, q.trials)});
    }
    // Wait until the attacker follows the honest chain again.
    for (int k = 0;
         k < 600 && sim->net().node(attacker)->chainstate().tip().hash != honest_tip(*sim).hash;
         ++k) {
      sim->run_until(sim->simulated_s() + 1);
    }
    hooks->isolated = true;
    const std::uint64_t fork_height = honest_tip(*sim).height();
    // The payment to a merchant goes to the honest network; the attacker mines a conflicting
    // spend of the same nonce into its private chain.
    QPOW_ASSIGN_OR_RETURN(primitives::Transaction pay,
                          sim->transfer(0, sim->account_address(1), 5 * consensus::kCoin, false));
    QPOW_ASSIGN_OR_RETURN(primitives::Transaction back,
                          sim->transfer(0, sim->account_address(2), 5 * consensus::kCoin, true));
    (void)sim->net().node(sim->honest_nodes().front())->submit_transaction(pay);
    (void)sim->net().node(attacker)->submit_transaction(back);
    const crypto::Hash256 pay_id = primitives::txid(pay), back_id = primitives::txid(back);
    std::map<std::uint32_t, bool> reached;  // z -> the merchant has z confirmations
    std::vector<bool> success(q.confirmations.size(), false);
    std::vector<bool> caught_up(q.confirmations.size(), false);
    std::optional<std::uint64_t> pay_height;
    const double trial_end = sim->simulated_s() + 400 * interval;
    bool decided = false;
    while (!decided && sim->simulated_s() < trial_end) {
      sim->run_until(sim->simulated_s() + 0.5);
      const chain::BlockIndexEntry& h = honest_tip(*sim);
      const chain::Chainstate& attacker_chain = sim->net().node(attacker)->chainstate();
      const chain::BlockIndexEntry& a = attacker_chain.tip();
      if (!pay_height) {
        const std::size_t holder = sim->honest_nodes().front();
        pay_height = height_of_tx(sim->net().node(holder)->chainstate(),
                                  sim->net().node(holder)->chainstate().tip(), fork_height, pay_id);
        if (!pay_height) continue;
      }
      const std::uint64_t confirmations = h.height() > *pay_height ? h.height() - *pay_height : 0;
      const bool ahead = a.chain_work > h.chain_work;
      for (std::size_t k = 0; k < q.confirmations.size(); ++k) {
        if (h.height() >= fork_height + q.confirmations[k] && a.height() >= h.height()) {
          caught_up[k] = true;
        }
        if (confirmations >= q.confirmations[k]) reached[q.confirmations[k]] = true;
        if (reached[q.confirmations[k]] && ahead) success[k] = true;
      }
      const std::uint64_t behind = h.height() > a.height() ? h.height() - a.height() : 0;
      decided = (ahead && reached[z_max]) || behind >= q.give_up_behind;
    }
    ++trials_run;
    for (std::size_t k = 0; k < success.size(); ++k) {
      successes[k] += success[k] ? 1 : 0;
      catch_ups[k] += caught_up[k] ? 1 : 0;
    }
    hooks->isolated = false;
    const chain::BlockIndexEntry& a = sim->net().node(attacker)->chainstate().tip();
    if (a.chain_work > honest_tip(*sim).chain_work) {
      // Publish: the private chain's headers to every peer; they fetch the blocks.
      ++published;
      std::vector<primitives::BlockHeader> headers;
      for (const chain::BlockIndexEntry* e = &a; e != nullptr && e->height() > fork_height;
           e = e->parent) {
        headers.insert(headers.begin(), e->header);
      }
      for (const auto& [peer, other] : sim->net().connections_of(attacker)) {
        sim->net().inject(attacker, peer, net::HeadersMsg{.headers = headers});
      }
      sim->run_until(sim->simulated_s() + 30);
      const std::size_t holder = sim->honest_nodes().front();
      const chain::Chainstate& hc = sim->net().node(holder)->chainstate();
      if (height_of_tx(hc, hc.tip(), fork_height, back_id) &&
          !height_of_tx(hc, hc.tip(), fork_height, pay_id)) {
        ++reorganized;
      }
    }
  }
  // Finally the attacker tries to spend an account it holds no key for.
  Rng forge_rng(options.seed ^ 0x9e37);
  const primitives::Transaction forged = forged_transfer(
      sim->params(), sim->account_address(sim->accounts()),
      sim->account_public_key(sim->accounts()), sim->net().miner_address(attacker), forge_rng);
  for (const auto& [peer, other] : sim->net().connections_of(attacker)) {
    sim->net().inject(attacker, peer, net::TxMsg{.tx = forged});
  }
  sim->run_until(sim->simulated_s() + 10);
  bool forged_accepted = false;
  for (std::size_t i : sim->honest_nodes()) {
    forged_accepted =
        forged_accepted || sim->net().node(i)->mempool().contains(primitives::txid(forged));
  }

  CsvTable table({"confirmations", "trials", "catch_ups", "catch_up_probability", "nakamoto",
                  "within_bound", "double_spends", "double_spend_probability"});
  Series measured{
      .name = "simulated: catches up (Nakamoto's event)", .points = {}, .markers = true};
  Series spent{.name = "simulated: double spend succeeds", .points = {}, .markers = true};
  Series formula{.name = fmt::format("Nakamoto section 11, q = {:.3f}", effective), .points = {}};
  nlohmann::json rows = nlohmann::json::array();
  bool all_within = trials_run > 0;
  for (std::size_t k = 0; k < q.confirmations.size(); ++k) {
    const double trials = static_cast<double>(std::max<std::uint64_t>(trials_run, 1));
    const double p = static_cast<double>(catch_ups[k]) / trials;
    const double d = static_cast<double>(successes[k]) / trials;
    const double f = nakamoto_attack_probability(effective, q.confirmations[k]);
    const double sigma = std::sqrt(std::max(f * (1 - f), 0.01) /
                                   static_cast<double>(std::max<std::uint64_t>(trials_run, 1)));
    const bool within = std::abs(p - f) <= 3 * sigma + 0.05;
    all_within = all_within && within;
    table.add_row({csv_number(q.confirmations[k]), csv_number(static_cast<double>(trials_run)),
                   csv_number(static_cast<double>(catch_ups[k])), csv_number(p), csv_number(f),
                   within ? "1" : "0", csv_number(static_cast<double>(successes[k])),
                   csv_number(d)});
    measured.points.emplace_back(q.confirmations[k], p);
    spent.points.emplace_back(q.confirmations[k], d);
    for (double z = q.confirmations[k] == q.confirmations.front() ? 0 : q.confirmations[k - 1];
         z <= q.confirmations[k]; z += 1) {
      formula.points.emplace_back(
          z, nakamoto_attack_probability(effective, static_cast<std::uint32_t>(z)));
    }
    rows.push_back({{"confirmations", q.confirmations[k]},
                    {"catch_up_probability", p},
                    {"nakamoto", f},
                    {"double_spend_probability", d},
                    {"catch_ups", catch_ups[k]},
                    {"double_spends", successes[k]}});
  }
  result.tables.emplace_back("attack.csv", std::move(table));
  result.charts.emplace_back(
      "attack_success.svg",
      render_svg_chart(
          {.title = fmt::format("Double spend by private chain: share {:.2f} x Grover {:.1f}",
                                q.share, q.grover_factor),
           .x_label = "confirmations the merchant waits",
           .y_label = "probability the attacker succeeds",
           .y_min = 0,
           .y_max = 1},
          {measured, formula, spent}));
  result.metrics["attack"] = {{"classical_share", q.share},   {"grover_factor", q.grover_factor},
                              {"effective_share", effective}, {"trials", trials_run},
                              {"published", published},       {"reorganized", reorganized},
                              {"by_confirmations", rows}};
  result.invariants["catch_up_matches_nakamoto"] = all_within;
  bool monotone = true;
  for (std::size_t k = 1; k < successes.size(); ++k)
    monotone = monotone && successes[k] <= successes[k - 1];
  result.invariants["double_spend_rarer_with_more_confirmations"] = monotone;
  result.invariants["published_attacks_reorganized_honest_nodes"] = reorganized == published;
  result.invariants["forged_signature_rejected"] = !forged_accepted;
  result.invariants["forger_disconnected"] = disconnected_from_honest(*sim, attacker);
  Analysis a = sim->settle_and_analyse();
  result.metrics["network"] = analysis_json(a, *sim);
  result.invariants["converged"] = a.converged;
  sim->add_standard_outputs(a, result.tables, result.charts);
  result.nodes = sim->size();
  result.simulated_seconds = sim->simulated_s();
  result.event_log_hash = sim->event_log_hex();
  result.performance["events"] = sim->net().scheduler().executed();
  return util::Status::ok();
}

}  // namespace qpow::sim
