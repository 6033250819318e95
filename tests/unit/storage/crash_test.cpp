// Atomicity and durability of RocksDbStore::write under SIGKILL. A child process writes batches
// forever; each batch sets every one of kKeys state keys to the same counter (plus a padding that
// spreads the batch over several WAL blocks) and the "tip" meta key to that counter. The parent
// kills it at random moments, reopens the database, and checks that every key agrees with the tip
// (no batch was torn) and that the tip never went backwards (no synced batch was lost).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "crash_harness.h"
#include "storage/rocksdb_store.h"

namespace qpow::storage {
namespace {

using util::Bytes;

constexpr int kKeys = 16;
constexpr std::size_t kPaddingBytes = 2048;  // 16 keys x 2 KiB: a batch spans WAL blocks (32 KiB)
constexpr std::string_view kTipKey = "tip";
// Opening takes tens of milliseconds and a synced batch a few, so delays up to a quarter second
// kill some children while they open or recover the database and most while they write.
constexpr int kRounds = 30;
constexpr int kDelayMaxMs = 250;
// Exit codes of the writer, so a failed child says where it failed.
constexpr int kOpenFailed = 2;
constexpr int kReadFailed = 3;
constexpr int kWriteFailed = 4;

Bytes key_of(int i) {
  const std::string key = "counter/" + std::to_string(i);
  return util::to_bytes(util::as_bytes(key));
}

Bytes encode_counter(std::uint64_t counter) {
  Bytes out(8);
  util::store_le64(out.data(), counter);
  return out;
}

// The value of every key at `counter`: the counter, then padding derived from it.
Bytes value_of(std::uint64_t counter) {
  Bytes out = encode_counter(counter);
  for (std::size_t i = 0; i < kPaddingBytes; ++i) {
    out.push_back(static_cast<std::uint8_t>(counter * 31 + i));
  }
  return out;
}

// Reads the tip (0 when none was written yet).
util::Result<std::uint64_t> read_tip(const KvStore& store) {
  QPOW_ASSIGN_OR_RETURN(const std::optional<Bytes> tip,
                        store.get(Column::kMeta, util::as_bytes(kTipKey)));
  if (!tip) return std::uint64_t{0};
  if (tip->size() != 8) return util::Status::error(util::StatusCode::kCorruption, "tip size");
  return util::load_le64(tip->data());
}

RocksDbOptions crash_options() {
  return RocksDbOptions{.block_cache_bytes = std::size_t{8} << 20,
                        .write_buffer_bytes = std::size_t{16} << 20,
                        .max_open_files = 64,
                        .create_if_missing = true};
}

int write_forever(const std::string& dir) {
  util::Result<std::unique_ptr<RocksDbStore>> store = RocksDbStore::open(dir, crash_options());
  if (!store.is_ok()) return kOpenFailed;
  const util::Result<std::uint64_t> tip = read_tip(**store);
  if (!tip.is_ok()) return kReadFailed;
  for (std::uint64_t counter = *tip + 1;; ++counter) {
    WriteBatch batch;
    const Bytes value = value_of(counter);
    for (int i = 0; i < kKeys; ++i) batch.put(Column::kState, key_of(i), value);
    batch.put(Column::kMeta, util::as_bytes(kTipKey), encode_counter(counter));
    if (!(*store)->write(batch).is_ok()) return kWriteFailed;
  }
}

TEST(RocksDbCrash, KilledWriterNeverLeavesATornOrLostBatch) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  std::uint64_t last_tip = 0;
  int rounds_with_progress = 0;
  const test::CrashLoopStats stats = test::run_crash_loop(
      {.seed = 20261121,
       .rounds = kRounds,
       .delay_min = std::chrono::milliseconds(0),
       .delay_max = std::chrono::milliseconds(kDelayMaxMs)},
      [&] { return write_forever(dir); },
      [&](int round) {
        util::Result<std::unique_ptr<RocksDbStore>> store =
            RocksDbStore::open(dir, crash_options());
        ASSERT_TRUE(store.is_ok()) << "round " << round << ": " << store.status().to_string();
        const util::Result<std::uint64_t> tip = read_tip(**store);
        ASSERT_TRUE(tip.is_ok()) << tip.status().to_string();
        EXPECT_GE(*tip, last_tip) << "round " << round << ": the tip went backwards";
        if (*tip > last_tip) ++rounds_with_progress;
        last_tip = *tip;
        for (int i = 0; i < kKeys; ++i) {
          util::Result<std::optional<Bytes>> value = (*store)->get(Column::kState, key_of(i));
          ASSERT_TRUE(value.is_ok()) << value.status().to_string();
          if (*tip == 0) {
            EXPECT_EQ(*value, std::nullopt) << "round " << round << ", key " << i;
          } else {
            ASSERT_TRUE(value->has_value()) << "round " << round << ", key " << i << " missing";
            EXPECT_TRUE(**value == value_of(*tip))
                << "round " << round << ", key " << i << " holds counter "
                << ((*value)->size() >= 8 ? util::load_le64((*value)->data()) : 0)
                << ", the tip is " << *tip;
          }
        }
      });
  EXPECT_EQ(stats.exited, 0);
  EXPECT_GT(stats.killed, 0);
  // The writers made progress: the test did not just kill processes that never wrote.
  EXPECT_GT(last_tip, 0u);
  std::printf("crash test: %d kills, %d rounds wrote batches, final tip %llu\n", stats.killed,
              rounds_with_progress, static_cast<unsigned long long>(last_tip));
}

}  // namespace
}  // namespace qpow::storage
