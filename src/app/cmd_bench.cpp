// `qpow bench mine`: measure the nonce-search strategies (docs/mining.md).
//
//   qpow bench mine [--strategy S] [--threads N] [--seconds T] [--json] [omega-prm options]
//       hash rate: one search for an unreachable target (0) runs for T seconds
//   qpow bench mine --compare [--puzzles K] [--difficulty-bits D] [--threads N] [--seed S]
//                   [--json] [omega-prm options]
//       both strategies solve the same K puzzles of difficulty D (target 2^(256-D) - 1); per
//       strategy the mean hashes and seconds to a solution with 95% intervals, the hash rate and
//       a chi-square test against the geometric distribution (mining/stats.h); then the ratio of
//       the means, omega-prm over linear
//
// --json prints exactly one JSON object; otherwise a table. Exit codes: 0 success, 1 the run
// failed, 2 a malformed argument; errors are one line.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.h"
#include "app/search_options.h"
#include "crypto/sha3.h"
#include "mining/nonce_search.h"
#include "mining/stats.h"
#include "runtime/thread_pool.h"
#include "util/bytes.h"
#include "util/uint256.h"

namespace qpow::app {
namespace {

using Json = nlohmann::ordered_json;
using util::Result;
using util::Status;

// A day: long enough for any soak run, short enough that a typo does not run for a year.
constexpr double kSecondsMax = 86'400;
// Two puzzles are the fewest that give a spread, hence a confidence interval.
constexpr std::uint64_t kPuzzlesMin = 2;
constexpr std::uint64_t kPuzzlesMax = 1'000'000;
constexpr unsigned kDifficultyBitsMin = 1;
// A puzzle of D bits takes 2^D hashes on average: at 40 bits that is about 10^12, hours to days
// per puzzle on a desktop CPU. Beyond it a comparison of many puzzles could not finish.
constexpr unsigned kDifficultyBitsMax = 40;

constexpr std::string_view kRateDomain = "qpow/bench/mine";
constexpr std::string_view kCompareDomain = "qpow/bench/compare";
constexpr std::string_view kStrategies[] = {"linear", "omega-prm"};
// The index of the warm-up puzzle, far above kPuzzlesMax so it is never a measured one.
constexpr std::uint64_t kWarmupPuzzle = UINT64_MAX;
static_assert(kWarmupPuzzle >= kPuzzlesMax);

struct BenchMineOptions {
  SearchOptions search;
  double seconds = 10;
  bool json = false;
  bool compare = false;
  std::uint64_t puzzles = 200;
  unsigned difficulty_bits = 10;
  std::uint64_t seed = 1;
  CLI::Option* seconds_opt = nullptr;
  CLI::Option* puzzles_opt = nullptr;
  CLI::Option* difficulty_opt = nullptr;
  CLI::Option* seed_opt = nullptr;
};

void absorb_u64(crypto::Shake256& xof, std::uint64_t v) {
  std::array<std::uint8_t, 8> le{};
  for (std::size_t i = 0; i < le.size(); ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  xof.absorb(le);
}

// Raises `stop` after `after` unless destroyed first; the destructor joins its thread.
class StopTimer {
 public:
  StopTimer(mining::StopSignal& stop, std::chrono::duration<double> after)
      : thread_([this, &stop, after] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, after, [this] { return cancelled_; })) stop.request_stop();
        }) {}
  ~StopTimer() {
    {
      const std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  StopTimer(const StopTimer&) = delete;
  StopTimer& operator=(const StopTimer&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool cancelled_ = false;  // guarded by mutex_
  std::thread thread_;      // last: starts once the members above exist
};

// ---- hash rate ---------------------------------------------------------------------------------

Status check_rate_form(const BenchMineOptions& o) {
  for (const CLI::Option* opt : {o.puzzles_opt, o.difficulty_opt, o.seed_opt}) {
    if (opt->count() > 0) {
      return Status::invalid_argument(fmt::format("{} applies only to --compare", opt->get_name()));
    }
  }
  if (!(o.seconds > 0 && o.seconds <= kSecondsMax)) {
    return Status::out_of_range(fmt::format(
        "--seconds: {} is out of range; use more than 0, at most {}", o.seconds, kSecondsMax));
  }
  QPOW_RETURN_IF_ERROR(check_threads(o.search.threads));
  return check_strategy_options(o.search);
}

Json run_rate(mining::NonceSearch& search, runtime::ThreadPool& pool, double seconds) {
  mining::Work work;  // target 0: no hash meets it, so only the timer ends the search
  crypto::Shake256 xof;
  xof.absorb(util::as_bytes(kRateDomain));
  xof.squeeze(work.fixed);
  mining::StopSignal stop;
  mining::SearchCounters counters;
  const auto start = std::chrono::steady_clock::now();
  {
    const StopTimer timer(stop, std::chrono::duration<double>(seconds));
    (void)search.search(work, pool.concurrency(), pool, stop, counters);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  const std::uint64_t hashes = counters.hashes.load();
  Json j;
  j["strategy"] = std::string(search.name());
  j["threads"] = pool.concurrency();
  j["hashes"] = hashes;
  j["seconds"] = elapsed.count();
  j["hashes_per_second"] = static_cast<double>(hashes) / elapsed.count();
  if (search.name() == "omega-prm") {
    j["tree_nodes"] = counters.tree_nodes.load();
    j["prunes"] = counters.prunes.load();
  }
  return j;
}

void print_rate_table(const Json& j, std::ostream& out) {
  out << fmt::format("{:<18} {}\n", "strategy", j["strategy"].get<std::string>());
  out << fmt::format("{:<18} {}\n", "threads", j["threads"].get<std::size_t>());
  out << fmt::format("{:<18} {}\n", "hashes", j["hashes"].get<std::uint64_t>());
  out << fmt::format("{:<18} {:.3f}\n", "seconds", j["seconds"].get<double>());
  out << fmt::format("{:<18} {:.0f}\n", "hashes_per_second", j["hashes_per_second"].get<double>());
  for (const char* key : {"tree_nodes", "prunes"}) {
    if (j.contains(key)) out << fmt::format("{:<18} {}\n", key, j[key].get<std::uint64_t>());
  }
}

// ---- comparison --------------------------------------------------------------------------------

Status check_compare_form(const BenchMineOptions& o) {
  if (o.seconds_opt->count() > 0) {
    return Status::invalid_argument("--seconds applies only without --compare");
  }
  if (o.search.strategy_opt->count() > 0) {
    return Status::invalid_argument("--strategy does not apply to --compare, which runs both");
  }
  if (o.puzzles < kPuzzlesMin || o.puzzles > kPuzzlesMax) {
    return Status::out_of_range(fmt::format("--puzzles: {} is out of range; use {}..{}", o.puzzles,
                                            kPuzzlesMin, kPuzzlesMax));
  }
  if (o.difficulty_bits < kDifficultyBitsMin || o.difficulty_bits > kDifficultyBitsMax) {
    return Status::out_of_range(
        fmt::format("--difficulty-bits: {} is out of range; use {}..{} (2^{} hashes a puzzle "
                    "already take hours)",
                    o.difficulty_bits, kDifficultyBitsMin, kDifficultyBitsMax, kDifficultyBitsMax));
  }
  QPOW_RETURN_IF_ERROR(check_threads(o.search.threads));
  SearchOptions omega = o.search;
  omega.strategy = "omega-prm";  // --compare runs omega-prm with the options given
  return check_strategy_options(omega);
}

// Puzzle `index` of a comparison: SHAKE256(domain || seed || index) as the fixed header part.
mining::Work compare_puzzle(std::uint64_t seed, std::uint64_t index, unsigned bits) {
  mining::Work work;
  crypto::Shake256 xof;
  xof.absorb(util::as_bytes(kCompareDomain));
  absorb_u64(xof, seed);
  absorb_u64(xof, index);
  xof.squeeze(work.fixed);
  work.target = (util::Uint256(1) << (256 - bits)) - util::Uint256(1);
  return work;
}

struct StrategyRun {
  std::vector<std::uint64_t> hashes;  // hashes to solution, per puzzle
  std::vector<double> seconds;        // time to solution, per puzzle
  std::uint64_t total_hashes = 0;     // every hash computed, in-flight batches included
  double total_seconds = 0;
};

Result<StrategyRun> solve_puzzles(mining::NonceSearch& search, runtime::ThreadPool& pool,
                                  const BenchMineOptions& o) {
  StrategyRun run;
  const mining::StopSignal stop;  // never raised: each search runs to its solution
  {
    // One untimed puzzle first, so first-use costs (page faults, waking the pool's threads) are
    // not charged to whichever strategy happens to run first.
    mining::SearchCounters counters;
    (void)search.search(compare_puzzle(o.seed, kWarmupPuzzle, o.difficulty_bits),
                        pool.concurrency(), pool, stop, counters);
  }
  for (std::uint64_t i = 0; i < o.puzzles; ++i) {
    const mining::Work work = compare_puzzle(o.seed, i, o.difficulty_bits);
    mining::SearchCounters counters;
    const auto start = std::chrono::steady_clock::now();
    const mining::SearchResult result =
        search.search(work, pool.concurrency(), pool, stop, counters);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (result.end != mining::SearchEnd::kSolved || !result.solution) {
      return Status::error(util::StatusCode::kInternal,
                           fmt::format("{}: puzzle {} ended without a solution", search.name(), i));
    }
    run.hashes.push_back(result.solution->hashes_to_solution);
    run.seconds.push_back(elapsed.count());
    run.total_hashes += counters.hashes.load();
    run.total_seconds += elapsed.count();
  }
  return run;
}

Result<Json> strategy_report(const StrategyRun& run, double p) {
  const std::vector<double> hashes(run.hashes.begin(), run.hashes.end());
  QPOW_ASSIGN_OR_RETURN(const mining::Summary h, mining::summarize(hashes));
  QPOW_ASSIGN_OR_RETURN(const mining::Summary s, mining::summarize(run.seconds));
  Json j;
  j["mean_hashes"] = h.mean;
  j["ci95_low"] = h.ci95_low;
  j["ci95_high"] = h.ci95_high;
  j["mean_seconds"] = s.mean;
  j["seconds_ci95_low"] = s.ci95_low;
  j["seconds_ci95_high"] = s.ci95_high;
  j["hashes_per_second"] = static_cast<double>(run.total_hashes) / run.total_seconds;
  // Too few puzzles for two bins leaves the test undefined: null, not an error.
  const Result<mining::GofResult> gof = mining::geometric_gof(run.hashes, p);
  j["gof_statistic"] = gof.is_ok() ? Json(gof->statistic) : Json(nullptr);
  j["gof_df"] = gof.is_ok() ? Json(gof->df) : Json(nullptr);
  j["gof_p_value"] = gof.is_ok() ? Json(gof->p_value) : Json(nullptr);
  return j;
}

Result<Json> run_compare(const BenchMineOptions& o, runtime::ThreadPool& pool) {
  Json j;
  j["puzzles"] = o.puzzles;
  j["difficulty_bits"] = o.difficulty_bits;
  j["threads"] = pool.concurrency();
  j["seed"] = o.seed;
  const double p = mining::success_probability(compare_puzzle(o.seed, 0, o.difficulty_bits).target);
  j["expected_hashes"] = 1 / p;
  std::vector<StrategyRun> runs;
  for (const std::string_view name : kStrategies) {
    QPOW_ASSIGN_OR_RETURN(std::unique_ptr<mining::NonceSearch> search,
                          make_search_from(o.search, name));
    QPOW_ASSIGN_OR_RETURN(StrategyRun run, solve_puzzles(*search, pool, o));
    QPOW_ASSIGN_OR_RETURN(j["strategies"][std::string(name)], strategy_report(run, p));
    runs.push_back(std::move(run));
  }
  const std::vector<double> linear_hashes(runs[0].hashes.begin(), runs[0].hashes.end());
  const std::vector<double> omega_hashes(runs[1].hashes.begin(), runs[1].hashes.end());
  QPOW_ASSIGN_OR_RETURN(j["ratio_of_means"], mining::ratio_of_means(omega_hashes, linear_hashes));
  QPOW_ASSIGN_OR_RETURN(j["ratio_of_mean_seconds"],
                        mining::ratio_of_means(runs[1].seconds, runs[0].seconds));
  return j;
}

std::string p_value_text(const Json& v) {
  return v.is_null() ? std::string("n/a") : fmt::format("{:.4f}", v.get<double>());
}

void print_compare_table(const Json& j, std::ostream& out) {
  out << fmt::format(
      "{} puzzles at {} difficulty bits (expected {:.0f} hashes each), threads {}, "
      "seed {}\n",
      j["puzzles"].get<std::uint64_t>(), j["difficulty_bits"].get<unsigned>(),
      j["expected_hashes"].get<double>(), j["threads"].get<std::size_t>(),
      j["seed"].get<std::uint64_t>());
  out << fmt::format("{:<10} {:>12} {:>25} {:>11} {:>25} {:>12} {:>8}\n", "strategy", "mean_hashes",
                     "hashes 95% CI", "mean_ms", "ms 95% CI", "hashes/s", "gof_p");
  for (const auto& [name, s] : j["strategies"].items()) {
    out << fmt::format(
        "{:<10} {:>12.1f} {:>25} {:>11.4f} {:>25} {:>12.0f} {:>8}\n", name,
        s["mean_hashes"].get<double>(),
        fmt::format("[{:.1f}, {:.1f}]", s["ci95_low"].get<double>(), s["ci95_high"].get<double>()),
        s["mean_seconds"].get<double>() * 1e3,
        fmt::format("[{:.4f}, {:.4f}]", s["seconds_ci95_low"].get<double>() * 1e3,
                    s["seconds_ci95_high"].get<double>() * 1e3),
        s["hashes_per_second"].get<double>(), p_value_text(s["gof_p_value"]));
  }
  out << fmt::format("omega-prm / linear: mean hashes {:.4f}, mean seconds {:.4f}\n",
                     j["ratio_of_means"].get<double>(), j["ratio_of_mean_seconds"].get<double>());
  if (j["threads"].get<std::size_t>() > 1) {
    out << "note: with several threads a solution's hash count leaves out the other workers' "
           "unfinished batches; the geometric test (gof_p) describes --threads 1\n";
  }
}

// ---- the command -------------------------------------------------------------------------------

Result<Json> run_rate_guarded(mining::NonceSearch& search, runtime::ThreadPool& pool,
                              double seconds) {
  try {
    return run_rate(search, pool, seconds);
  } catch (const std::system_error& e) {  // the timer thread could not start
    return Status::error(util::StatusCode::kInternal,
                         fmt::format("cannot start the timer thread: {}", e.what()));
  }
}

int run_bench_mine(const BenchMineOptions& o, const CommandContext& ctx) {
  const Status checked = o.compare ? check_compare_form(o) : check_rate_form(o);
  if (!checked.is_ok()) return fail_usage(ctx, checked);
  std::unique_ptr<mining::NonceSearch> search;
  if (!o.compare) {
    Result<std::unique_ptr<mining::NonceSearch>> made =
        make_search_from(o.search, o.search.strategy);
    if (!made.is_ok()) return fail_usage(ctx, made.status());
    search = std::move(made).value();
  }
  Result<std::unique_ptr<runtime::ThreadPool>> pool = runtime::ThreadPool::create(o.search.threads);
  if (!pool.is_ok()) return fail_operation(ctx, pool.status());
  const Result<Json> report =
      o.compare ? run_compare(o, **pool) : run_rate_guarded(*search, **pool, o.seconds);
  if (!report.is_ok()) return fail_operation(ctx, report.status());
  if (o.json) {
    ctx.io.out << report->dump(2) << '\n';
  } else if (o.compare) {
    print_compare_table(*report, ctx.io.out);
  } else {
    print_rate_table(*report, ctx.io.out);
  }
  return kExitOk;
}

void add_bench_mine(CLI::App& bench, CommandContext& ctx) {
  auto o = std::make_shared<BenchMineOptions>();
  CLI::App* cmd = bench.add_subcommand(
      "mine", "Hash rate of one strategy, or (--compare) both strategies on the same puzzles");
  add_search_options(*cmd, o->search);
  o->seconds_opt = cmd->add_option("--seconds", o->seconds,
                                   fmt::format("Hash-rate run length, (0, {}]", kSecondsMax))
                       ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print one JSON object instead of a table");
  cmd->add_flag("--compare", o->compare,
                "Solve the same puzzles with linear and omega-prm and compare them");
  o->puzzles_opt =
      cmd->add_option("--puzzles", o->puzzles,
                      fmt::format("--compare: puzzles, {}..{}", kPuzzlesMin, kPuzzlesMax))
          ->capture_default_str()
          ->check(non_negative());
  o->difficulty_opt = cmd->add_option("--difficulty-bits", o->difficulty_bits,
                                      fmt::format("--compare: target 2^(256-D) - 1, D in {}..{}",
                                                  kDifficultyBitsMin, kDifficultyBitsMax))
                          ->capture_default_str()
                          ->check(non_negative());
  o->seed_opt = cmd->add_option("--seed", o->seed, "--compare: derives the puzzles' headers")
                    ->capture_default_str()
                    ->check(non_negative());
  cmd->callback([o, &ctx] { ctx.exit_code = run_bench_mine(*o, ctx); });
}

}  // namespace

void add_bench_command(CLI::App& app, CommandContext& ctx) {
  CLI::App* bench = app.add_subcommand("bench", "Measure qpow's performance");
  bench->require_subcommand(1);
  add_bench_mine(*bench, ctx);
  add_bench_chain_commands(*bench, ctx);
}

}  // namespace qpow::app
