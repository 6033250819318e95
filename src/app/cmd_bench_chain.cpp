// `qpow bench make-chain` and `qpow bench validate-chain`: a regtest chain with transactions, and
// how fast one process validates it; the node's initial sync is measured against that speed
// (tools/bench_node.py, docs/benchmarks.md).
//
//   qpow bench make-chain --datadir D [--blocks N] [--txs-per-block K] [--seed S] [--threads T]
//                         [--json]
//       writes a new regtest chain to D/regtest/chain, the database `qpow node --network regtest
//       --datadir D` opens: N blocks of K ML-DSA-65 transfers each. The genesis block funds the
//       development key; the first transfers fund kAccounts keys derived from the seed, which then
//       pay each other round a ring, so every block has many senders and each sender's nonces
//       follow on across blocks. Block h is stamped genesis time + h * target spacing: on schedule
//       for ASERT, and in the past, so a node accepts it by the real clock.
//   qpow bench validate-chain --datadir D [--threads T] [--json]
//       reads D's active chain block by block and accepts each into a fresh chainstate over a
//       temporary RocksDB database (the storage a syncing node writes) with a thread pool of T
//       threads: block validation alone, with no network. Reports blocks, megabytes (10^6 bytes)
//       and transactions per second of accept_block time.
//
// T = 0 means one thread per core. --json prints exactly one JSON object; otherwise one line of
// key=value pairs. Exit codes: 0 success, 1 the chain or the database failed, 2 a malformed
// argument; errors are one line.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.h"
#include "app/search_options.h"
#include "chain/chainstate.h"
#include "consensus/chain_params.h"
#include "consensus/pow.h"
#include "crypto/sha3.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "runtime/thread_pool.h"
#include "storage/rocksdb_store.h"
#include "util/assert.h"
#include "util/executor.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using Json = nlohmann::ordered_json;
using util::Result;
using util::Status;

constexpr std::uint64_t kBlocksMin = 1;
// At regtest's 2-second spacing a million blocks span 23 days; the last must still lie in the
// past, which check_make_chain checks against the clock.
constexpr std::uint64_t kBlocksMax = 1'000'000;
// An ML-DSA-65 transfer is about 5.4 kB with its public key, so 1,000 of them (5.4 MB) fit in a
// block of at most primitives::kBlockBytesMax bytes.
constexpr std::uint64_t kTxsPerBlockMax = 1000;
static_assert(kTxsPerBlockMax <= primitives::kBlockTxCountMax);
// Keys that send the ring transfers. More than a block's worth at the default 10 transfers, so a
// block's senders differ; at K above it, a sender has several consecutive nonces in one block.
constexpr std::size_t kAccounts = 128;
// 128,000 QPOW in all, well within the development key's genesis allocation; a shortfall would
// show as the first block's verdict (insufficient funds), not as a bad chain.
constexpr std::uint64_t kFundingAmount = 1000 * consensus::kCoin;
constexpr std::uint64_t kRingAmount = 1000;
// Above min_fee_per_byte (1) times the largest transfer (about 5.4 kB with its public key).
constexpr std::uint64_t kTxFee = 10'000;
// Transactions signed in one parallel batch: enough to keep every core busy, few enough (about
// 22 MB at 5.4 kB) to bound memory.
constexpr std::size_t kSignBatchTxs = 4096;
// Regtest's target accepts about half of all nonces; a million misses in a row means a bug.
constexpr std::uint64_t kNonceTriesMax = 1'000'000;
constexpr std::string_view kAccountDomain = "qpow/bench/chain-account";
constexpr double kBytesPerMegabyte = 1e6;

struct ChainBenchOptions {
  std::string datadir;
  std::uint64_t blocks = 1000;
  std::uint64_t txs_per_block = 10;
  std::uint64_t seed = 1;
  std::size_t threads = 0;
  bool json = false;
};

const consensus::ChainParams& regtest_params() {
  return consensus::chain_params(primitives::Network::kRegtest);
}

std::string chain_dir_of(const std::string& datadir) {
  return (std::filesystem::path(datadir) / primitives::network_name(primitives::Network::kRegtest) /
          "chain")
      .string();
}

std::uint64_t unix_time_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status check_threads_option(std::size_t threads) {
  if (threads > runtime::ThreadPool::kThreadsMax) {
    return Status::out_of_range(fmt::format("--threads: {} is out of range; use 0..{}", threads,
                                            runtime::ThreadPool::kThreadsMax));
  }
  return Status::ok();
}

void print_report(const Json& j, bool json, std::ostream& out) {
  if (json) {
    out << j.dump(2) << '\n';
    return;
  }
  std::string line;
  for (const auto& [key, value] : j.items()) {
    if (!line.empty()) line += ' ';
    line += key + '=' + (value.is_string() ? value.get<std::string>() : value.dump());
  }
  out << line << '\n';
}

// ---- make-chain --------------------------------------------------------------------------------

struct Sender {
  crypto::KeyPair pair;
  primitives::Address address{};
  std::uint64_t next_nonce = 0;  // nonces this run has handed out so far
};

// A transfer before its signature, and who signs it.
struct PendingTx {
  primitives::Transaction tx;
  std::size_t signer = 0;  // index into ChainWriter::senders
};

// Index 0 of senders is the development key; 1..kAccounts are the derived accounts.
constexpr std::size_t kDevSender = 0;

struct ChainWriter {
  std::unique_ptr<storage::RocksDbStore> store;
  std::unique_ptr<runtime::ThreadPool> pool;
  std::unique_ptr<chain::Chainstate> chainstate;
  std::vector<Sender> senders;
  std::uint64_t next_tx = 0;  // the schedule's index of the next transfer
};

Result<Sender> derive_account(std::uint64_t seed, std::uint64_t index) {
  crypto::Shake256 xof;
  xof.absorb(util::as_bytes(kAccountDomain));
  std::array<std::uint8_t, 16> le{};
  for (std::size_t i = 0; i < 8; ++i) {
    le[i] = static_cast<std::uint8_t>(seed >> (8 * i));
    le[8 + i] = static_cast<std::uint8_t>(index >> (8 * i));
  }
  xof.absorb(le);
  std::array<std::uint8_t, 32> key_seed{};
  xof.squeeze(key_seed);
  Sender s;
  QPOW_ASSIGN_OR_RETURN(s.pair, crypto::keygen(crypto::kDefaultScheme, key_seed));
  s.address = primitives::Address::from_public_key(crypto::kDefaultScheme, s.pair.public_key);
  return s;
}

Result<ChainWriter> open_writer(const ChainBenchOptions& o) {
  const std::filesystem::path dir(chain_dir_of(o.datadir));
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    return Status::invalid_argument(
        fmt::format("--datadir: {} already exists; make-chain writes a new chain", dir.string()));
  }
  std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) return Status::io_error(fmt::format("{}: {}", dir.parent_path().string(), ec.message()));
  const consensus::ChainParams& params = regtest_params();
  ChainWriter w;
  QPOW_ASSIGN_OR_RETURN(w.store, storage::RocksDbStore::open(dir.string(), {}));
  QPOW_ASSIGN_OR_RETURN(w.pool, runtime::ThreadPool::create(o.threads));
  QPOW_ASSIGN_OR_RETURN(w.chainstate, chain::Chainstate::open(*w.store, params, *w.pool));
  Sender dev;
  dev.pair = consensus::dev_keypair(params);
  dev.address = primitives::Address::from_public_key(params.dev_key_scheme, dev.pair.public_key);
  w.senders.push_back(std::move(dev));
  for (std::uint64_t i = 0; i < kAccounts; ++i) {
    QPOW_ASSIGN_OR_RETURN(Sender account, derive_account(o.seed, i));
    w.senders.push_back(std::move(account));
  }
  return w;
}

// Transfer `index` of the schedule: the first kAccounts fund the accounts from the development
// key, the rest go round the ring of accounts (account a pays account a + 1).
PendingTx next_transfer(ChainWriter& w) {
  const std::uint64_t index = w.next_tx++;
  std::size_t from = kDevSender;
  std::size_t to = 1 + index;
  std::uint64_t amount = kFundingAmount;
  if (index >= kAccounts) {
    const std::size_t ring = (index - kAccounts) % kAccounts;
    from = 1 + ring;
    to = 1 + (ring + 1) % kAccounts;
    amount = kRingAmount;
  }
  Sender& sender = w.senders[from];
  PendingTx p;
  p.signer = from;
  p.tx.chain_id = regtest_params().chain_id;
  p.tx.sender = sender.address;
  p.tx.recipient = w.senders[to].address;
  p.tx.nonce = sender.next_nonce++;
  p.tx.amount = amount;
  p.tx.fee = kTxFee;
  return p;
}

// Signs every pending transfer in parallel. A sender's first transfer carries its public key,
// which the chain learns from it.
Status sign_batch(std::vector<PendingTx>& batch, const ChainWriter& w) {
  std::vector<Status> results(batch.size());
  w.pool->parallel_for(batch.size(), [&](std::size_t i) {
    PendingTx& p = batch[i];
    const Sender& s = w.senders[p.signer];
    results[i] = primitives::sign_tx(p.tx, {.scheme = crypto::kDefaultScheme,
                                            .secret_key = s.pair.secret_key.span(),
                                            .public_key = s.pair.public_key,
                                            .include_public_key = p.tx.nonce == 0,
                                            .mode = crypto::SigningMode::kDeterministic});
  });
  for (const Status& s : results) QPOW_RETURN_IF_ERROR(s);
  return Status::ok();
}

Status mine_header(primitives::Block& block) {
  for (std::uint64_t tries = 0; tries < kNonceTriesMax; ++tries) {
    if (consensus::check_pow(block.header, regtest_params()).is_ok()) return Status::ok();
    ++block.header.nonce;
  }
  return Status::error(util::StatusCode::kInternal,
                       fmt::format("no nonce met regtest's target in {} tries", kNonceTriesMax));
}

// Assembles, mines and accepts the next block from `txs`; returns its encoded size.
Result<std::size_t> extend_chain(ChainWriter& w, std::vector<primitives::Transaction> txs) {
  const consensus::ChainParams& params = regtest_params();
  const std::uint64_t height = w.chainstate->tip().height() + 1;
  chain::BlockAssembly assembly{
      .txs = std::move(txs),
      .miner = w.senders[kDevSender].address,
      .time = params.genesis_time + height * static_cast<std::uint64_t>(params.target_spacing_s),
      .extra = {}};
  QPOW_ASSIGN_OR_RETURN(auto assembled, w.chainstate->assemble_block(assembly));
  if (!assembled.first.is_ok()) {
    return Status::error(util::StatusCode::kInternal,
                         fmt::format("block {}: {}", height, assembled.first.to_string()));
  }
  primitives::Block& block = assembled.second;
  QPOW_RETURN_IF_ERROR(mine_header(block));
  QPOW_ASSIGN_OR_RETURN(const consensus::Verdict verdict,
                        w.chainstate->accept_block(block, unix_time_now()));
  if (!verdict.is_ok()) {
    return Status::error(util::StatusCode::kInternal,
                         fmt::format("block {} refused: {}", height, verdict.to_string()));
  }
  return primitives::block_size(block);
}

Result<Json> make_chain(const ChainBenchOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  QPOW_ASSIGN_OR_RETURN(ChainWriter w, open_writer(o));
  const std::uint64_t blocks_per_batch =
      std::max<std::uint64_t>(1, kSignBatchTxs / std::max<std::uint64_t>(1, o.txs_per_block));
  std::uint64_t bytes = 0;
  for (std::uint64_t done = 0; done < o.blocks;) {
    const std::uint64_t count = std::min(blocks_per_batch, o.blocks - done);
    std::vector<PendingTx> batch;
    batch.reserve(count * o.txs_per_block);
    for (std::uint64_t i = 0; i < count * o.txs_per_block; ++i) batch.push_back(next_transfer(w));
    QPOW_RETURN_IF_ERROR(sign_batch(batch, w));
    for (std::uint64_t b = 0; b < count; ++b) {
      std::vector<primitives::Transaction> txs;
      txs.reserve(o.txs_per_block);
      for (std::uint64_t t = 0; t < o.txs_per_block; ++t) {
        txs.push_back(std::move(batch[b * o.txs_per_block + t].tx));
      }
      QPOW_ASSIGN_OR_RETURN(const std::size_t size, extend_chain(w, std::move(txs)));
      bytes += size;
    }
    done += count;
  }
  const chain::BlockIndexEntry& tip = w.chainstate->tip();
  Json j;
  j["chain_dir"] = w.store->path();
  j["height"] = tip.height();
  j["hash"] = util::to_hex(tip.hash);
  j["txs"] = o.blocks * o.txs_per_block;
  j["bytes"] = bytes;
  j["threads"] = w.pool->concurrency();
  j["seconds"] = seconds_since(start);
  return j;
}

Status check_make_chain(const ChainBenchOptions& o) {
  if (o.datadir.empty()) return Status::invalid_argument("--datadir is required");
  if (o.blocks < kBlocksMin || o.blocks > kBlocksMax) {
    return Status::out_of_range(
        fmt::format("--blocks: {} is out of range; use {}..{}", o.blocks, kBlocksMin, kBlocksMax));
  }
  if (o.txs_per_block > kTxsPerBlockMax) {
    return Status::out_of_range(fmt::format("--txs-per-block: {} is out of range; use 0..{}",
                                            o.txs_per_block, kTxsPerBlockMax));
  }
  const consensus::ChainParams& params = regtest_params();
  const std::uint64_t last_time =
      params.genesis_time + o.blocks * static_cast<std::uint64_t>(params.target_spacing_s);
  if (last_time > unix_time_now()) {
    return Status::out_of_range(
        fmt::format("--blocks: {} blocks {} s apart from the genesis time would end in the future",
                    o.blocks, params.target_spacing_s));
  }
  return check_threads_option(o.threads);
}

// ---- validate-chain ----------------------------------------------------------------------------

// A directory removed with everything in it when this goes out of scope.
class TempDir {
 public:
  static Result<TempDir> create(std::string_view prefix) {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) return Status::io_error("no temporary directory: " + ec.message());
    std::string pattern = (base / fmt::format("{}-XXXXXX", prefix)).string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return Status::io_error("could not create a temporary directory in " + base.string());
    }
    return TempDir(pattern);
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;  // best effort: a left-over directory in /tmp is not worth failing over
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The chain read from and the fresh one written to, in construction order (destroyed in
// reverse: the chainstates before their stores, the stores before the directory).
struct Validation {
  std::unique_ptr<storage::RocksDbStore> source_store;
  util::InlineExecutor source_executor;  // the source chain is only read
  std::unique_ptr<chain::Chainstate> source;
  std::optional<TempDir> scratch;
  std::unique_ptr<storage::RocksDbStore> target_store;
  std::unique_ptr<runtime::ThreadPool> pool;
  std::unique_ptr<chain::Chainstate> target;
};

Status open_validation(const ChainBenchOptions& o, Validation& v) {
  const consensus::ChainParams& params = regtest_params();
  storage::RocksDbOptions source_options;
  source_options.create_if_missing = false;
  QPOW_ASSIGN_OR_RETURN(v.source_store,
                        storage::RocksDbStore::open(chain_dir_of(o.datadir), source_options));
  QPOW_ASSIGN_OR_RETURN(v.source,
                        chain::Chainstate::open(*v.source_store, params, v.source_executor));
  QPOW_ASSIGN_OR_RETURN(TempDir scratch, TempDir::create("qpow-validate"));
  v.scratch.emplace(std::move(scratch));
  const std::string target_dir = (std::filesystem::path(v.scratch->path()) / "chain").string();
  QPOW_ASSIGN_OR_RETURN(v.target_store, storage::RocksDbStore::open(target_dir, {}));
  QPOW_ASSIGN_OR_RETURN(v.pool, runtime::ThreadPool::create(o.threads));
  QPOW_ASSIGN_OR_RETURN(v.target, chain::Chainstate::open(*v.target_store, params, *v.pool));
  return Status::ok();
}

struct ValidationTotals {
  std::uint64_t blocks = 0;
  std::uint64_t txs = 0;
  std::uint64_t bytes = 0;
  double accept_seconds = 0;
  double read_seconds = 0;
  double cpu_seconds = 0;  // process CPU time (all threads) over the whole loop
};

Status validate_block_at(Validation& v, std::uint64_t height, ValidationTotals& totals) {
  const chain::BlockIndexEntry* entry = v.source->active_at(height);
  QPOW_ASSERT(entry != nullptr);  // height is at most the source's tip
  const auto read_start = std::chrono::steady_clock::now();
  QPOW_ASSIGN_OR_RETURN(const std::optional<primitives::Block> block,
                        v.source->read_block(entry->hash));
  totals.read_seconds += seconds_since(read_start);
  if (!block) {
    return Status::error(util::StatusCode::kCorruption,
                         fmt::format("block {} of the active chain is not stored", height));
  }
  const auto accept_start = std::chrono::steady_clock::now();
  QPOW_ASSIGN_OR_RETURN(const consensus::Verdict verdict,
                        v.target->accept_block(*block, unix_time_now()));
  totals.accept_seconds += seconds_since(accept_start);
  if (!verdict.is_ok()) {
    return Status::error(util::StatusCode::kInternal,
                         fmt::format("block {} refused: {}", height, verdict.to_string()));
  }
  totals.blocks += 1;
  totals.txs += block->txs.size();
  totals.bytes += primitives::block_size(*block);
  return Status::ok();
}

Result<Json> validate_chain(const ChainBenchOptions& o) {
  Validation v;
  QPOW_RETURN_IF_ERROR(open_validation(o, v));
  ValidationTotals totals;
  const std::uint64_t tip = v.source->tip().height();
  const std::clock_t cpu_start = std::clock();
  for (std::uint64_t height = 1; height <= tip; ++height) {
    QPOW_RETURN_IF_ERROR(validate_block_at(v, height, totals));
  }
  totals.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (v.target->tip().hash != v.source->tip().hash) {
    return Status::error(util::StatusCode::kInternal, "the validated tip differs from the source");
  }
  const double s = totals.accept_seconds;
  Json j;
  j["height"] = tip;
  j["hash"] = util::to_hex(v.target->tip().hash);
  j["blocks"] = totals.blocks;
  j["txs"] = totals.txs;
  j["bytes"] = totals.bytes;
  j["threads"] = v.pool->concurrency();
  j["seconds"] = s;
  j["read_seconds"] = totals.read_seconds;
  // Far below `seconds` when synced writes, not computation, bound the speed.
  j["cpu_seconds"] = totals.cpu_seconds;
  j["blocks_per_second"] = s > 0 ? static_cast<double>(totals.blocks) / s : 0.0;
  j["mb_per_second"] = s > 0 ? static_cast<double>(totals.bytes) / kBytesPerMegabyte / s : 0.0;
  j["txs_per_second"] = s > 0 ? static_cast<double>(totals.txs) / s : 0.0;
  return j;
}

// ---- the commands ------------------------------------------------------------------------------

int run_make_chain(const ChainBenchOptions& o, const CommandContext& ctx) {
  if (const Status checked = check_make_chain(o); !checked.is_ok()) return fail_usage(ctx, checked);
  const Result<Json> report = make_chain(o);
  if (!report.is_ok()) return fail_operation(ctx, report.status());
  print_report(*report, o.json, ctx.io.out);
  return kExitOk;
}

int run_validate_chain(const ChainBenchOptions& o, const CommandContext& ctx) {
  if (o.datadir.empty()) return fail_usage(ctx, "--datadir is required");
  if (const Status checked = check_threads_option(o.threads); !checked.is_ok()) {
    return fail_usage(ctx, checked);
  }
  const Result<Json> report = validate_chain(o);
  if (!report.is_ok()) return fail_operation(ctx, report.status());
  print_report(*report, o.json, ctx.io.out);
  return kExitOk;
}

void add_common_options(CLI::App& cmd, ChainBenchOptions& o) {
  cmd.add_option("--datadir", o.datadir, "Data directory; the chain is <datadir>/regtest/chain")
      ->required();
  cmd.add_option(
         "--threads", o.threads,
         fmt::format("Thread pool size, 0..{} (0: one per core)", runtime::ThreadPool::kThreadsMax))
      ->capture_default_str()
      ->check(non_negative());
  cmd.add_flag("--json", o.json, "Print one JSON object instead of key=value pairs");
}

}  // namespace

void add_bench_chain_commands(CLI::App& bench, CommandContext& ctx) {
  auto make = std::make_shared<ChainBenchOptions>();
  CLI::App* make_cmd = bench.add_subcommand(
      "make-chain", "Write a regtest chain of signed transfers for sync benchmarks");
  add_common_options(*make_cmd, *make);
  make_cmd
      ->add_option("--blocks", make->blocks,
                   fmt::format("Blocks to write, {}..{}", kBlocksMin, kBlocksMax))
      ->capture_default_str()
      ->check(non_negative());
  make_cmd
      ->add_option("--txs-per-block", make->txs_per_block,
                   fmt::format("ML-DSA-65 transfers per block, 0..{}", kTxsPerBlockMax))
      ->capture_default_str()
      ->check(non_negative());
  make_cmd->add_option("--seed", make->seed, "Derives the sending accounts' keys")
      ->capture_default_str()
      ->check(non_negative());
  make_cmd->callback([make, &ctx] { ctx.exit_code = run_make_chain(*make, ctx); });

  auto validate = std::make_shared<ChainBenchOptions>();
  CLI::App* validate_cmd = bench.add_subcommand(
      "validate-chain", "Validate a chain's blocks into a fresh database: blocks, MB and txs/s");
  add_common_options(*validate_cmd, *validate);
  validate_cmd->callback([validate, &ctx] { ctx.exit_code = run_validate_chain(*validate, ctx); });
}

}  // namespace qpow::app
