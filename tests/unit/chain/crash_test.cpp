// Crash safety of the chain on disk (DESIGN §4). A child process feeds the blocks of two competing
// branches into a Chainstate over RocksDB, in an order that makes it reorganise from one branch
// to the other again and again, and is SIGKILLed at random moments. After each kill the parent
// reopens the database (opening is all it does: there is no repair step) and checks that
//   - the tip is a prepared block and the active chain is exactly that block's branch below it;
//   - the stored state root is the tip header's, and every tracked account is what it was after
//     the tip block when the branch was built in memory;
//   - the tip is the best chain among the prepared blocks the database holds (opening carries an
//     interrupted reorganisation on to it), and no block a child stored was lost.
// Connecting and disconnecting a block are each one synced write batch that also moves the tip,
// so wherever the kill lands the database holds one tip and the state after exactly that tip.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "storage/rocksdb_store.h"
#include "support/build_info.h"
#include "unit/storage/crash_harness.h"
#include "util/hex.h"

namespace qpow::chain {
namespace {

constexpr int kBranches = 2;
constexpr int kKeys = 4;  // deterministic keys the transfers move funds among
// Seed bytes of the deterministic keys (test::make_key): the keys, and one miner per branch.
constexpr std::uint8_t kKeySeed = 0xc0;
constexpr std::uint8_t kMinerSeed = 0x4d;
// What block 1 gives each key from the dev key's genesis allocation, in whole coins.
constexpr std::uint64_t kFundingCoins = 1000;

// The schedule feeds branch 0 up to first_length blocks, then branch 1 up to first_length + step,
// branch 0 again up to first_length + 2 * step, and so on for `segments` segments: every segment
// after the first overtakes the other branch, so the child disconnects the whole of it (down to
// genesis) and connects the branch it is fed. The delays let a child write for a while before
// the kill; the database carries the progress from one child to the next.
struct CrashSizes {
  int first_length = 0;
  int step = 0;
  int segments = 0;
  int transfers_per_block = 0;  // from block 2 on; block 1 funds the keys from the dev key
  int rounds = 0;
  int delay_min_ms = 0;
  int delay_max_ms = 0;
};

// Each connect and disconnect is a synced write, a few milliseconds on an ordinary disk, so the
// schedule is longer than the children get through in the rounds: each child is killed while it
// still has work to do, most often in the middle of a reorganisation. Sanitizer builds check
// every stack access of the signature and hash kernels, several times slower: they prepare
// shorter branches with fewer transfers.
constexpr CrashSizes kSizes = test::kSanitizerBuild ? CrashSizes{.first_length = 15,
                                                                 .step = 5,
                                                                 .segments = 12,
                                                                 .transfers_per_block = 1,
                                                                 .rounds = 20,
                                                                 .delay_min_ms = 20,
                                                                 .delay_max_ms = 800}
                                                    : CrashSizes{.first_length = 20,
                                                                 .step = 6,
                                                                 .segments = 34,
                                                                 .transfers_per_block = 1,
                                                                 .rounds = 25,
                                                                 .delay_min_ms = 20,
                                                                 .delay_max_ms = 800};

// Exit codes of the writer, so a failed child says where it failed.
constexpr int kOpenFailed = 2;
constexpr int kStoreFailed = 3;
constexpr int kBlockRejected = 4;

const consensus::ChainParams& regtest() {
  return consensus::chain_params(primitives::Network::kRegtest);
}

storage::RocksDbOptions crash_options() {
  return storage::RocksDbOptions{.block_cache_bytes = std::size_t{8} << 20,
                                 .write_buffer_bytes = std::size_t{16} << 20,
                                 .max_open_files = 64,
                                 .create_if_missing = true};
}

struct AccountView {
  std::uint64_t balance = 0;
  std::uint64_t nonce = 0;
};

struct PreparedBlock {
  primitives::Block block;
  crypto::Hash256 hash{};
  std::vector<AccountView> accounts;  // of Prepared::tracked, after this block
};

struct Position {
  int branch = 0;
  std::uint64_t height = 0;
};

struct Prepared {
  std::vector<primitives::Address> tracked;  // dev key, kKeys keys, one miner per branch
  std::array<std::vector<PreparedBlock>, kBranches> branches;  // both start with genesis
  std::map<crypto::Hash256, Position> positions;               // genesis is on branch 0
  std::vector<Position> schedule;  // the order the children feed the blocks in
  std::uint64_t now = 0;           // an adjusted time no prepared block is too new for

  const PreparedBlock& at(Position p) const { return branches[p.branch][p.height]; }
};

struct Keys {
  test::Key dev = test::dev_key();
  std::vector<test::Key> keys;
  std::vector<test::Key> miners;
};

Keys make_keys() {
  Keys k;
  for (int i = 0; i < kKeys; ++i) {
    k.keys.push_back(test::make_key(static_cast<std::uint8_t>(kKeySeed + i)));
  }
  for (int b = 0; b < kBranches; ++b) {
    k.miners.push_back(test::make_key(static_cast<std::uint8_t>(kMinerSeed + b)));
  }
  return k;
}

std::vector<AccountView> read_accounts(const Chainstate& chain,
                                       const std::vector<primitives::Address>& tracked) {
  std::vector<AccountView> out;
  for (const primitives::Address& a : tracked) {
    auto acc = chain.account(a);
    EXPECT_TRUE(acc.is_ok()) << acc.status().to_string();
    AccountView v;
    if (acc.is_ok() && acc->has_value()) v = {.balance = (*acc)->balance, .nonce = (*acc)->nonce};
    out.push_back(v);
  }
  return out;
}

// The transfers of block `height` on `branch`: block 1 funds every key from the dev key; later
// blocks pass small amounts from key to key, along different routes on the two branches so their
// balances differ. `nonces` holds each key's next nonce on this branch.
std::vector<primitives::Transaction> transfers_for(int branch, std::uint64_t height,
                                                   const Keys& keys,
                                                   std::array<std::uint64_t, kKeys>& nonces) {
  std::vector<primitives::Transaction> txs;
  if (height == 1) {
    for (int i = 0; i < kKeys; ++i) {
      const std::uint64_t amount =
          (kFundingCoins + static_cast<std::uint64_t>(10 * branch + i)) * consensus::kCoin;
      txs.push_back(test::transfer(keys.dev, keys.keys[i].address, amount,
                                   static_cast<std::uint64_t>(i), i == 0));
    }
    return txs;
  }
  for (int t = 0; t < kSizes.transfers_per_block; ++t) {
    const std::size_t from = (height * kSizes.transfers_per_block + t) % kKeys;
    const std::size_t to = (from + 1 + static_cast<std::size_t>(branch)) % kKeys;
    const std::uint64_t nonce = nonces[from]++;
    txs.push_back(test::transfer(keys.keys[from], keys.keys[to].address, 1000 * height + t, nonce,
                                 nonce == 0));
  }
  return txs;
}

// Builds `length` blocks on genesis in a node of its own, in memory, recording what each block
// leaves in the tracked accounts. Block times keep exactly to the target spacing on both
// branches, so every block has the genesis difficulty and work is proportional to height.
std::vector<PreparedBlock> build_branch(int branch, int length, const Keys& keys,
                                        const std::vector<primitives::Address>& tracked) {
  storage::MemoryStore store;
  util::InlineExecutor executor;
  auto opened = Chainstate::open(store, regtest(), executor);
  EXPECT_TRUE(opened.is_ok()) << opened.status().to_string();
  if (!opened.is_ok()) return {};
  Chainstate& chain = **opened;
  auto genesis = chain.read_block(chain.tip().hash);
  EXPECT_TRUE(genesis.is_ok() && genesis->has_value());
  if (!genesis.is_ok() || !genesis->has_value()) return {};
  std::vector<PreparedBlock> out;
  out.push_back(
      {.block = **genesis, .hash = chain.tip().hash, .accounts = read_accounts(chain, tracked)});
  std::array<std::uint64_t, kKeys> nonces{};
  for (int h = 1; h <= length; ++h) {
    const std::uint64_t height = static_cast<std::uint64_t>(h);
    BlockAssembly a{
        .txs = transfers_for(branch, height, keys, nonces),
        .miner = keys.miners[static_cast<std::size_t>(branch)].address,
        .time = chain.tip().header.time + static_cast<std::uint64_t>(regtest().target_spacing_s),
        .extra = {}};
    a.extra[0] = static_cast<std::uint8_t>(branch);
    auto assembled = chain.assemble_block(a);
    EXPECT_TRUE(assembled.is_ok() && assembled->first.is_ok())
        << "branch " << branch << " height " << h;
    if (!assembled.is_ok() || !assembled->first.is_ok()) return {};
    primitives::Block block = assembled->second;
    EXPECT_EQ(block.header.bits, regtest().genesis_bits) << "branch " << branch << " height " << h;
    test::mine(block);
    auto v = chain.accept_block(block, block.header.time);
    EXPECT_TRUE(v.is_ok() && v->is_ok()) << "branch " << branch << " height " << h;
    if (!v.is_ok() || !v->is_ok()) return {};
    out.push_back(
        {.block = block, .hash = chain.tip().hash, .accounts = read_accounts(chain, tracked)});
  }
  return out;
}

int segment_length(int segment) {
  return kSizes.first_length + segment * kSizes.step;
}
int segment_branch(int segment) {
  return segment % kBranches;
}

void prepare(Prepared& p) {
  const Keys keys = make_keys();
  p.tracked.push_back(keys.dev.address);
  for (const test::Key& k : keys.keys) p.tracked.push_back(k.address);
  for (const test::Key& k : keys.miners) p.tracked.push_back(k.address);
  std::array<int, kBranches> lengths{};
  for (int s = 0; s < kSizes.segments; ++s) lengths[segment_branch(s)] = segment_length(s);
  for (int b = 0; b < kBranches; ++b) {
    p.branches[b] = build_branch(b, lengths[b], keys, p.tracked);
    ASSERT_EQ(p.branches[b].size(), static_cast<std::size_t>(lengths[b]) + 1);
  }
  ASSERT_EQ(p.branches[0][0].hash, p.branches[1][0].hash) << "the branches share genesis";
  for (int b = kBranches - 1; b >= 0; --b) {
    for (std::size_t h = 0; h < p.branches[b].size(); ++h) {
      p.positions[p.branches[b][h].hash] = {.branch = b, .height = h};
      p.now = std::max(p.now, p.branches[b][h].block.header.time);
    }
  }
  std::array<int, kBranches> fed{};
  for (int s = 0; s < kSizes.segments; ++s) {
    const int b = segment_branch(s);
    for (int h = fed[b] + 1; h <= segment_length(s); ++h) {
      p.schedule.push_back({.branch = b, .height = static_cast<std::uint64_t>(h)});
    }
    fed[b] = segment_length(s);
  }
}

// The child: opens the chain on disk and feeds it the schedule. Blocks an earlier child stored
// are accepted again at once, so each child carries on where the last one was killed. Returns 0
// once the whole schedule is stored (the remaining rounds then check a database at rest).
int feed_schedule(const std::string& dir, const Prepared& p) {
  auto store = storage::RocksDbStore::open(dir, crash_options());
  if (!store.is_ok()) return kOpenFailed;
  util::InlineExecutor executor;
  auto chain = Chainstate::open(**store, regtest(), executor);
  if (!chain.is_ok()) return kOpenFailed;
  for (const Position& pos : p.schedule) {
    const util::Result<consensus::Verdict> v = (*chain)->accept_block(p.at(pos).block, p.now);
    if (!v.is_ok()) return kStoreFailed;
    if (!v->is_ok()) return kBlockRejected;
  }
  return 0;
}

struct RoundLog {
  std::size_t stored = 0;  // prepared blocks with their data on disk, genesis excluded
  std::array<bool, kBranches> tip_seen_on{};
  Position last_tip;
  int tip_switches = 0;  // rounds whose tip was on another branch than the round before
};

// The active chain below the tip is the tip's own branch, and nothing is above it.
void check_active_chain(const Chainstate& chain, const Prepared& p, Position tip) {
  for (std::uint64_t h = 0; h <= tip.height; ++h) {
    const BlockIndexEntry* e = chain.active_at(h);
    ASSERT_NE(e, nullptr) << "no active block at height " << h << " below the tip";
    ASSERT_EQ(e->hash, p.branches[tip.branch][h].hash)
        << "active block at height " << h << " is not on the tip's branch " << tip.branch;
    ASSERT_EQ(e->height(), h);
  }
  EXPECT_EQ(chain.active_at(tip.height + 1), nullptr);
}

void check_state(const Chainstate& chain, const Prepared& p, Position tip) {
  const util::Result<crypto::Hash256> root = chain.state_root();
  ASSERT_TRUE(root.is_ok()) << root.status().to_string();
  EXPECT_EQ(util::to_hex(*root), util::to_hex(chain.tip().header.state_root))
      << "the stored state is not the tip's";
  const std::vector<AccountView> now = read_accounts(chain, p.tracked);
  const std::vector<AccountView>& expected = p.at(tip).accounts;
  ASSERT_EQ(now.size(), expected.size());
  for (std::size_t i = 0; i < now.size(); ++i) {
    EXPECT_EQ(now[i].balance, expected[i].balance) << "balance of tracked account " << i;
    EXPECT_EQ(now[i].nonce, expected[i].nonce) << "nonce of tracked account " << i;
  }
}

// Counts the prepared blocks stored with their data, and checks that the tip is the best of them
// by the fork-choice rule (most work, then the lower hash).
std::size_t check_best_of_stored(const Chainstate& chain, const Prepared& p) {
  std::size_t stored = 0;
  const BlockIndexEntry* best = &chain.genesis();
  for (const std::vector<PreparedBlock>& branch : p.branches) {
    for (std::size_t h = 1; h < branch.size(); ++h) {
      const BlockIndexEntry* e = chain.find(branch[h].hash);
      if (e == nullptr || (e->status & kHaveData) == 0) continue;
      ++stored;
      if (!e->chain_has_data) continue;
      const bool better =
          e->chain_work != best->chain_work
              ? e->chain_work > best->chain_work
              : util::Uint256::from_le_bytes(e->hash) < util::Uint256::from_le_bytes(best->hash);
      if (better) best = e;
    }
  }
  EXPECT_EQ(util::to_hex(chain.tip().hash), util::to_hex(best->hash))
      << "the tip is not the best stored chain (height " << chain.tip().height() << " vs "
      << best->height() << ")";
  return stored;
}

void check_reopened(const std::string& dir, const Prepared& p, int round, RoundLog& log) {
  SCOPED_TRACE("round " + std::to_string(round));
  auto store = storage::RocksDbStore::open(dir, crash_options());
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  util::InlineExecutor executor;
  auto opened = Chainstate::open(**store, regtest(), executor);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  const Chainstate& chain = **opened;
  const auto it = p.positions.find(chain.tip().hash);
  ASSERT_NE(it, p.positions.end()) << "the tip " << util::to_hex(chain.tip().hash) << " at height "
                                   << chain.tip().height() << " is no prepared block";
  const Position tip = it->second;
  ASSERT_NO_FATAL_FAILURE(check_active_chain(chain, p, tip));
  ASSERT_NO_FATAL_FAILURE(check_state(chain, p, tip));
  const std::size_t stored = check_best_of_stored(chain, p);
  EXPECT_GE(stored, log.stored) << "a block a child had stored is gone";
  log.stored = stored;
  if (tip.height == 0) return;
  log.tip_seen_on[tip.branch] = true;
  if (log.last_tip.height > 0 && tip.branch != log.last_tip.branch) ++log.tip_switches;
  log.last_tip = tip;
}

struct ReorgWork {
  std::uint64_t connected = 0;
  std::uint64_t disconnected = 0;
  int reorgs = 0;
};

bool better_tip(const Prepared& p, Position a, Position b) {
  if (a.height != b.height) return a.height > b.height;  // work is proportional to height
  return util::Uint256::from_le_bytes(p.at(a).hash) < util::Uint256::from_le_bytes(p.at(b).hash);
}

// What the node did to follow the best chain while the first `stored` blocks of the schedule
// arrived, the children and the reopening parent together.
ReorgWork reorg_work(const Prepared& p, std::size_t stored) {
  ReorgWork w;
  Position tip;  // genesis
  std::array<std::uint64_t, kBranches> fed{};
  for (std::size_t i = 0; i < stored && i < p.schedule.size(); ++i) {
    fed[p.schedule[i].branch] = p.schedule[i].height;
    Position best = tip;
    for (int b = 0; b < kBranches; ++b) {
      const Position candidate{.branch = b, .height = fed[b]};
      if (candidate.height > 0 && better_tip(p, candidate, best)) best = candidate;
    }
    if (best.height == tip.height && best.branch == tip.branch) continue;
    if (tip.height == 0 || best.branch == tip.branch) {
      w.connected += best.height - tip.height;
    } else {
      w.disconnected += tip.height;
      w.connected += best.height;
      ++w.reorgs;
    }
    tip = best;
  }
  return w;
}

TEST(ChainCrash, KilledWriterLeavesAConsistentTipStateAndBalances) {
  const auto started = std::chrono::steady_clock::now();
  Prepared p;
  ASSERT_NO_FATAL_FAILURE(prepare(p));
  const auto prepared = std::chrono::steady_clock::now();
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("chain");
  RoundLog log;
  const test::CrashLoopStats stats = test::run_crash_loop(
      {.seed = 20261203,
       .rounds = kSizes.rounds,
       .delay_min = std::chrono::milliseconds(kSizes.delay_min_ms),
       .delay_max = std::chrono::milliseconds(kSizes.delay_max_ms)},
      [&] { return feed_schedule(dir, p); },
      [&](int round) { check_reopened(dir, p, round, log); });
  EXPECT_GT(stats.killed, 0);
  // The children made progress: some round found the tip on the branch fed second, so at least
  // one reorganisation down to genesis happened.
  EXPECT_TRUE(log.tip_seen_on[0]) << "no round found the tip on the first branch";
  EXPECT_TRUE(log.tip_seen_on[1]) << "no round found the tip on the second branch";
  const ReorgWork work = reorg_work(p, log.stored);
  EXPECT_GT(work.disconnected, 0u);
  const auto done = std::chrono::steady_clock::now();
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  std::printf(
      "chain crash test: %zu of %zu blocks stored, %llu connected, %llu disconnected in %d "
      "reorganisations; %d kills, %d finished, %d rounds found the tip on the other branch; "
      "prepare %lld ms, crash loop %lld ms\n",
      log.stored, p.schedule.size(), static_cast<unsigned long long>(work.connected),
      static_cast<unsigned long long>(work.disconnected), work.reorgs, stats.killed, stats.exited,
      log.tip_switches,
      static_cast<long long>(duration_cast<milliseconds>(prepared - started).count()),
      static_cast<long long>(duration_cast<milliseconds>(done - prepared).count()));
}

}  // namespace
}  // namespace qpow::chain
