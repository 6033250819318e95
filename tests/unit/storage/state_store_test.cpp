// StateStore and add_state_writes: what the state layer hands over as StateWrites reaches
// Column::kState unchanged (puts and erases), and reads come back through state::NodeStore, from
// memory and from disk across a reopen.
#include "storage/state_store.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "crash_harness.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"

namespace qpow::storage {
namespace {

using util::Bytes;

Bytes b(std::string_view text) {
  return util::to_bytes(util::as_bytes(text));
}

std::optional<Bytes> read(const state::NodeStore& nodes, std::string_view key) {
  util::Result<std::optional<Bytes>> value = nodes.get(util::as_bytes(key));
  EXPECT_TRUE(value.is_ok()) << value.status().to_string();
  return value.is_ok() ? *value : std::nullopt;
}

TEST(AddStateWrites, PutsValuesAndErasesNulloptsInKeyOrder) {
  state::StateWrites writes;
  writes.append(b("node/a"), b("1"));
  writes.append(b("node/b"), b("2"));
  writes.append(b("node/c"), std::nullopt);
  WriteBatch batch;
  batch.put(Column::kMeta, util::as_bytes("tip"), util::as_bytes("7"));
  add_state_writes(writes, batch);
  ASSERT_EQ(batch.size(), 4u);
  const auto& ops = batch.ops();
  EXPECT_EQ(ops[1].column, Column::kState);
  EXPECT_EQ(ops[1].key, b("node/a"));
  EXPECT_EQ(ops[1].value, b("1"));
  EXPECT_EQ(ops[2].key, b("node/b"));
  EXPECT_EQ(ops[3].key, b("node/c"));
  EXPECT_EQ(ops[3].value, std::nullopt);
}

void round_trip(KvStore& kv) {
  const StateStore nodes(kv);
  state::StateWrites first;
  first.append(b("leaf"), b("account"));
  first.append(b("root"), b("r1"));
  WriteBatch batch;
  add_state_writes(first, batch);
  ASSERT_TRUE(kv.write(batch).is_ok());
  EXPECT_EQ(read(nodes, "root"), b("r1"));
  EXPECT_EQ(read(nodes, "leaf"), b("account"));
  EXPECT_EQ(read(nodes, "absent"), std::nullopt);

  state::StateWrites second;
  second.append(b("leaf"), std::nullopt);
  second.append(b("root"), b("r2"));
  batch.clear();
  add_state_writes(second, batch);
  ASSERT_TRUE(kv.write(batch).is_ok());
  EXPECT_EQ(read(nodes, "root"), b("r2"));
  EXPECT_EQ(read(nodes, "leaf"), std::nullopt);
  // State keys live in the state column only.
  util::Result<std::optional<Bytes>> in_meta = kv.get(Column::kMeta, util::as_bytes("root"));
  ASSERT_TRUE(in_meta.is_ok());
  EXPECT_EQ(*in_meta, std::nullopt);
}

TEST(StateStore, RoundTripInMemory) {
  MemoryStore kv;
  round_trip(kv);
}

TEST(StateStore, RoundTripOnDiskSurvivesReopen) {
  test::ScopedTempDir tmp;
  const std::string dir = tmp.sub("db");
  {
    util::Result<std::unique_ptr<RocksDbStore>> kv = RocksDbStore::open(dir, RocksDbOptions{});
    ASSERT_TRUE(kv.is_ok()) << kv.status().to_string();
    round_trip(**kv);
  }
  util::Result<std::unique_ptr<RocksDbStore>> kv = RocksDbStore::open(dir, RocksDbOptions{});
  ASSERT_TRUE(kv.is_ok()) << kv.status().to_string();
  const StateStore nodes(**kv);
  EXPECT_EQ(read(nodes, "root"), b("r2"));
  EXPECT_EQ(read(nodes, "leaf"), std::nullopt);
}

TEST(StateStore, KeyOverTheLimitIsAnError) {
  MemoryStore kv;
  const StateStore nodes(kv);
  EXPECT_EQ(nodes.get(Bytes(kKeyBytesMax + 1, 0)).status().code(), util::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace qpow::storage
