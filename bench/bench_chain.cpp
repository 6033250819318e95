// Ledger benchmarks (docs/benchmarks.md, "Ledger"):
//
//   BM_RawVerify/threads:T        1,000 ML-DSA-65 transaction signatures verified on a T-thread
//                                 pool: the ceiling block validation is measured against
//   BM_ValidateBlock/threads:T    apply_block() of a block of 1,000 ML-DSA-65 transfers from
//                                 1,000 accounts whose keys are on chain: state rules, parallel
//                                 signature checks, miner credit, new state root (2,001 accounts)
//   BM_ConnectDisconnect          a 100-transfer block connected (state writes + undo + tip in one
//                                 synced RocksDB batch) and disconnected again, on disk
//   BM_StorageSize                bytes on disk after 100 blocks of 100 transfers, per 10,000 txs
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "chain/block_apply.h"
#include "chain/chainstate.h"
#include "consensus/chain_params.h"
#include "consensus/pow.h"
#include "runtime/thread_pool.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "storage/state_store.h"

namespace {

using namespace qpow;

const consensus::ChainParams& regtest() {
  return consensus::chain_params(primitives::Network::kRegtest);
}

struct Account {
  crypto::KeyPair key;
  primitives::Address address{};
};

Account make_account(std::uint32_t i) {
  util::Bytes seed(32, 0);
  util::store_le32(seed.data(), i + 1);
  Account a{.key = std::move(crypto::keygen(crypto::kDefaultScheme, seed)).value(), .address = {}};
  a.address = primitives::Address::from_public_key(crypto::kDefaultScheme, a.key.public_key);
  return a;
}

primitives::Transaction signed_transfer(const Account& from, const primitives::Address& to,
                                        std::uint64_t nonce, bool include_key) {
  primitives::Transaction tx;
  tx.chain_id = regtest().chain_id;
  tx.sender = from.address;
  tx.recipient = to;
  tx.nonce = nonce;
  tx.amount = 1000;
  tx.fee = 10'000;
  auto st = primitives::sign_tx(tx, {.scheme = crypto::kDefaultScheme,
                                     .secret_key = from.key.secret_key.span(),
                                     .public_key = from.key.public_key,
                                     .include_public_key = include_key,
                                     .mode = crypto::SigningMode::kDeterministic});
  if (!st.is_ok()) std::abort();
  return tx;
}

// 1,000 funded accounts with keys on chain, and a block of one transfer from each.
struct BlockFixture {
  static constexpr std::size_t kTxs = 1000;
  storage::MemoryStore store;
  primitives::Block block;
  std::vector<consensus::AccountKey> keys;

  BlockFixture() {
    state::AccountChanges funded;
    std::vector<Account> accounts;
    for (std::uint32_t i = 0; i < kTxs; ++i) {
      accounts.push_back(make_account(i));
      state::Account acc;
      acc.balance = 1'000'000'000;
      acc.key = state::AccountKey::from_public_key(crypto::kDefaultScheme,
                                                   accounts.back().key.public_key);
      funded[accounts.back().address] = acc;
      keys.push_back(*acc.key);
    }
    storage::StateStore state_store(store);
    auto update = state::AccountState(state_store).apply(funded);
    storage::WriteBatch batch;
    storage::add_state_writes(update->writes, batch);
    if (!store.write(batch).is_ok()) std::abort();
    for (std::uint32_t i = 0; i < kTxs; ++i) {
      primitives::Address to{};
      util::store_le32(to.bytes.data(), 0x8000'0000u + i);
      block.txs.push_back(signed_transfer(accounts[i], to, 0, false));
    }
    block.header.height = 1;
    util::store_le32(block.header.miner.bytes.data(), 0xffff'ffffu);
  }
};

BlockFixture& block_fixture() {
  static BlockFixture f;
  return f;
}

std::unique_ptr<runtime::ThreadPool> pool(std::size_t threads) {
  return std::move(runtime::ThreadPool::create(threads)).value();
}

void BM_RawVerify(benchmark::State& state) {
  BlockFixture& f = block_fixture();
  auto executor = pool(static_cast<std::size_t>(state.range(0)));
  std::vector<std::uint8_t> ok(f.block.txs.size());
  for (auto _ : state) {
    executor->parallel_for(f.block.txs.size(), [&](std::size_t i) {
      ok[i] = consensus::check_tx_signature(f.block.txs[i], f.keys[i]).is_ok();
    });
    benchmark::DoNotOptimize(ok.data());
  }
  for (auto v : ok)
    if (!v) state.SkipWithError("a signature failed");
  state.counters["verifications_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * f.block.txs.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RawVerify)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ValidateBlock(benchmark::State& state) {
  BlockFixture& f = block_fixture();
  auto executor = pool(static_cast<std::size_t>(state.range(0)));
  storage::StateStore state_store(f.store);
  const state::AccountState accounts(state_store);
  for (auto _ : state) {
    auto outcome = chain::apply_block(f.block, accounts, regtest(), *executor);
    if (!outcome.is_ok() || !outcome->verdict.is_ok()) {
      state.SkipWithError("block did not validate");
      break;
    }
    benchmark::DoNotOptimize(outcome->effects.state_root);
  }
  state.counters["txs_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * f.block.txs.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ValidateBlock)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The state-root part of BM_ValidateBlock alone: the 2,001 account changes of that block applied
// to the 1,000-account state (hash every changed path, encode every changed node).
void BM_StateRootUpdate(benchmark::State& state) {
  BlockFixture& f = block_fixture();
  storage::StateStore state_store(f.store);
  const state::AccountState accounts(state_store);
  util::InlineExecutor inline_executor;
  auto outcome = chain::apply_block(f.block, accounts, regtest(), inline_executor);
  const state::AccountChanges& changes = outcome->effects.changes;
  for (auto _ : state) {
    auto update = accounts.apply(changes);
    benchmark::DoNotOptimize(update->root);
  }
  state.counters["account_updates_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * changes.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StateRootUpdate)->Unit(benchmark::kMillisecond)->UseRealTime();

std::string temp_dir(const char* name) {
  auto dir = std::filesystem::temp_directory_path() /
             (std::string("qpow-bench-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

std::uint64_t dir_bytes(const std::string& dir) {
  std::uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// A chain of `blocks` blocks of `per_block` transfers from the dev key, mined on regtest.
std::vector<primitives::Block> make_chain(std::size_t blocks, std::size_t per_block) {
  storage::MemoryStore store;
  util::InlineExecutor inline_executor;
  auto cs = std::move(chain::Chainstate::open(store, regtest(), inline_executor)).value();
  Account dev{.key = consensus::dev_keypair(regtest()), .address = {}};
  dev.address = primitives::Address::from_public_key(crypto::kDefaultScheme, dev.key.public_key);
  std::vector<primitives::Block> out;
  std::uint64_t nonce = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    chain::BlockAssembly a{
        .txs = {}, .miner = dev.address, .time = cs->tip().header.time + 2, .extra = {}};
    for (std::size_t i = 0; i < per_block; ++i, ++nonce) {
      primitives::Address to{};
      util::store_le64(to.bytes.data(), nonce % 5000 + 1);
      a.txs.push_back(signed_transfer(dev, to, nonce, nonce == 0));
    }
    auto r = cs->assemble_block(a);
    primitives::Block block = r->second;
    while (!consensus::check_pow(block.header, regtest()).is_ok()) ++block.header.nonce;
    if (!cs->accept_block(block, block.header.time)->is_ok()) std::abort();
    out.push_back(std::move(block));
  }
  return out;
}

void BM_ConnectDisconnect(benchmark::State& state) {
  static const std::vector<primitives::Block> blocks = make_chain(1, 100);
  const std::string dir = temp_dir("connect");
  auto store = std::move(storage::RocksDbStore::open(dir, {})).value();
  util::InlineExecutor inline_executor;
  auto cs = std::move(chain::Chainstate::open(*store, regtest(), inline_executor)).value();
  const primitives::Block& block = blocks[0];
  storage::StateStore state_store(*store);
  std::uint64_t touched = 0;
  for (auto _ : state) {
    // Connect: what Chainstate::connect commits.
    const state::AccountState accounts(state_store);
    auto outcome = chain::apply_block(block, accounts, regtest(), inline_executor);
    storage::WriteBatch connect;
    storage::add_state_writes(outcome->effects.writes, connect);
    connect.put(storage::Column::kUndo, primitives::block_hash(block.header),
                *chain::encode_undo(outcome->effects.undo));
    connect.put(storage::Column::kMeta, util::as_bytes("bench-tip"),
                primitives::block_hash(block.header));
    if (!store->write(connect).is_ok()) std::abort();
    // Disconnect: the undo record's values back, one batch.
    state::AccountChanges previous(outcome->effects.undo.begin(), outcome->effects.undo.end());
    auto update = accounts.apply(previous);
    storage::WriteBatch disconnect;
    storage::add_state_writes(update->writes, disconnect);
    disconnect.erase(storage::Column::kUndo, primitives::block_hash(block.header));
    if (!store->write(disconnect).is_ok()) std::abort();
    if (update->root != block.header.state_root && update->root != cs->tip().header.state_root) {
      state.SkipWithError("disconnect did not restore the root");
    }
    touched += 2 * outcome->effects.changes.size();
  }
  state.counters["blocks_per_s"] =
      benchmark::Counter(2.0 * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["account_updates_per_s"] =
      benchmark::Counter(static_cast<double>(touched), benchmark::Counter::kIsRate);
  cs.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ConnectDisconnect)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_StorageSize(benchmark::State& state) {
  constexpr std::size_t kBlocks = 100;
  constexpr std::size_t kPerBlock = 100;
  static const std::vector<primitives::Block> blocks = make_chain(kBlocks, kPerBlock);
  for (auto _ : state) {
    const std::string dir = temp_dir("size");
    {
      auto store = std::move(storage::RocksDbStore::open(dir, {})).value();
      util::InlineExecutor inline_executor;
      auto cs = std::move(chain::Chainstate::open(*store, regtest(), inline_executor)).value();
      for (const auto& b : blocks) {
        if (!cs->accept_block(b, b.header.time)->is_ok()) std::abort();
      }
    }
    state.counters["bytes_per_10k_txs"] =
        static_cast<double>(dir_bytes(dir)) * 10'000.0 / (kBlocks * kPerBlock);
    std::filesystem::remove_all(dir);
  }
}
BENCHMARK(BM_StorageSize)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
