#include "mining/block_miner.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "consensus/compact_target.h"
#include "consensus/pow.h"
#include "util/assert.h"
#include "util/bytes.h"

namespace qpow::mining {
namespace {

// The extra-field bytes the roll counter occupies (a little-endian u64 at the start).
inline constexpr std::size_t kExtraRollBytes = 8;
static_assert(kExtraRollBytes <= primitives::kHeaderExtraBytes);

using Assembled = std::pair<consensus::Verdict, primitives::Block>;

util::Result<Assembled> assemble_prefix(const chain::Chainstate& chainstate,
                                        const std::vector<primitives::Transaction>& txs,
                                        std::size_t count, const TemplateOptions& options) {
  chain::BlockAssembly assembly{
      .txs = {}, .miner = options.miner, .time = options.time, .extra = {}};
  assembly.txs.assign(txs.begin(), txs.begin() + static_cast<std::ptrdiff_t>(count));
  return chainstate.assemble_block(assembly);
}

// The block with the longest prefix of `txs` the chainstate accepts (see make_template).
util::Result<primitives::Block> assemble_longest_prefix(
    const chain::Chainstate& chainstate, const std::vector<primitives::Transaction>& txs,
    const TemplateOptions& options) {
  QPOW_ASSIGN_OR_RETURN(Assembled full, assemble_prefix(chainstate, txs, txs.size(), options));
  if (full.first.is_ok()) return std::move(full.second);
  // Invariant: the prefix of length `bad` is rejected; `good` is accepted once good_block is set
  // (length 0 is checked at the end if nothing longer was).
  std::size_t good = 0;
  std::size_t bad = txs.size();
  std::optional<primitives::Block> good_block;
  while (bad - good > 1) {
    const std::size_t mid = good + (bad - good) / 2;
    QPOW_ASSIGN_OR_RETURN(Assembled attempt, assemble_prefix(chainstate, txs, mid, options));
    if (attempt.first.is_ok()) {
      good = mid;
      good_block = std::move(attempt.second);
    } else {
      bad = mid;
    }
  }
  if (good_block) return std::move(*good_block);
  QPOW_ASSIGN_OR_RETURN(Assembled empty, assemble_prefix(chainstate, txs, 0, options));
  if (!empty.first.is_ok()) {
    return util::Status::error(
        util::StatusCode::kInternal,
        "template: the chainstate refuses an empty block on its tip: " + empty.first.to_string());
  }
  return std::move(empty.second);
}

}  // namespace

Work BlockTemplate::work() const {
  Work work;
  const primitives::HeaderBytes bytes = primitives::encode_header(block.header);
  std::memcpy(work.fixed.data(), bytes.data(), work.fixed.size());
  work.target = target;
  return work;
}

void BlockTemplate::roll_extra() {
  ++extra_roll;
  util::store_le64(block.header.extra.data(), extra_roll);
}

util::Result<BlockTemplate> make_template(const chain::Chainstate& chainstate,
                                          const chain::Mempool& mempool,
                                          const TemplateOptions& options) {
  const std::vector<primitives::Transaction> txs =
      mempool.select(kTemplateTxBytesMax, primitives::kBlockTxCountMax);
  QPOW_ASSIGN_OR_RETURN(primitives::Block block, assemble_longest_prefix(chainstate, txs, options));
  const consensus::ChainParams& params = chainstate.params();
  QPOW_ASSIGN_OR_RETURN(const util::Uint256 target,
                        consensus::target_from_bits(block.header.bits, params.pow_limit));
  return BlockTemplate{
      .block = std::move(block), .target = target, .extra_roll = 0, .params = &params};
}

MineOutcome mine_block(BlockTemplate& tmpl, NonceSearch& search, std::size_t workers,
                       util::Executor& executor, const StopSignal& stop, SearchCounters& counters,
                       std::uint64_t nonce_range) {
  if (nonce_range == 0) return {.end = SearchEnd::kExhausted, .block = {}};
  for (;;) {
    if (stop.stop_requested()) return {.end = SearchEnd::kStopped, .block = {}};
    Work work = tmpl.work();
    work.nonce_begin = 0;
    work.nonce_end = nonce_range;
    const SearchResult result = search.search(work, workers, executor, stop, counters);
    switch (result.end) {
      case SearchEnd::kExhausted:
        tmpl.roll_extra();
        continue;
      case SearchEnd::kStopped:
        return {.end = SearchEnd::kStopped, .block = {}};
      case SearchEnd::kSolved:
        break;
    }
    QPOW_ASSERT(result.solution.has_value());
    primitives::Block block = tmpl.block;
    block.header.nonce = result.solution->nonce;
    const crypto::Hash256 pow = consensus::pow_hash(block.header);
    QPOW_ASSERT(pow == result.solution->hash);
    QPOW_ASSERT(consensus::hash_meets_target(pow, tmpl.target));
    QPOW_ASSERT(tmpl.params == nullptr || consensus::check_pow(block.header, *tmpl.params).is_ok());
    return {.end = SearchEnd::kSolved, .block = std::move(block)};
  }
}

}  // namespace qpow::mining
