// `qpow mine`: mine blocks with either nonce-search strategy (docs/mining.md).
//
//   qpow mine --standalone [--datadir D] [--network regtest] [--blocks K] [--miner-address ADDR]
//             [--strategy linear|omega-prm] [--threads N] [omega-prm options]
//
// Standalone mining opens (or creates) the chain database <datadir>/<network>/chain and extends
// its tip by K blocks with no peers and an empty mempool: each block is a template on the tip
// (mining/block_miner.h), searched on a thread pool of N threads and handed back to the
// chainstate like any block from the network. One line per block:
//
//   height=1 hash=<64 hex> nonce=5 hashes=6 seconds=0.000412 hashes_per_second=14563
//
// Only regtest may be mined standalone: a private main or test chain is one no peer would ever
// follow. Mining for a running node comes with the node's RPC. Exit codes: 0 success, 1 the
// database or the chain failed, 2 a malformed or refused argument; errors are one line.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
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
  std::string datadir;
  std::string network = "regtest";
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

Result<std::string> default_datadir() {
  if (const char* dir = std::getenv("QPOW_DATADIR"); dir != nullptr && *dir != '\0') {
    return std::string(dir);
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".qpow").string();
  }
  return Status::invalid_argument("no data directory: give --datadir, or set QPOW_DATADIR or HOME");
}

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

// Every check that needs no disk: usage errors.
Result<MineSetup> check_arguments(const MineOptions& o) {
  if (!o.standalone) {
    return Status::unsupported(
        "mining for a running node comes with the node's RPC; use --standalone to mine a local "
        "regtest chain in --datadir");
  }
  MineSetup setup;
  Result<primitives::Network> network = primitives::parse_network(o.network);
  if (!network.is_ok()) return network.status().with_context("--network");
  setup.network = *network;
  if (setup.network != primitives::Network::kRegtest) {
    return Status::invalid_argument(
        fmt::format("--network {}: standalone mining builds a private chain that no peer will "
                    "follow; it is allowed on regtest only",
                    o.network));
  }
  if (o.blocks < kBlocksMin || o.blocks > kBlocksMax) {
    return Status::out_of_range(
        fmt::format("--blocks: {} is out of range; use {}..{}", o.blocks, kBlocksMin, kBlocksMax));
  }
  QPOW_RETURN_IF_ERROR(check_threads(o.search.threads));
  QPOW_RETURN_IF_ERROR(check_strategy_options(o.search));
  QPOW_ASSIGN_OR_RETURN(setup.search, make_search_from(o.search, o.search.strategy));
  const consensus::ChainParams& params = consensus::chain_params(setup.network);
  QPOW_ASSIGN_OR_RETURN(setup.miner, miner_address(o, params));
  std::string datadir = o.datadir;
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
  const std::uint64_t hashes = counters.hashes.load();
  const double seconds = elapsed.count();
  ctx.io.out << fmt::format(
      "height={} hash={} nonce={} hashes={} seconds={:.6f} "
      "hashes_per_second={:.0f}\n",
      block.header.height, util::to_hex(primitives::block_hash(block.header)), block.header.nonce,
      hashes, seconds, seconds > 0 ? static_cast<double>(hashes) / seconds : 0.0);
  return Status::ok();
}

int run_mine(const MineOptions& o, const CommandContext& ctx) {
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
  CLI::App* cmd = app.add_subcommand("mine", "Mine blocks (for now: a standalone regtest chain)");
  cmd->add_flag("--standalone", o->standalone,
                "Mine a local chain in --datadir with no node and no peers");
  cmd->add_option("--datadir", o->datadir,
                  "Data directory (default: $QPOW_DATADIR, else ~/.qpow); the chain database is "
                  "<datadir>/<network>/chain");
  cmd->add_option("--network", o->network, "Network: main, test or regtest")->capture_default_str();
  cmd->add_option("--blocks", o->blocks,
                  fmt::format("Blocks to mine, {}..{}", kBlocksMin, kBlocksMax))
      ->capture_default_str()
      ->check(non_negative());
  cmd->add_option("--miner-address", o->miner_address,
                  "bech32m address credited with the blocks (default: the regtest development "
                  "key's)");
  add_search_options(*cmd, o->search);
  cmd->callback([o, &ctx] { ctx.exit_code = run_mine(*o, ctx); });
}

}  // namespace qpow::app
