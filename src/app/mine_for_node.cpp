#include "app/mine_for_node.h"

#include <chrono>
#include <future>
#include <ostream>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "consensus/chain_params.h"
#include "consensus/compact_target.h"
#include "http/json_rpc.h"
#include "mining/block_miner.h"
#include "runtime/thread_pool.h"
#include "util/assert.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using nlohmann::json;
using util::Result;
using util::Status;
using Clock = std::chrono::steady_clock;

// How much of an unexpected answer an error quotes.
constexpr std::size_t kQuotedCharsMax = 200;

Status unexpected(std::string_view method, const json& answer) {
  return Status::malformed(fmt::format("rpc {}: unexpected answer {}", method,
                                       http::dump_json(answer).substr(0, kQuotedCharsMax)));
}

Result<std::string> string_field(const json& object, std::string_view method, const char* name) {
  const auto it = object.is_object() ? object.find(name) : object.end();
  if (it == object.end() || !it->is_string()) return unexpected(method, object);
  return it->get<std::string>();
}

// The node must run the network whose rules (proof-of-work limit, addresses) qpow mines with.
Status check_network(const NodeMiningSetup& s) {
  QPOW_ASSIGN_OR_RETURN(const json info, rpc_call(s.endpoint, "getblockchaininfo", json::array()));
  QPOW_ASSIGN_OR_RETURN(const std::string chain, string_field(info, "getblockchaininfo", "chain"));
  if (chain != primitives::network_name(s.network)) {
    return Status::invalid_argument(fmt::format("--network {}: the node at {}:{} runs {}",
                                                primitives::network_name(s.network),
                                                s.endpoint.host, s.endpoint.port, chain));
  }
  return Status::ok();
}

Result<mining::BlockTemplate> fetch_template(const NodeMiningSetup& s) {
  json args = json::array();
  if (s.miner) args.push_back(s.miner->to_string(s.network));
  QPOW_ASSIGN_OR_RETURN(const json answer, rpc_call(s.endpoint, "getblocktemplate", args));
  QPOW_ASSIGN_OR_RETURN(const std::string hex, string_field(answer, "getblocktemplate", "hex"));
  Result<util::Bytes> bytes = util::from_hex(hex);
  if (!bytes.is_ok()) return bytes.status().with_context("rpc getblocktemplate: hex");
  Result<primitives::Block> block = primitives::decode_block(*bytes);
  if (!block.is_ok()) return block.status().with_context("rpc getblocktemplate: block");
  // The target comes from the header's bits under this network's limit, not from the node's
  // text: mine_block checks the solved header by the same rule (consensus::check_pow).
  const consensus::ChainParams& params = consensus::chain_params(s.network);
  const Result<util::Uint256> target =
      consensus::target_from_bits(block->header.bits, params.pow_limit);
  if (!target.is_ok()) return target.status().with_context("rpc getblocktemplate: bits");
  return mining::BlockTemplate{
      .block = std::move(block).value(), .target = *target, .extra_roll = 0, .params = &params};
}

// One search of one template: the solved block, or none when the tip moved or the template aged.
struct Attempt {
  std::optional<primitives::Block> block;
  std::uint64_t hashes = 0;
  double seconds = 0;
};

// Polls the node's tip until the search ends, raising `stop` when the tip is no longer `parent`,
// the template is kTemplateRefreshMs old, or the node cannot be asked (that error is returned).
Status watch_tip(const NodeMiningSetup& s, const std::string& parent,
                 const std::future<mining::MineOutcome>& running, mining::StopSignal& stop) {
  const auto started = Clock::now();
  Status status = Status::ok();
  while (running.wait_for(std::chrono::milliseconds(kTipPollMs)) != std::future_status::ready) {
    if (stop.stop_requested()) continue;  // the search is winding down
    if (Clock::now() - started >= std::chrono::milliseconds(kTemplateRefreshMs)) {
      stop.request_stop();
      continue;
    }
    const Result<json> best =
        rpc_call(s.endpoint, "getbestblockhash", json::array(), {.timeout_ms = kTipPollTimeoutMs});
    if (!best.is_ok()) {
      status = best.status();
      stop.request_stop();
    } else if (!best->is_string() || best->get<std::string>() != parent) {
      stop.request_stop();
    }
  }
  return status;
}

Result<Attempt> search(NodeMiningSetup& s, runtime::ThreadPool& pool, mining::BlockTemplate& tmpl) {
  mining::StopSignal stop;
  mining::SearchCounters counters;
  const std::string parent = util::to_hex(tmpl.block.header.parent);
  const auto start = Clock::now();
  // The search runs on its own thread (and the pool's workers) so that this one can poll the
  // tip; everything the thread uses outlives running.get() below.
  std::future<mining::MineOutcome> running;
  try {
    running = std::async(std::launch::async, [&] {
      return mining::mine_block(tmpl, *s.search, pool.concurrency(), pool, stop, counters);
    });
  } catch (const std::system_error& e) {
    return Status::error(util::StatusCode::kInternal,
                         fmt::format("cannot start the mining thread: {}", e.what()));
  }
  const Status watched = watch_tip(s, parent, running, stop);
  mining::MineOutcome outcome = running.get();
  QPOW_RETURN_IF_ERROR(watched);
  Attempt attempt;
  attempt.hashes = counters.hashes.load();
  attempt.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (outcome.end == mining::SearchEnd::kSolved) attempt.block = std::move(outcome.block);
  return attempt;
}

// Submits a solved block; true when the node made it part of its active chain.
Result<bool> submit(const NodeMiningSetup& s, const primitives::Block& block) {
  QPOW_ASSIGN_OR_RETURN(const json verdict,
                        rpc_call(s.endpoint, "submitblock",
                                 json::array({util::to_hex(primitives::encode_block(block))})));
  if (!verdict.is_null()) {
    return Status::error(
        util::StatusCode::kInternal,
        fmt::format("the node refused the block mined at height {}: {}", block.header.height,
                    http::dump_json(verdict).substr(0, kQuotedCharsMax)));
  }
  const std::string hash = util::to_hex(primitives::block_hash(block.header));
  QPOW_ASSIGN_OR_RETURN(const json header,
                        rpc_call(s.endpoint, "getblockheader", json::array({hash, true})));
  const auto confirmations = header.is_object() ? header.find("confirmations") : header.end();
  if (confirmations == header.end() || !confirmations->is_number_integer()) {
    return unexpected("getblockheader", header);
  }
  return confirmations->get<std::int64_t>() > 0;
}

}  // namespace

std::string mined_block_line(const primitives::Block& block, std::uint64_t hashes, double seconds) {
  return fmt::format("height={} hash={} nonce={} hashes={} seconds={:.6f} hashes_per_second={:.0f}",
                     block.header.height, util::to_hex(primitives::block_hash(block.header)),
                     block.header.nonce, hashes, seconds,
                     seconds > 0 ? static_cast<double>(hashes) / seconds : 0.0);
}

Status mine_for_node(NodeMiningSetup& s, std::ostream& out, std::ostream& err) {
  QPOW_ASSERT(s.search != nullptr);
  QPOW_RETURN_IF_ERROR(check_network(s));
  QPOW_ASSIGN_OR_RETURN(const std::unique_ptr<runtime::ThreadPool> pool,
                        runtime::ThreadPool::create(s.threads));
  std::uint64_t found = 0;
  // Every template searched since the last block counts toward the next one's line.
  std::uint64_t hashes = 0;
  double seconds = 0;
  while (found < s.blocks) {
    QPOW_ASSIGN_OR_RETURN(mining::BlockTemplate tmpl, fetch_template(s));
    QPOW_ASSIGN_OR_RETURN(Attempt attempt, search(s, *pool, tmpl));
    hashes += attempt.hashes;
    seconds += attempt.seconds;
    if (!attempt.block) continue;  // a new tip or an old template: start again
    QPOW_ASSIGN_OR_RETURN(const bool on_chain, submit(s, *attempt.block));
    if (!on_chain) {
      err << fmt::format("qpow: note: the block mined at height {} lost to another; mining on\n",
                         attempt.block->header.height);
      continue;
    }
    out << mined_block_line(*attempt.block, hashes, seconds) << '\n';
    out.flush();
    ++found;
    hashes = 0;
    seconds = 0;
  }
  return Status::ok();
}

}  // namespace qpow::app
