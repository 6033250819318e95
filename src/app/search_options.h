// Internal to the app layer: the nonce-search options `qpow mine` and `qpow bench mine` share
// (--strategy, --threads and omega-prm's tuning knobs), and turning them into a validated
// mining::NonceSearch. Parameters from the user go through the checked constructors, so a value
// out of range is a one-line usage error naming the option, never a silent clamp.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "mining/nonce_search.h"
#include "runtime/thread_pool.h"
#include "util/result.h"
#include "util/status.h"

namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

namespace qpow::app {

inline constexpr std::size_t kMineThreadsMin = 1;
// The thread pool's own bound (runtime/thread_pool.h).
inline constexpr std::size_t kMineThreadsMax = runtime::ThreadPool::kThreadsMax;

struct SearchOptions {
  std::string strategy = "linear";
  std::size_t threads = 1;
  mining::OmegaPrmParams omega;
  CLI::Option* strategy_opt = nullptr;
  // The omega-prm options the user gave (a linear search refuses them).
  CLI::Option* exploration_opt = nullptr;
  CLI::Option* branching_opt = nullptr;
  CLI::Option* batch_opt = nullptr;
  CLI::Option* prune_opt = nullptr;
};

// For options of unsigned type: CLI11 would read "-3" as 2^64 - 3; this refuses it by name.
const CLI::Validator& non_negative();

// Adds --strategy, --threads, --exploration, --branching-bits, --batch and --prune-threshold.
void add_search_options(CLI::App& cmd, SearchOptions& options);

// --threads within [kMineThreadsMin, kMineThreadsMax].
util::Status check_threads(std::size_t threads);

// The omega-prm options the user gave: each within its range for --strategy omega-prm, none at
// all for another strategy. Errors name the option.
util::Status check_strategy_options(const SearchOptions& options);

// The search `strategy` ("linear" or "omega-prm"; an error naming --strategy otherwise) with the
// options' omega-prm parameters (already checked by check_strategy_options).
util::Result<std::unique_ptr<mining::NonceSearch>> make_search_from(const SearchOptions& options,
                                                                    std::string_view strategy);

}  // namespace qpow::app
