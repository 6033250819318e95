#include "mining/nonce_search.h"

#include <cmath>

#include <fmt/format.h>

#include "mining/omega_prm.h"

namespace qpow::mining {

util::Status check_omega_prm_params(const OmegaPrmParams& params) {
  using util::Status;
  if (!(std::isfinite(params.exploration) && params.exploration >= 0.0 &&
        params.exploration <= kOmegaPrmExplorationMax)) {
    return Status::invalid_argument(fmt::format("omega-prm exploration: {} is outside [0, {}]",
                                                params.exploration, kOmegaPrmExplorationMax));
  }
  if (params.branching_bits < kOmegaPrmBranchingBitsMin ||
      params.branching_bits > kOmegaPrmBranchingBitsMax) {
    return Status::invalid_argument(fmt::format("omega-prm branching_bits: {} is outside [{}, {}]",
                                                params.branching_bits, kOmegaPrmBranchingBitsMin,
                                                kOmegaPrmBranchingBitsMax));
  }
  if (params.batch_nonces < 1 || params.batch_nonces > kMaxBatchNonces) {
    return Status::invalid_argument(fmt::format("omega-prm batch_nonces: {} is outside [1, {}]",
                                                params.batch_nonces, kMaxBatchNonces));
  }
  if (!(params.prune_threshold >= 0.0 && params.prune_threshold <= 1.0)) {
    return Status::invalid_argument(
        fmt::format("omega-prm prune_threshold: {} is outside [0, 1]", params.prune_threshold));
  }
  if (params.prune_min_visits < 1) {
    return Status::invalid_argument("omega-prm prune_min_visits: 0, must be at least 1");
  }
  if (params.max_nodes < 1 || params.max_nodes > kOmegaPrmMaxNodesLimit) {
    return Status::invalid_argument(fmt::format("omega-prm max_nodes: {} is outside [1, {}]",
                                                params.max_nodes, kOmegaPrmMaxNodesLimit));
  }
  return Status::ok();
}

std::unique_ptr<NonceSearch> make_omega_prm_search(const OmegaPrmParams& params) {
  return OmegaPrmSearch::create_clamped(params);
}

util::Result<std::unique_ptr<NonceSearch>> make_omega_prm_search_checked(
    const OmegaPrmParams& params) {
  QPOW_ASSIGN_OR_RETURN(std::unique_ptr<OmegaPrmSearch> search, OmegaPrmSearch::create(params));
  return std::unique_ptr<NonceSearch>(std::move(search));
}

util::Result<std::unique_ptr<NonceSearch>> make_search(std::string_view strategy) {
  if (strategy == "linear") return make_linear_search();
  if (strategy == "omega-prm") return make_omega_prm_search();
  return util::Status::invalid_argument(
      fmt::format("unknown strategy '{}' (expected linear or omega-prm)", strategy));
}

}  // namespace qpow::mining
