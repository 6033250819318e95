// Operations the RPC server calls, and the miners' work.
#include <fmt/format.h>

#include "mining/nonce_search.h"
#include "node/node_impl.h"
#include "util/hex.h"

namespace qpow::node {

void Node::Impl::refresh_work() {
  if (!config.mine || stopped || !started) return;
  if (initial_download()) {
    // Mining on a stale tip while catching up would only make orphans.
    if (mining_submitted) env.submit_work(std::nullopt);
    mining_submitted = false;
    return;
  }
  const std::uint64_t now = now_ms();
  if (config.mine_pace_ms > 0 && last_mined_ms != 0 && now < last_mined_ms + config.mine_pace_ms) {
    if (mining_submitted) env.submit_work(std::nullopt);
    mining_submitted = false;
    if (!pace_timer_armed) env.set_timer(kMiningTimer, last_mined_ms + config.mine_pace_ms - now);
    pace_timer_armed = true;
    return;
  }
  auto tmpl =
      mining::make_template(*chain, mempool, {.miner = config.miner_address, .time = now_s()});
  if (!tmpl.is_ok()) return fatal(tmpl.status());
  last_template_ms = now_ms();
  template_stale = false;
  mining_submitted = true;
  env.submit_work(std::move(*tmpl));
}

util::Result<chain::AcceptResult> Node::submit_transaction(const primitives::Transaction& tx) {
  return impl_->accept_tx(nullptr, tx);
}

util::Result<consensus::Verdict> Node::submit_block(const primitives::Block& block) {
  QPOW_ASSIGN_OR_RETURN(consensus::Verdict v, impl_->process_block(nullptr, block));
  impl_->request_blocks();
  return v;
}

util::Result<mining::BlockTemplate> Node::block_template(const primitives::Address& miner) const {
  return mining::make_template(*impl_->chain, impl_->mempool,
                               {.miner = miner, .time = impl_->env.now_ms() / 1000});
}

util::Result<std::vector<crypto::Hash256>> Node::generate(const primitives::Address& to,
                                                          std::size_t count) {
  Impl& n = *impl_;
  if (n.params.network != primitives::Network::kRegtest) {
    return util::Status::unsupported("generate: only on regtest");
  }
  if (count == 0 || count > kGenerateCountMax) {
    return util::Status::out_of_range(
        fmt::format("generate: count {} outside 1..{}", count, kGenerateCountMax));
  }
  std::unique_ptr<mining::NonceSearch> search = mining::make_linear_search();
  std::vector<crypto::Hash256> hashes;
  for (std::size_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(mining::BlockTemplate tmpl, block_template(to));
    mining::StopSignal stop;
    mining::SearchCounters counters;
    mining::MineOutcome outcome =
        mining::mine_block(tmpl, *search, 1, n.env.executor(), stop, counters);
    if (!outcome.block)
      return util::Status::error(util::StatusCode::kInternal,
                                 "generate: the search ended unsolved");
    QPOW_ASSIGN_OR_RETURN(consensus::Verdict v, n.process_block(nullptr, *outcome.block));
    if (!v.is_ok())
      return util::Status::error(util::StatusCode::kInternal,
                                 "generate: mined block refused: " + v.to_string());
    ++n.counters.blocks_mined;
    hashes.push_back(primitives::block_hash(outcome.block->header));
  }
  return hashes;
}

MiningInfo Node::mining_info() const {
  return {.mining = impl_->config.mine,
          .miner_address = impl_->config.miner_address,
          .hashes_per_second = impl_->env.hashes_per_second(),
          .blocks_mined = impl_->counters.blocks_mined};
}

}  // namespace qpow::node
