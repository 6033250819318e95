// The end-of-run analysis and the standard tables and charts of a Simulation.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/simulation.h"
#include "sim/stats.h"
#include "util/hex.h"

namespace qpow::sim {

Analysis Simulation::analyse() {
  Analysis a;
  const Recorder& rec = net_->recorder();
  std::map<crypto::Hash256, std::size_t> tips;
  std::map<crypto::Hash256, std::size_t> holder;
  std::size_t up = 0;
  for (std::size_t i : honest_nodes()) {
    node::Node* n = net_->node(i);
    if (n == nullptr) continue;
    ++up;
    const crypto::Hash256& tip = n->chainstate().tip().hash;
    ++tips[tip];
    holder.emplace(tip, i);
  }
  // The most common tip; ties go to the lower hash (the map's order).
  std::size_t most = 0;
  for (const auto& [hash, count] : tips) {
    if (count > most) {
      most = count;
      a.tip = hash;
    }
  }
  a.converged = up > 0 && most == up;
  std::set<crypto::Hash256> main;
  if (most > 0) {
    const chain::Chainstate& chain = net_->node(holder.at(a.tip))->chainstate();
    a.height = chain.tip().height();
    for (const chain::BlockIndexEntry* e = &chain.tip(); e != nullptr; e = e->parent) {
      main.insert(e->hash);
      a.main_chain.push_back(e->hash);
    }
    std::reverse(a.main_chain.begin(), a.main_chain.end());
  }
  const std::vector<std::size_t> honest_list = honest_nodes();
  for (const BlockRecord& b : rec.blocks()) {
    ++a.blocks_found;
    if (!main.contains(b.hash)) {
      ++a.orphaned;
      continue;
    }
    ++a.main_chain_blocks;
    a.txs_confirmed += b.tx_count;
    for (std::size_t i : honest_list) {
      if (i == b.miner || b.adopted_us[i] == kNever) continue;
      a.propagation_ms.push_back(static_cast<double>(b.adopted_us[i] - b.found_us) / 1000.0);
    }
  }
  for (const Reorg& r : rec.reorgs()) {
    if (!honest(r.node)) continue;
    ++a.reorgs;
    a.max_reorg_depth = std::max(a.max_reorg_depth, r.depth);
  }
  a.messages_per_block = a.blocks_found == 0 ? 0
                                             : static_cast<double>(rec.messages_total()) /
                                                   static_cast<double>(a.blocks_found);
  const double hours = simulated_s() / 3600.0;
  a.bytes_per_node_per_hour =
      hours <= 0 ? 0 : static_cast<double>(rec.bytes_total()) / static_cast<double>(size()) / hours;
  return a;
}

namespace {

// The time every honest node had adopted `b` (kNever if one never did).
std::uint64_t adopted_by_all(const BlockRecord& b, const std::vector<std::size_t>& honest) {
  std::uint64_t last = 0;
  for (std::size_t i : honest) {
    if (b.adopted_us[i] == kNever) return kNever;
    last = std::max(last, b.adopted_us[i]);
  }
  return last;
}

}  // namespace

void Simulation::add_standard_outputs(
    const Analysis& a, std::vector<std::pair<std::string, CsvTable>>& tables,
    std::vector<std::pair<std::string, std::string>>& charts) const {
  const Recorder& rec = net_->recorder();
  const std::vector<std::size_t> honest = honest_nodes();
  std::set<crypto::Hash256> main(a.main_chain.begin(), a.main_chain.end());

  CsvTable series({"time_s", "best_height", "tip_agreement", "messages", "bytes"});
  for (const Sample& s : samples_) {
    series.add_row({csv_number(s.time_s), csv_number(static_cast<double>(s.best_height)),
                    csv_number(s.tip_agreement), csv_number(static_cast<double>(s.messages)),
                    csv_number(static_cast<double>(s.bytes))});
  }
  tables.emplace_back("timeseries.csv", std::move(series));

  CsvTable blocks({"hash", "height", "miner", "found_s", "txs", "main_chain", "nodes_adopted",
                   "p50_ms", "p90_ms", "max_ms"});
  for (const BlockRecord& b : rec.blocks()) {
    std::vector<double> delays;
    for (std::size_t i : honest) {
      if (i != b.miner && b.adopted_us[i] != kNever) {
        delays.push_back(static_cast<double>(b.adopted_us[i] - b.found_us) / 1000.0);
      }
    }
    blocks.add_row({util::to_hex(b.hash).substr(0, 16), csv_number(static_cast<double>(b.height)),
                    csv_number(static_cast<double>(b.miner)),
                    csv_number(static_cast<double>(b.found_us) / 1e6),
                    csv_number(static_cast<double>(b.tx_count)), main.contains(b.hash) ? "1" : "0",
                    csv_number(static_cast<double>(delays.size())),
                    csv_number(percentile(delays, 50)), csv_number(percentile(delays, 90)),
                    csv_number(percentile(delays, 100))});
  }
  tables.emplace_back("blocks.csv", std::move(blocks));

  // Windows for rates over time.
  const double run_s = std::max(1.0, scenario_.duration_s);
  const double window = std::max(60.0, run_s / 24.0);
  const auto windows = static_cast<std::size_t>(std::ceil(run_s / window));
  std::vector<double> found(windows, 0), orphaned(windows, 0), txs(windows, 0);
  std::vector<std::pair<double, double>> finality;
  std::map<std::uint64_t, const BlockRecord*> main_by_height;
  for (const BlockRecord& b : rec.blocks()) {
    if (main.contains(b.hash)) main_by_height[b.height] = &b;
  }
  for (const BlockRecord& b : rec.blocks()) {
    const auto w = std::min(
        windows - 1, static_cast<std::size_t>(static_cast<double>(b.found_us) / 1e6 / window));
    found[w] += 1;
    if (!main.contains(b.hash)) {
      orphaned[w] += 1;
      continue;
    }
    txs[w] += static_cast<double>(b.tx_count);
    auto deeper = main_by_height.find(b.height + kFinalityDepth);
    if (deeper == main_by_height.end()) continue;
    const std::uint64_t all = adopted_by_all(*deeper->second, honest);
    if (all != kNever) {
      finality.emplace_back(static_cast<double>(b.found_us) / 1e6,
                            static_cast<double>(all - b.found_us) / 1e6);
    }
  }
  CsvTable rates(
      {"window_start_s", "blocks_found", "orphaned", "fork_rate", "txs_confirmed", "tx_per_s"});
  Series fork_series{.name = "orphaned / found", .points = {}, .markers = true};
  Series tps_series{.name = "confirmed tx/s", .points = {}, .markers = true};
  for (std::size_t w = 0; w < windows; ++w) {
    const double start = static_cast<double>(w) * window;
    const double rate = found[w] > 0 ? orphaned[w] / found[w] : 0;
    rates.add_row({csv_number(start), csv_number(found[w]), csv_number(orphaned[w]),
                   csv_number(rate), csv_number(txs[w]), csv_number(txs[w] / window)});
    fork_series.points.emplace_back(start / 60.0, rate);
    tps_series.points.emplace_back(start / 60.0, txs[w] / window);
  }
  tables.emplace_back("rates.csv", std::move(rates));

  std::vector<std::pair<double, double>> cdf = empirical_cdf(a.propagation_ms, 400);
  charts.emplace_back(
      "propagation_cdf.svg",
      render_svg_chart({.title = "Block propagation: time until a node adopts a block",
                        .x_label = "milliseconds after the block was found",
                        .y_label = "fraction of (block, node) pairs",
                        .log_x = true,
                        .step = true},
                       {Series{.name = "main-chain blocks", .points = cdf}}));
  charts.emplace_back("fork_rate.svg",
                      render_svg_chart({.title = "Fork rate: orphaned share of found blocks",
                                        .x_label = "simulated minutes",
                                        .y_label = "orphaned / found"},
                                       {fork_series}));
  charts.emplace_back(
      "throughput.svg",
      render_svg_chart({.title = "Throughput: transactions confirmed on the main chain",
                        .x_label = "simulated minutes",
                        .y_label = "transactions per second"},
                       {tps_series}));
  for (auto& p : finality) p.first /= 60.0;
  charts.emplace_back(
      "finality.svg",
      render_svg_chart({.title = fmt::format("Time until a block is {} deep at every honest node",
                                             kFinalityDepth),
                        .x_label = "block found at (simulated minutes)",
                        .y_label = "seconds"},
                       {Series{.name = "main-chain blocks", .points = finality, .markers = true}}));
}

}  // namespace qpow::sim
