#include "app/search_options.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace qpow::app {

using util::Result;
using util::Status;

const CLI::Validator& non_negative() {
  static const CLI::Validator validator(
      [](const std::string& input) {
        return input.starts_with('-') ? "'" + input + "' is negative" : std::string();
      },
      "", "NON-NEGATIVE");
  return validator;
}

void add_search_options(CLI::App& cmd, SearchOptions& o) {
  o.strategy_opt = cmd.add_option("--strategy", o.strategy, "Nonce search: linear or omega-prm")
                       ->capture_default_str();
  cmd.add_option("--threads", o.threads,
                 fmt::format("Mining threads, {}..{}", kMineThreadsMin, kMineThreadsMax))
      ->capture_default_str()
      ->check(non_negative());
  o.exploration_opt =
      cmd.add_option("--exploration", o.omega.exploration, "omega-prm: UCB1 exploration weight c")
          ->capture_default_str();
  o.branching_opt = cmd.add_option("--branching-bits", o.omega.branching_bits,
                                   "omega-prm: an expansion splits a range into 2^b children")
                        ->capture_default_str()
                        ->check(non_negative());
  o.batch_opt =
      cmd.add_option("--batch", o.omega.batch_nonces, "omega-prm: nonces hashed per simulation")
          ->capture_default_str()
          ->check(non_negative());
  o.prune_opt = cmd.add_option("--prune-threshold", o.omega.prune_threshold,
                               "omega-prm: prune a branch whose mean reward falls below this")
                    ->capture_default_str();
}

Status check_threads(std::size_t threads) {
  if (threads < kMineThreadsMin || threads > kMineThreadsMax) {
    return Status::out_of_range(fmt::format("--threads: {} is out of range; use {}..{}", threads,
                                            kMineThreadsMin, kMineThreadsMax));
  }
  return Status::ok();
}

Status check_strategy_options(const SearchOptions& o) {
  if (o.strategy == "omega-prm") {
    // Each option on its own against the defaults, so the error names the option the user typed.
    const auto check = [](const CLI::Option* opt, auto set) -> Status {
      if (opt->count() == 0) return Status::ok();
      mining::OmegaPrmParams params;
      set(params);
      return mining::check_omega_prm_params(params).with_context(opt->get_name());
    };
    const mining::OmegaPrmParams& w = o.omega;
    for (const Status& s :
         {check(o.exploration_opt, [&w](auto& p) { p.exploration = w.exploration; }),
          check(o.branching_opt, [&w](auto& p) { p.branching_bits = w.branching_bits; }),
          check(o.batch_opt, [&w](auto& p) { p.batch_nonces = w.batch_nonces; }),
          check(o.prune_opt, [&w](auto& p) { p.prune_threshold = w.prune_threshold; })}) {
      if (!s.is_ok()) return s;
    }
    return Status::ok();
  }
  for (const CLI::Option* opt : {o.exploration_opt, o.branching_opt, o.batch_opt, o.prune_opt}) {
    if (opt->count() > 0) {
      return Status::invalid_argument(
          fmt::format("{} applies only to --strategy omega-prm", opt->get_name()));
    }
  }
  return Status::ok();
}

Result<std::unique_ptr<mining::NonceSearch>> make_search_from(const SearchOptions& o,
                                                              std::string_view strategy) {
  if (strategy == "omega-prm") {
    Result<std::unique_ptr<mining::NonceSearch>> search =
        mining::make_omega_prm_search_checked(o.omega);
    if (!search.is_ok()) return search.status();
    return search;
  }
  Result<std::unique_ptr<mining::NonceSearch>> search = mining::make_search(strategy);
  if (!search.is_ok()) return search.status().with_context("--strategy");
  return search;
}

}  // namespace qpow::app
