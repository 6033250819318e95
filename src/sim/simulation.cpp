#include "sim/simulation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "consensus/tx_rules.h"
#include "crypto/signature_scheme.h"
#include "sim/adversary.h"
#include "util/hex.h"

namespace qpow::sim {

namespace {

consensus::ChainParams simulation_params(const Scenario& s) {
  consensus::ChainParams p = consensus::chain_params(primitives::Network::kRegtest);
  p.genesis_bits = kSimGenesisBits;
  p.target_spacing_s = std::max<std::int64_t>(1, std::llround(s.block_interval_s));
  p.asert_half_life_s = 3600;
  p.subsidy_halving_interval = 2'100'000;
  p.genesis_allocations.clear();
  return p;
}

std::vector<double> draw_powers(PowerDistribution d, std::size_t count, Rng& rng) {
  std::vector<double> out(count, 1.0);
  for (std::size_t k = 0; k < count; ++k) {
    switch (d) {
      case PowerDistribution::kUniform:
        break;
      case PowerDistribution::kExponential:
        out[k] = rng.exponential(1.0);
        break;
      // Pareto with alpha = log(5)/log(4) ~ 1.16: the "80/20" shape of mining pools.
      case PowerDistribution::kPareto:
        out[k] = std::pow(1.0 - rng.unit(), -1.0 / 1.161);
        break;
      // A steep ladder: each miner has 0.8 of the previous one's power.
      case PowerDistribution::kGeometric:
        out[k] = std::pow(0.8, static_cast<double>(k));
        break;
    }
  }
  return out;
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed)
    : scenario_(scenario), seed_(seed), rng_(seed), params_(simulation_params(scenario)) {}

Simulation::~Simulation() = default;

util::Result<std::unique_ptr<Simulation>> Simulation::create(const Scenario& scenario,
                                                             std::uint64_t seed,
                                                             std::optional<Extra> extra) {
  QPOW_RETURN_IF_ERROR(validate_scenario(scenario));
  std::unique_ptr<Simulation> sim(new Simulation(scenario, seed));
  Simulation& s = *sim;
  // Accounts: the workload's, and one more that never spends (a forger's victim).
  Rng key_rng = s.rng_.fork(1);
  for (std::size_t a = 0; a <= scenario.accounts; ++a) {
    util::Bytes key_seed(32);
    for (auto& b : key_seed) b = static_cast<std::uint8_t>(key_rng.next());
    QPOW_ASSIGN_OR_RETURN(crypto::KeyPair kp, crypto::keygen(crypto::kDefaultScheme, key_seed));
    Account account;
    account.address = primitives::Address::from_public_key(crypto::kDefaultScheme, kp.public_key);
    account.public_key = kp.public_key;
    account.secret_key = std::move(kp.secret_key);
    s.params_.genesis_allocations.push_back(
        {.address = account.address, .amount = kSimAccountBalance});
    s.accounts_.push_back(std::move(account));
  }

  const std::size_t n = scenario.nodes + (extra ? 1 : 0);
  if (extra) s.extra_node_ = n - 1;
  s.behavior_.assign(n, std::nullopt);
  Rng role_rng = s.rng_.fork(2);
  std::vector<std::size_t> order(scenario.nodes);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  role_rng.shuffle(order);
  std::size_t next = 0;
  SimNetworkConfig config;
  config.nodes.resize(n);
  for (const AdversarySpec& a : scenario.adversaries) {
    for (std::size_t k = 0; k < a.count; ++k, ++next) {
      s.behavior_[order[next]] = a.behavior;
      config.nodes[order[next]].power = a.power;
    }
  }
  // Honest miners: all honest nodes, or the first `miners` of the shuffled order.
  std::vector<std::size_t> miners;
  for (std::size_t k = next; k < order.size(); ++k) {
    if (scenario.miners == 0 || miners.size() < scenario.miners) miners.push_back(order[k]);
  }
  std::sort(miners.begin(), miners.end());
  Rng power_rng = s.rng_.fork(3);
  const std::vector<double> powers = draw_powers(scenario.power, miners.size(), power_rng);
  for (std::size_t k = 0; k < miners.size(); ++k) config.nodes[miners[k]].power = powers[k];
  if (extra) {
    config.nodes[n - 1].power = extra->power;
    config.nodes[n - 1].boost = extra->boost;
  }
  Rng skew_rng = s.rng_.fork(4);
  for (auto& spec : config.nodes) {
    if (scenario.clock_skew_ms > 0) {
      spec.clock_skew_ms = std::llround((skew_rng.unit() * 2 - 1) * scenario.clock_skew_ms);
    }
  }
  Rng topo_rng = s.rng_.fork(5);
  QPOW_ASSIGN_OR_RETURN(std::vector<Link> links,
                        make_topology(scenario.topology, scenario.nodes, topo_rng));
  if (extra) {
    // The extra node links to `degree` honest nodes chosen at random.
    std::vector<std::size_t> all(scenario.nodes);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    topo_rng.shuffle(all);
    for (std::size_t k = 0; k < std::min(scenario.topology.degree, all.size()); ++k) {
      links.push_back({.from = n - 1, .to = all[k]});
    }
  }
  for (Link l : links) {
    // An adversary opens its own links, so that honest nodes can ban it as an inbound peer.
    if (!s.honest(l.to) && s.honest(l.from)) std::swap(l.from, l.to);
    config.nodes[l.from].connect_to.push_back(l.to);
  }
  config.params = s.params_;
  config.start_ms = (s.params_.genesis_time + 600) * 1000;
  config.link = scenario.link;
  config.node_config.outbound_full_target = 0;
  config.node_config.block_relay_target = 0;
  config.node_config.inbound_max = n;  // never the limit: a node has at most n - 1 peers
  config.seed = s.rng_.fork(6).next();
  QPOW_ASSIGN_OR_RETURN(s.net_, SimNetwork::create(std::move(config)));
  // The network copied the parameters; keep using its copy so that pointers stay valid.
  AdversaryContext context{.params = &s.net_->config().params,
                           .victim = s.accounts_.back().address,
                           .victim_public_key = s.accounts_.back().public_key,
                           .public_height = [&s] {
                             std::uint64_t best = 0;
                             for (std::size_t i : s.honest_nodes()) {
                               if (s.net_->up(i)) {
                                 best =
                                     std::max(best, s.net_->node(i)->chainstate().tip().height());
                               }
                             }
                             return best;
                           }};
  for (std::size_t i = 0; i < scenario.nodes; ++i) {
    if (!s.behavior_[i]) continue;
    std::shared_ptr<Adversary> adv = make_adversary(*s.behavior_[i], context);
    s.net_->set_hooks(i, adv);
    s.adversaries_.emplace_back(i, adv);
  }
  s.schedule_adversaries();
  s.schedule_workload();
  s.schedule_faults();
  s.schedule_samples();
  return sim;
}

std::vector<std::size_t> Simulation::honest_nodes() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < size(); ++i) {
    if (honest(i)) out.push_back(i);
  }
  return out;
}

double Simulation::simulated_s() const {
  return static_cast<double>(net_->scheduler().now_us()) / 1e6;
}

const primitives::Address& Simulation::account_address(std::size_t a) const {
  return accounts_[a].address;
}

util::Result<primitives::Transaction> Simulation::transfer(std::size_t from,
                                                           const primitives::Address& to,
                                                           std::uint64_t amount, bool bump) {
  Account& account = accounts_[from];
  primitives::Transaction tx;
  tx.chain_id = params_.chain_id;
  tx.sender = account.address;
  tx.nonce = account.next_nonce;
  tx.recipient = to;
  tx.amount = amount;
  const primitives::TxSigner signer{.scheme = crypto::kDefaultScheme,
                                    .secret_key = account.secret_key.span(),
                                    .public_key = account.public_key,
                                    .include_public_key = tx.nonce == 0,
                                    .mode = crypto::SigningMode::kDeterministic};
  // The fee depends on the size, which the signature does not change (fixed length).
  QPOW_RETURN_IF_ERROR(primitives::sign_tx(tx, signer));
  tx.fee = consensus::min_fee(params_, primitives::tx_size(tx)) * 2;
  QPOW_RETURN_IF_ERROR(primitives::sign_tx(tx, signer));
  if (bump) ++account.next_nonce;
  return tx;
}

// ---- scheduled activity ----

void Simulation::schedule_workload() {
  if (scenario_.tx_rate <= 0) return;
  const double delay_s = rng_.exponential(scenario_.tx_rate);
  net_->scheduler().after(static_cast<std::uint64_t>(delay_s * 1e6), [this] {
    if (workload_stopped_) return;
    submit_random_tx();
    schedule_workload();
  });
}

void Simulation::submit_random_tx() {
  // The workload's accounts are all but the last (the victim); each sends in turn so that one
  // account's transactions are spaced out.
  const std::size_t spenders = accounts_.size() - 1;
  const std::size_t from = static_cast<std::size_t>(txs_submitted_ % spenders);
  std::size_t to = static_cast<std::size_t>(rng_.below(spenders - 1));
  if (to >= from) ++to;
  const std::vector<std::size_t> honest = honest_nodes();
  const std::size_t target = honest[rng_.below(honest.size())];
  node::Node* node = net_->node(target);
  if (node == nullptr) return;
  auto tx = transfer(from, accounts_[to].address, consensus::kCoin + rng_.below(consensus::kCoin));
  if (!tx.is_ok()) return;
  ++txs_submitted_;
  (void)node->submit_transaction(*tx);
}

void Simulation::schedule_faults() {
  Scheduler& sched = net_->scheduler();
  for (const PartitionFault& p : scenario_.partitions) {
    sched.at(static_cast<std::uint64_t>(p.at_s * 1e6), [this, p] {
      // Random groups of (nearly) equal size.
      std::vector<std::size_t> order(size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      Rng group_rng = rng_.fork(7);
      group_rng.shuffle(order);
      std::vector<std::uint32_t> groups(size());
      for (std::size_t k = 0; k < order.size(); ++k) {
        groups[order[k]] = static_cast<std::uint32_t>(k % p.groups) + 1;
      }
      net_->partition(groups);
    });
    sched.at(static_cast<std::uint64_t>((p.at_s + p.duration_s) * 1e6), [this] { net_->heal(); });
  }
  for (const CrashFault& c : scenario_.crashes) {
    sched.at(static_cast<std::uint64_t>(c.at_s * 1e6), [this, c] { net_->crash(c.node); });
    sched.at(static_cast<std::uint64_t>((c.at_s + c.down_s) * 1e6), [this, c] {
      util::Status s = net_->restart(c.node, c.keep_state);
      if (!s.is_ok()) restart_failures_.push_back(s.to_string());
    });
  }
}

void Simulation::schedule_adversaries() {
  if (adversaries_.empty()) return;
  net_->scheduler().after(kAdversaryTickMs * 1000, [this] {
    for (auto& [node, adversary] : adversaries_) {
      if (net_->up(node)) adversary->tick(*net_, node);
    }
    schedule_adversaries();
  });
}

void Simulation::schedule_samples() {
  net_->scheduler().after(static_cast<std::uint64_t>(kSampleIntervalS * 1e6), [this] {
    take_sample();
    schedule_samples();
  });
}

void Simulation::take_sample() {
  Sample s;
  s.time_s = simulated_s();
  std::map<crypto::Hash256, std::size_t> tips;
  std::size_t up = 0;
  for (std::size_t i : honest_nodes()) {
    node::Node* n = net_->node(i);
    if (n == nullptr) continue;
    ++up;
    s.best_height = std::max(s.best_height, n->chainstate().tip().height());
    ++tips[n->chainstate().tip().hash];
  }
  std::size_t most = 0;
  for (const auto& [hash, count] : tips) most = std::max(most, count);
  s.tip_agreement = up == 0 ? 0 : static_cast<double>(most) / static_cast<double>(up);
  s.messages = net_->recorder().messages_total();
  s.bytes = net_->recorder().bytes_total();
  samples_.push_back(s);
}

void Simulation::run_until(double until_s, const ProgressFn& progress, double base, double span,
                           const std::string& stage) {
  const double start = simulated_s();
  const double chunk = std::max(1.0, (until_s - start) / 100.0);
  for (double t = start; t < until_s;) {
    t = std::min(until_s, t + chunk);
    net_->run_until(static_cast<std::uint64_t>(t * 1e6));
    if (progress) {
      progress({.fraction = base + span * (until_s > start ? (t - start) / (until_s - start) : 1),
                .simulated_s = t,
                .events = net_->scheduler().executed(),
                .stage = stage});
    }
  }
}

Analysis Simulation::settle_and_analyse(const ProgressFn& progress) {
  workload_stopped_ = true;
  // Adversaries stop at once; honest miners go on until the honest nodes share a tip (two blocks
  // found at once leave an equal-work tie that only the next block settles), then stop, and the
  // last messages land.
  for (std::size_t i = 0; i < size(); ++i) {
    if (!honest(i)) net_->set_mining_paused(i, true);
  }
  const double deadline = simulated_s() + kSettleMaxS;
  while (simulated_s() < deadline) {
    run_until(simulated_s() + 1);
    if (!tips_agree()) continue;
    for (std::size_t i : honest_nodes()) net_->set_mining_paused(i, true);
    run_until(simulated_s() + kSettleS, progress, 1, 0, "settling");
    if (tips_agree()) break;
    for (std::size_t i : honest_nodes()) net_->set_mining_paused(i, false);
  }
  for (std::size_t i = 0; i < size(); ++i) net_->set_mining_paused(i, true);
  return analyse();
}

bool Simulation::tips_agree() {
  std::optional<crypto::Hash256> tip;
  for (std::size_t i : honest_nodes()) {
    node::Node* n = net_->node(i);
    if (n == nullptr) continue;
    if (tip && *tip != n->chainstate().tip().hash) return false;
    tip = n->chainstate().tip().hash;
  }
  return true;
}

std::string Simulation::event_log_hex() const {
  return util::to_hex(net_->event_log_hash());
}

}  // namespace qpow::sim
