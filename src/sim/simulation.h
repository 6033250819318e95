// Simulation: a SimNetwork built from a Scenario, with what every scenario shares: the simulation
// chain's parameters, funded accounts and a transaction workload, the topology and hash-power
// distribution, scheduled faults, adversarial nodes, periodic samples, the progress callback and
// the end-of-run analysis (main chain, orphans, propagation, reorgs, traffic, convergence).
//
// The simulation chain is regtest with the scenario's block interval, a genesis difficulty of a
// few hundred hashes per block (so real proofs of work stay cheap) below a pow limit that leaves
// ASERT room to move either way, a one-hour ASERT half-life, and genesis allocations for the
// workload's accounts, whose ML-DSA-65 keys derive from the seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "consensus/chain_params.h"
#include "crypto/secure_memory.h"
#include "crypto/sha3.h"
#include "primitives/transaction.h"
#include "sim/chart.h"
#include "sim/scenario.h"
#include "sim/sim_network.h"
#include "util/result.h"

namespace qpow::sim {

class Adversary;

inline constexpr std::uint32_t kSimGenesisBits = 0x2000ffff;  // 2^248: 256 hashes a block
inline constexpr std::uint64_t kSimAccountBalance = 1'000'000 * consensus::kCoin;
inline constexpr double kSampleIntervalS = 60;
// At the end of a run: the honest network gets up to kSettleMaxS to agree on a tip, then mining
// stops and kSettleS pass for the last messages to land before the analysis.
inline constexpr double kSettleS = 30;
inline constexpr double kSettleMaxS = 600;
inline constexpr std::uint64_t kFinalityDepth = 6;

struct Progress {
  double fraction = 0;  // of the whole run, 0..1
  double simulated_s = 0;
  std::uint64_t events = 0;
  std::string stage;
};
using ProgressFn = std::function<void(const Progress&)>;

struct Sample {
  double time_s = 0;
  std::uint64_t best_height = 0;  // highest tip among honest nodes
  double tip_agreement = 0;       // share of honest up nodes on the most common tip
  std::uint64_t messages = 0;     // sent so far
  std::uint64_t bytes = 0;
};

// What the end-of-run analysis finds.
struct Analysis {
  bool converged = false;  // every honest up node has the same tip
  crypto::Hash256 tip{};
  std::uint64_t height = 0;
  std::uint64_t blocks_found = 0;
  std::uint64_t main_chain_blocks = 0;  // found during the run and on the final main chain
  std::uint64_t orphaned = 0;
  std::uint64_t txs_confirmed = 0;
  std::uint64_t reorgs = 0;
  std::uint64_t max_reorg_depth = 0;
  std::vector<double> propagation_ms;  // main-chain block x honest node, excluding its miner
  double messages_per_block = 0;
  double bytes_per_node_per_hour = 0;
  std::vector<crypto::Hash256> main_chain;  // genesis first
};

class Simulation {
 public:
  // adversaries: the scenario's adversary list is applied; `extra_power` lets a scenario add a
  // node of its own (the quantum attacker) with the given power and boost as the last node.
  struct Extra {
    double power = 0;
    double boost = 1;
  };
  static util::Result<std::unique_ptr<Simulation>> create(const Scenario& scenario,
                                                          std::uint64_t seed,
                                                          std::optional<Extra> extra = {});
  ~Simulation();

  SimNetwork& net() { return *net_; }
  const SimNetwork& net() const { return *net_; }
  const Scenario& scenario() const { return scenario_; }
  const consensus::ChainParams& params() const { return params_; }
  std::size_t size() const { return net_->size(); }
  bool honest(std::size_t i) const { return !behavior_[i].has_value() && i != extra_node_; }
  std::optional<Behavior> behavior(std::size_t i) const { return behavior_[i]; }
  std::vector<std::size_t> honest_nodes() const;
  std::optional<std::size_t> extra_node() const {
    return extra_node_ < size() ? std::optional<std::size_t>(extra_node_) : std::nullopt;
  }
  double simulated_s() const;

  // Runs the workload, faults, adversaries and samples up to virtual time until_s, reporting
  // progress as base + span * (time / until_s) of the whole run.
  void run_until(double until_s, const ProgressFn& progress = {}, double base = 0, double span = 1,
                 const std::string& stage = "");
  // Stops the workload and the adversaries, lets honest mining settle any tie at the tip, stops
  // it, lets in-flight messages land, then analyses the network.
  Analysis settle_and_analyse(const ProgressFn& progress = {});
  Analysis analyse();
  // Every honest node that is up has the same tip.
  bool tips_agree();

  const std::vector<Sample>& samples() const { return samples_; }

  // Transactions of the workload's accounts.
  // The workload's accounts are 0 .. accounts()-1; account accounts() is funded but never spends
  // (a forger's victim).
  std::size_t accounts() const { return accounts_.size() - 1; }
  const primitives::Address& account_address(std::size_t a) const;
  const util::Bytes& account_public_key(std::size_t a) const { return accounts_[a].public_key; }
  // A signed transfer from account `from` with its next nonce (advanced when bump is true). The
  // signature uses ML-DSA's deterministic variant, so a run's transactions follow from its seed.
  util::Result<primitives::Transaction> transfer(std::size_t from, const primitives::Address& to,
                                                 std::uint64_t amount, bool bump = true);
  std::uint64_t txs_submitted() const { return txs_submitted_; }

  // The standard CSV tables and charts of a run (timeseries, propagation CDF, fork rate,
  // throughput, finality).
  void add_standard_outputs(const Analysis& analysis,
                            std::vector<std::pair<std::string, CsvTable>>& tables,
                            std::vector<std::pair<std::string, std::string>>& charts) const;

  std::string event_log_hex() const;

  // The adversarial nodes and their behaviours, by node index.
  const std::vector<std::pair<std::size_t, std::shared_ptr<Adversary>>>& adversaries() const {
    return adversaries_;
  }
  // Restarts (scheduled crashes) that failed to reopen their node, as error text.
  const std::vector<std::string>& restart_failures() const { return restart_failures_; }

 private:
  struct Account {
    primitives::Address address{};
    util::Bytes public_key;
    crypto::SecretBytes secret_key;
    std::uint64_t next_nonce = 0;
  };
  Simulation(const Scenario& scenario, std::uint64_t seed);
  void schedule_workload();
  void schedule_faults();
  void schedule_samples();
  void schedule_adversaries();
  void submit_random_tx();
  void take_sample();

  Scenario scenario_;
  std::uint64_t seed_;
  Rng rng_;
  consensus::ChainParams params_;
  std::unique_ptr<SimNetwork> net_;
  std::vector<std::optional<Behavior>> behavior_;
  std::size_t extra_node_ = SIZE_MAX;
  std::vector<Account> accounts_;
  std::uint64_t txs_submitted_ = 0;
  std::vector<Sample> samples_;
  std::vector<std::pair<std::size_t, std::shared_ptr<Adversary>>> adversaries_;
  bool workload_stopped_ = false;
  std::vector<std::string> restart_failures_;
};

}  // namespace qpow::sim
