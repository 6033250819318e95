// Nonce search: the part of mining that turns a header's fixed 272 bytes and a target into a nonce
// whose qhash is at most the target (crypto/qhash.h; consensus/pow.h reads the hash as a
// little-endian 256-bit number). Two strategies implement it (docs/mining.md):
//
//   linear     N workers, each walks its own contiguous nonce range in order.
//   omega-prm  a Monte Carlo tree search over nonce ranges (UCB1 selection, batch simulations,
//              backpropagated best-hash quality, pruning); it never hashes a nonce twice.
//
// Both hash on the widest multi-way qhash path the CPU has (8 nonces per AVX-512 call, 4 per
// AVX2 call) with the fixed header part absorbed once (QhashPrefix). Neither creates threads: the
// caller's util::Executor runs one long work item per worker (DESIGN §2), and the caller stops a
// search from outside through a StopSignal (a new tip, a new template, a time limit).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/qhash.h"
#include "crypto/sha3.h"
#include "util/executor.h"
#include "util/result.h"
#include "util/status.h"
#include "util/uint256.h"

namespace qpow::mining {

// One puzzle: find a nonce in [nonce_begin, nonce_end) with qhash(fixed || nonce) <= target.
struct Work {
  std::array<std::uint8_t, crypto::kQhashNonceOffset> fixed{};
  util::Uint256 target{};
  std::uint64_t nonce_begin = 0;
  std::uint64_t nonce_end = UINT64_MAX;  // exclusive; the range may be narrowed for tests
};

struct Solution {
  std::uint64_t nonce = 0;
  crypto::Hash256 hash{};
  // Hashes computed by all workers of this search, in total, up to and including the one that
  // found the solution (the count the geometric distribution describes when workers == 1). With
  // one worker it is exact: hashes in the search's own order, so lanes of the solving multi-way
  // call after the solution do not count. With several it is approximate: the hashes of every
  // batch that workers had finished when the solution's batch was accounted.
  std::uint64_t hashes_to_solution = 0;
};

// Set by the caller (any thread) to stop a running search; workers poll it at least once per
// batch of at most kMaxBatchNonces hashes, so stale work ends within milliseconds.
class StopSignal {
 public:
  void request_stop() { stop_.store(true, std::memory_order_relaxed); }
  void reset() { stop_.store(false, std::memory_order_relaxed); }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
};

inline constexpr std::uint64_t kMaxBatchNonces = 1u << 16;

// Live counters, readable from any thread while a search runs (hash rate displays, benchmarks).
struct SearchCounters {
  std::atomic<std::uint64_t> hashes{0};
  std::atomic<std::uint64_t> solutions{0};
  std::atomic<std::uint64_t> tree_nodes{0};  // omega-prm: nodes created in the tree
  std::atomic<std::uint64_t> prunes{0};      // omega-prm: branches pruned
};

enum class SearchEnd {
  kSolved,     // a solution was found (and every worker stopped)
  kExhausted,  // every nonce of [nonce_begin, nonce_end) was hashed without a solution
  kStopped,    // the StopSignal was raised first
};

struct SearchResult {
  SearchEnd end = SearchEnd::kStopped;
  std::optional<Solution> solution;
};

// Bounds of OmegaPrmParams (check_omega_prm_params). The node bound keeps the tree's memory
// fixed however long a search runs (64 bytes a node: 16 MiB at the default): once reached, leaves
// stop splitting and are simply hashed on from their cursors.
inline constexpr unsigned kOmegaPrmBranchingBitsMin = 1;
inline constexpr unsigned kOmegaPrmBranchingBitsMax = 8;
inline constexpr double kOmegaPrmExplorationMax = 1000.0;
inline constexpr std::uint64_t kOmegaPrmMaxNodesDefault = std::uint64_t{1} << 18;
inline constexpr std::uint64_t kOmegaPrmMaxNodesLimit = std::uint64_t{1} << 24;

struct OmegaPrmParams {
  double exploration = 1.4142135623730951;  // UCB1 weight c in mean + c * sqrt(ln N / n)
  unsigned branching_bits = 4;              // each expansion splits a range into 2^b children
  std::uint64_t batch_nonces = 4096;        // nonces hashed per simulation (<= kMaxBatchNonces)
  double prune_threshold = 0.05;            // prune a branch whose mean reward falls below this
  std::uint64_t prune_min_visits = 8;       // ... once it has at least this many visits
  std::uint64_t max_nodes = kOmegaPrmMaxNodesDefault;  // tree size bound, root included
};

// Ok, or an invalid-argument error naming the first field out of range: exploration finite in
// [0, kOmegaPrmExplorationMax], branching_bits in [1, 8], batch_nonces in [1, kMaxBatchNonces],
// prune_threshold in [0, 1], prune_min_visits >= 1, max_nodes in [1, kOmegaPrmMaxNodesLimit].
util::Status check_omega_prm_params(const OmegaPrmParams& params);

// A search strategy. search() may be called again for new work; one call at a time.
class NonceSearch {
 public:
  virtual ~NonceSearch() = default;
  virtual std::string_view name() const = 0;
  // Runs `workers` work items on `executor` (pass executor.concurrency() for all of them; 0 is
  // taken as 1) until a solution, exhaustion of the range, or a stop request. Adds to `counters`
  // as it goes, once per batch. An empty range (nonce_begin >= nonce_end) is exhausted at once.
  virtual SearchResult search(const Work& work, std::size_t workers, util::Executor& executor,
                              const StopSignal& stop, SearchCounters& counters) = 0;
};

std::unique_ptr<NonceSearch> make_linear_search();
// Parameters out of range are clamped to the nearest valid value (a NaN exploration or threshold
// becomes the default), so this never fails; use the checked form for parameters from a user.
std::unique_ptr<NonceSearch> make_omega_prm_search(const OmegaPrmParams& params = {});
// The error of check_omega_prm_params for parameters out of range.
util::Result<std::unique_ptr<NonceSearch>> make_omega_prm_search_checked(
    const OmegaPrmParams& params);

// "linear" or "omega-prm" (default parameters); an error naming the accepted values otherwise.
util::Result<std::unique_ptr<NonceSearch>> make_search(std::string_view strategy);

}  // namespace qpow::mining
