// The built-in scenarios over an honest network: hashing, signatures, propagation,
// heterogeneous power, partition recovery, and the reserved sharding slot.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "consensus/compact_target.h"
#include "consensus/pow.h"
#include "sim/adversary.h"
#include "sim/scenarios_internal.h"
#include "sim/stats.h"

namespace qpow::sim {

namespace {

// The blocks of the final main chain, read from a node that has them.
std::vector<primitives::Block> main_chain_blocks(Simulation& sim, const Analysis& a) {
  std::vector<primitives::Block> out;
  for (std::size_t i : sim.honest_nodes()) {
    node::Node* n = sim.net().node(i);
    if (n == nullptr || n->chainstate().tip().hash != a.tip) continue;
    for (std::size_t k = 1; k < a.main_chain.size(); ++k) {
      auto block = n->chainstate().read_block(a.main_chain[k]);
      if (block.is_ok() && block->has_value()) out.push_back(**block);
    }
    break;
  }
  return out;
}

bool known_to_honest(Simulation& sim, const crypto::Hash256& hash) {
  for (std::size_t i : sim.honest_nodes()) {
    node::Node* n = sim.net().node(i);
    if (n == nullptr) continue;
    const chain::BlockIndexEntry* e = n->chainstate().find(hash);
    if (e != nullptr && !e->failed()) return true;
  }
  return false;
}

}  // namespace

util::Status run_hashing(Simulation& sim, RunResult& result, const RunOptions& options) {
  const std::size_t probe = *sim.extra_node();
  sim.run_until(sim.scenario().duration_s / 2, options.progress, 0, 0.5, "running");
  // The probe sends a block on top of an honest tip whose nonce does not meet the target.
  node::Node& honest = *sim.net().node(sim.honest_nodes().front());
  QPOW_ASSIGN_OR_RETURN(mining::BlockTemplate tmpl,
                        honest.block_template(sim.net().miner_address(probe)));
  primitives::Block bad = tmpl.block;
  for (bad.header.nonce = 0;; ++bad.header.nonce) {
    if (!consensus::hash_meets_target(consensus::pow_hash(bad.header), tmpl.target)) break;
  }
  const crypto::Hash256 bad_hash = primitives::block_hash(bad.header);
  for (const auto& [peer, other] : sim.net().connections_of(probe)) {
    sim.net().inject(probe, peer, net::BlockMsg{.block = bad});
  }
  Analysis a = run_common(sim, result, options);
  // Every main-chain block's proof of work, checked again outside the nodes.
  std::size_t checked = 0;
  bool all_valid = true;
  for (const primitives::Block& b : main_chain_blocks(sim, a)) {
    auto target = consensus::target_from_bits(b.header.bits);
    all_valid = all_valid && target.is_ok() &&
                consensus::hash_meets_target(consensus::pow_hash(b.header), *target) &&
                consensus::check_pow(b.header, sim.params()).is_ok();
    ++checked;
  }
  result.invariants["main_chain_pow_valid"] = all_valid && checked + 1 == a.main_chain.size();
  result.invariants["bad_pow_block_rejected"] = !known_to_honest(sim, bad_hash);
  result.invariants["bad_pow_sender_disconnected"] = disconnected_from_honest(sim, probe);
  result.metrics["pow_checked_blocks"] = checked;
  result.metrics["genesis_bits"] = fmt::format("{:#010x}", sim.params().genesis_bits);
  return util::Status::ok();
}

util::Status run_signatures(Simulation& sim, RunResult& result, const RunOptions& options) {
  const std::size_t probe = *sim.extra_node();
  sim.run_until(sim.scenario().duration_s / 2, options.progress, 0, 0.5, "running");
  Rng forge_rng(options.seed ^ 0xf0f0);
  const primitives::Address victim = sim.account_address(sim.accounts());
  const primitives::Transaction forged =
      forged_transfer(sim.params(), victim, sim.account_public_key(sim.accounts()),
                      sim.net().miner_address(probe), forge_rng);
  const crypto::Hash256 forged_id = primitives::txid(forged);
  for (const auto& [peer, other] : sim.net().connections_of(probe)) {
    sim.net().inject(probe, peer, net::TxMsg{.tx = forged});
  }
  Analysis a = run_common(sim, result, options);
  // Every confirmed transaction's signature, verified again under its sender's known key.
  std::map<primitives::Address, std::size_t> account_of;
  for (std::size_t k = 0; k <= sim.accounts(); ++k) account_of.emplace(sim.account_address(k), k);
  std::size_t verified = 0;
  bool all_valid = true;
  bool forged_confirmed = false;
  for (const primitives::Block& b : main_chain_blocks(sim, a)) {
    for (const primitives::Transaction& tx : b.txs) {
      forged_confirmed = forged_confirmed || primitives::txid(tx) == forged_id;
      auto it = account_of.find(tx.sender);
      all_valid = all_valid && it != account_of.end() &&
                  primitives::verify_tx_signature(tx, crypto::kDefaultScheme,
                                                  sim.account_public_key(it->second));
      ++verified;
    }
  }
  bool in_mempool = false;
  for (std::size_t i : sim.honest_nodes()) {
    if (node::Node* n = sim.net().node(i))
      in_mempool = in_mempool || n->mempool().contains(forged_id);
  }
  result.invariants["confirmed_signatures_valid"] = all_valid;
  result.invariants["transactions_confirmed"] = verified > 0;
  result.invariants["forged_tx_rejected"] = !forged_confirmed && !in_mempool;
  result.invariants["forger_disconnected"] = disconnected_from_honest(sim, probe);
  result.metrics["signatures_verified_again"] = verified;
  return util::Status::ok();
}

util::Status run_propagation(Simulation& sim, RunResult& result, const RunOptions& options) {
  Analysis a = run_common(sim, result, options);
  // Every main-chain block reached every honest node.
  bool all = true;
  const std::set<crypto::Hash256> main(a.main_chain.begin(), a.main_chain.end());
  for (const BlockRecord& b : sim.net().recorder().blocks()) {
    if (!main.contains(b.hash)) continue;
    for (std::size_t i : sim.honest_nodes()) all = all && b.adopted_us[i] != kNever;
  }
  result.invariants["every_block_reached_every_node"] = all;
  result.invariants["blocks_found"] = a.main_chain_blocks > 0;
  return util::Status::ok();
}

util::Status run_heterogeneous(Simulation& sim, RunResult& result, const RunOptions& options) {
  Analysis a = run_common(sim, result, options);
  const std::set<crypto::Hash256> main(a.main_chain.begin(), a.main_chain.end());
  std::map<std::size_t, std::uint64_t> blocks_by_miner;
  for (const BlockRecord& b : sim.net().recorder().blocks()) {
    if (main.contains(b.hash)) ++blocks_by_miner[b.miner];
  }
  const double total_rate = sim.net().total_hash_rate();
  CsvTable table({"node", "power_share", "blocks", "block_share", "within_4_sigma"});
  Series points{.name = "miners", .points = {}, .markers = true};
  bool all_within = true;
  double max_share = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    if (sim.net().hash_rate(i) <= 0) continue;
    const double share = sim.net().hash_rate(i) / total_rate;
    const std::uint64_t k = blocks_by_miner[i];
    const bool ok = within_binomial_bound(k, a.main_chain_blocks, share, 4.0);
    all_within = all_within && ok;
    const double block_share =
        a.main_chain_blocks == 0
            ? 0
            : static_cast<double>(k) / static_cast<double>(a.main_chain_blocks);
    max_share = std::max({max_share, share, block_share});
    table.add_row({csv_number(static_cast<double>(i)), csv_number(share),
                   csv_number(static_cast<double>(k)), csv_number(block_share), ok ? "1" : "0"});
    points.points.emplace_back(share, block_share);
  }
  result.tables.emplace_back("shares.csv", std::move(table));
  result.charts.emplace_back(
      "shares.svg",
      render_svg_chart(
          {.title = "Share of main-chain blocks against share of hash power",
           .x_label = "hash power share",
           .y_label = "main-chain block share",
           .x_min = 0,
           .x_max = max_share * 1.05,
           .y_min = 0,
           .y_max = max_share * 1.05},
          {points, Series{.name = "equal shares", .points = {{0, 0}, {max_share, max_share}}}}));
  result.invariants["block_shares_follow_power"] = all_within && a.main_chain_blocks > 0;
  return util::Status::ok();
}

util::Status run_partition(Simulation& sim, RunResult& result, const RunOptions& options) {
  const Scenario& s = sim.scenario();
  if (s.partitions.empty())
    return util::Status::invalid_argument("partition-recovery: no partition");
  const PartitionFault& p = s.partitions.front();
  const double heal_s = p.at_s + p.duration_s;
  const double total = s.duration_s;
  sim.run_until(std::min(heal_s, total), options.progress, 0, std::min(heal_s, total) / total,
                "partitioned");
  // After the heal, step one second at a time until all honest nodes share a tip.
  std::optional<double> converged_after;
  while (sim.simulated_s() < total && !converged_after) {
    sim.run_until(sim.simulated_s() + 1);
    if (sim.tips_agree()) converged_after = sim.simulated_s() - heal_s;
  }
  Analysis a = run_common(sim, result, options);
  result.metrics["partition"] = {{"at_s", p.at_s},
                                 {"duration_s", p.duration_s},
                                 {"groups", p.groups},
                                 {"converged_after_heal_s", converged_after.value_or(-1.0)},
                                 {"bound_s", s.convergence_bound_s}};
  result.invariants["converged_within_bound"] =
      converged_after.has_value() && *converged_after <= s.convergence_bound_s;
  result.invariants["orphans_reported"] = a.orphaned > 0 || p.duration_s < s.block_interval_s;
  Series agreement{.name = "share of honest nodes on the most common tip", .points = {}};
  for (const Sample& sample : sim.samples()) {
    agreement.points.emplace_back(sample.time_s / 60.0, sample.tip_agreement);
  }
  result.charts.emplace_back(
      "tip_agreement.svg",
      render_svg_chart({.title = fmt::format("Tip agreement (partition at {} min for {} min)",
                                             p.at_s / 60, p.duration_s / 60),
                        .x_label = "simulated minutes",
                        .y_label = "share of nodes",
                        .y_min = 0,
                        .y_max = 1.05},
                       {agreement}));
  return util::Status::ok();
}

util::Status run_sharding(Simulation& sim, RunResult& result, const RunOptions& options) {
  run_common(sim, result, options);
  // Reserved: the network has one shard until sharding exists; its invariants join here then.
  result.metrics["shards"] = sim.params().shard_count;
  result.metrics["reserved"] = "sharding adds cross-shard transfers and their invariants";
  return util::Status::ok();
}

}  // namespace qpow::sim
