// `qpow mine`: mine blocks with either nonce-search strategy (docs/mining.md).
//
//   qpow mine [--blocks K] [--miner-address ADDR] [--network regtest] [node options]
//             [--strategy linear|omega-prm] [--threads N] [omega-prm options]
//   qpow mine --standalone [--datadir D] [--network regtest] [--blocks K] [--miner-address ADDR]
//             [--strategy linear|omega-prm] [--threads N] [omega-prm options]
//
// Without --standalone, qpow mines for a running node over its RPC (rpc_client.h): it asks for a
// template (getblocktemplate, paying --miner-address, else the node's own miner address),
// searches it on a thread pool of N threads while it polls the node's tip (getbestblockhash,
// about once a second; a new tip abandons the search for a template on it, and so does a
// template older than kTemplateRefreshMs, to take in new transactions), submits the solved block
// (submitblock), and goes on until K blocks of its own have become the node's tip. Node options:
// --datadir D (the node's; its RPC cookie is D/.cookie), --rpc-host, --rpc-port (default per
// --network), --rpc-user/--rpc-password instead of the cookie.
//
// Standalone mining opens (or creates) the chain database <datadir>/<network>/chain and extends
// its tip by K blocks with no peers and an empty mempool: each block is a template on the tip
// (mining/block_miner.h), searched on a thread pool of N threads and handed back to the
// chainstate like any block from the network. Only regtest may be mined standalone: a private
// main or test chain is one no peer would ever follow.
//
// Either way, one line per block:
//
//   height=1 hash=<64 hex> nonce=5 hashes=6 seconds=0.000412 hashes_per_second=14563
//
// (with a node, hashes and seconds count every template searched since the previous block).
// Exit codes: 0 success, 1 the database, the chain or the node failed, 2 a malformed or refused
// argument; errors are one line.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
#include "app/mine_for_node.h"
#include "app/node_options.h"
#include "app/rpc_client.h"
#include "app/search_options.h"
#include "chain/chainstate.h"
#include "chain/mempool.h"
#include "consensus/chain_params.h"
#include "mining/block_miner.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/network.h"
#include "runtime/thread_pool.h"
#include "storage/rocksdb_store.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using util::Result;
using util::Status;

// Each block's time is at least its median time past + 1, so blocks mined faster than one a
// second run ahead of the clock by up to a second each. 1,000 keeps a run well inside the
// 2-hour limit on future block times (consensus/chain_params.h, kMaxFutureBlockTimeS) and
// within a few ASERT half-lives of regtest's schedule, where blocks are still quick.
constexpr std::uint64_t kBlocksMin = 1;
constexpr std::uint64_t kBlocksMax = 1000;
static_assert(kBlocksMax < consensus::kMaxFutureBlockTimeS);

struct MineOptions {
  bool standalone = false;
  NodeClientOptions node{.network = "regtest"};  // --datadir, --network, RPC options
  std::uint64_t blocks = 1;
  std::string miner_address;
  SearchOptions search;
};

// What a standalone run mines with, once every argument is checked.
struct MineSetup {
  primitives::Network network = primitives::Network::kRegtest;
  std::string chain_dir;
  primitives::Address miner{};
  std::unique_ptr<mining::NonceSearch> search;
};

// The miner's address: --miner-address, else the regtest development key's.
Result<primitives::Address> miner_address(const MineOptions& o,
                                          const consensus::ChainParams& params) {
  if (!o.miner_address.empty()) {
    Result<primitives::Address> parsed = primitives::parse_address(o.miner_address, params.network);
    if (!parsed.is_ok()) return parsed.status().with_context("--miner-address");
    return parsed;
  }
  const crypto::KeyPair dev = consensus::dev_keypair(params);
  return primitives::Address::from_public_key(params.dev_key_scheme, dev.public_key);
}

// The checks both modes share: --blocks and the search options.
Result<std::unique_ptr<mining::NonceSearch>> check_search(const MineOptions& o) {
  if (o.blocks < kBlocksMin || o.blocks > kBlocksMax) {
    return Status::out_of_range(
        fmt::format("--blocks: {} is out of range; use {}..{}", o.blocks, kBlocksMin, kBlocksMax));
  }
  QPOW_RETURN_IF_ERROR(check_threads(o.search.threads));
  QPOW_RETURN_IF_ERROR(check_strategy_options(o.search));
  return make_search_from(o.search, o.search.strategy);
}

// Every standalone check that needs no disk: usage errors.
Result<MineSetup> check_arguments(const MineOptions& o) {
  MineSetup setup;
  QPOW_ASSIGN_OR_RETURN(setup.network, client_network(o.node));
  if (setup.network != primitives::Network::kRegtest) {
    return Status::invalid_argument(
        fmt::format("--network {}: standalone mining builds a private chain that no peer will "
                    "follow; it is allowed on regtest only",
                    o.node.network));
  }
  const RpcOptions& rpc = o.node.rpc;
  if (rpc.port || !rpc.user.empty() || !rpc.password.empty() || rpc.host != RpcOptions{}.host) {
    return Status::invalid_argument(
        "--rpc-host/--rpc-port/--rpc-user/--rpc-password: --standalone mining talks to no node");
  }
  QPOW_ASSIGN_OR_RETURN(setup.search, check_search(o));
  const consensus::ChainParams& params = consensus::chain_params(setup.network);
  QPOW_ASSIGN_OR_RETURN(setup.miner, miner_address(o, params));
  std::string datadir = o.node.rpc.datadir;
  if (datadir.empty()) {
    QPOW_ASSIGN_OR_RETURN(datadir, default_datadir());
  }
  setup.chain_dir =
      (std::filesystem::path(datadir) / primitives::network_name(setup.network) / "chain").string();
  return setup;
}

std::uint64_t unix_time_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

// The open chain and what mining on it needs, in construction order (destroyed in reverse).
struct Miner {
  std::unique_ptr<storage::RocksDbStore> store;
  std::unique_ptr<runtime::ThreadPool> pool;
  std::unique_ptr<chain::Chainstate> chainstate;
  std::unique_ptr<chain::Mempool> mempool;
};

Result<Miner> open_miner(const MineSetup& setup, std::size_t threads) {
  const std::filesystem::path dir(setup.chain_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) {
    return Status::io_error(fmt::format("cannot create the data directory '{}': {}",
                                        dir.parent_path().string(), ec.message()));
  }
  const consensus::ChainParams& params = consensus::chain_params(setup.network);
  Miner m;
  QPOW_ASSIGN_OR_RETURN(m.store, storage::RocksDbStore::open(setup.chain_dir, {}));
  QPOW_ASSIGN_OR_RETURN(m.pool, runtime::ThreadPool::create(threads));
  QPOW_ASSIGN_OR_RETURN(m.chainstate, chain::Chainstate::open(*m.store, params, *m.pool));
  m.mempool = std::make_unique<chain::Mempool>(params, chain::MempoolLimits{});
  return m;
}

// Mines one block on the tip, has the chainstate accept it, and prints its line.
Status mine_one(Miner& m, const MineSetup& setup, const CommandContext& ctx) {
  QPOW_ASSIGN_OR_RETURN(mining::BlockTemplate tmpl,
                        mining::make_template(*m.chainstate, *m.mempool,
                                              {.miner = setup.miner, .time = unix_time_now()}));
  const mining::StopSignal stop;  // nothing interrupts a standalone run
  mining::SearchCounters counters;
  const auto start = std::chrono::steady_clock::now();
  const mining::MineOutcome outcome =
      mining::mine_block(tmpl, *setup.search, m.pool->concurrency(), *m.pool, stop, counters);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (outcome.end != mining::SearchEnd::kSolved || !outcome.block) {
    return Status::error(util::StatusCode::kInternal, "the search ended without a block");
  }
  const primitives::Block& block = *outcome.block;
  QPOW_ASSIGN_OR_RETURN(const consensus::Verdict verdict,
                        m.chainstate->accept_block(block, unix_time_now()));
  if (!verdict.is_ok()) {
    return Status::error(util::StatusCode::kInternal,
                         "the chain refused the mined block: " + verdict.to_string());
  }
  ctx.io.out << mined_block_line(block, counters.hashes.load(), elapsed.count()) << '\n';
  return Status::ok();
}

// Mining for a running node (mine_for_node.h): usage errors first, then the node's.
int run_mine_for_node(const MineOptions& o, const CommandContext& ctx) {
  NodeMiningSetup setup;
  const Result<primitives::Network> network = client_network(o.node);
  if (!network.is_ok()) return fail_usage(ctx, network.status());
  setup.network = *network;
  Result<std::unique_ptr<mining::NonceSearch>> search = check_search(o);
  if (!search.is_ok()) return fail_usage(ctx, search.status());
  setup.search = std::move(search).value();
  if (!o.miner_address.empty()) {
    const Result<primitives::Address> miner =
        primitives::parse_address(o.miner_address, setup.network);
    if (!miner.is_ok()) return fail_usage(ctx, miner.status().with_context("--miner-address"));
    setup.miner = *miner;
  }
  Result<RpcEndpoint> endpoint = endpoint_from_options(setup.network, o.node.rpc);
  if (!endpoint.is_ok()) {
    const Status& status = endpoint.status();
    if (status.code() == util::StatusCode::kInvalidArgument) return fail_usage(ctx, status);
    if (status.code() != util::StatusCode::kNotFound) return fail_operation(ctx, status);
    return fail_operation(
        ctx, Status::not_found(status.message() + "; --standalone mines a regtest chain of its "
                                                  "own without a node"));
  }
  setup.endpoint = std::move(endpoint).value();
  setup.threads = o.search.threads;
  setup.blocks = o.blocks;
  const Status mined = mine_for_node(setup, ctx.io.out, ctx.io.err);
  if (!mined.is_ok()) return fail_operation(ctx, mined);
  return kExitOk;
}

int run_mine(const MineOptions& o, const CommandContext& ctx) {
  if (!o.standalone) return run_mine_for_node(o, ctx);
  const Result<MineSetup> setup = check_arguments(o);
  if (!setup.is_ok()) return fail_usage(ctx, setup.status());
  Result<Miner> miner = open_miner(*setup, o.search.threads);
  if (!miner.is_ok()) return fail_operation(ctx, miner.status());
  for (std::uint64_t i = 0; i < o.blocks; ++i) {
    if (const Status mined = mine_one(*miner, *setup, ctx); !mined.is_ok()) {
      return fail_operation(ctx, mined);
    }
  }
  return kExitOk;
}

}  // namespace

void add_mine_command(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<MineOptions>();
  CLI::App* cmd = app.add_subcommand(
      "mine", "Mine blocks for a running node over its RPC, or a standalone regtest chain");
  cmd->add_flag("--standalone", o->standalone,
                "Mine a local chain in --datadir with no node and no peers");
  add_node_client_options(*cmd, o->node,
                          {.datadir_help = "Data directory (default: $QPOW_DATADIR, else ~/.qpow): "
                                           "the node's, whose RPC cookie is <datadir>/.cookie; "
                                           "with --standalone, the chain database is "
                                           "<datadir>/<network>/chain"});
  cmd->add_option("--blocks", o->blocks,
                  fmt::format("Blocks to mine, {}..{}", kBlocksMin, kBlocksMax))
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--miner-address", o->miner_address,
                  "bech32m address credited with the blocks (default: the node's own miner "
                  "address; standalone, the regtest development key's)");
  add_search_options(*cmd, o->search);
  cmd->callback([o, &ctx] { ctx.exit_code = run_mine(*o, ctx); });
}

}  // namespace qpow::app
