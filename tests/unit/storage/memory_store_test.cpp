// MemoryStore's point-read index against a reference map: seeded random puts, overwrites and
// erases (keys of every length from empty to a few hundred bytes, many sharing prefixes, so that
// probe chains form, wrap and lose members), then every key read back, present or not, and the
// ordered scan unchanged. The index only speeds reads up; these tests check it never changes one.
#include "storage/memory_store.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/node_store.h"
#include "support/split_mix64.h"

namespace qpow::storage {
namespace {

using util::Bytes;
// StateKeyLess: bytewise order, out of line (std::less<Bytes> trips a false g++ 12 warning).
using Reference = std::map<Bytes, Bytes, state::StateKeyLess>;

using Rng = ::qpow::test::SplitMix64;

// One of `universe` keys: short ones, hash-like ones behind a one-byte prefix, long ones.
Bytes key_of(std::size_t id) {
  Rng rng(id * 7919 + 1);
  const std::size_t length = id % 11 == 0 ? id % 7 : id % 13 == 0 ? 200 + id % 300 : 33;
  Bytes key(length);
  for (auto& byte : key) byte = static_cast<std::uint8_t>(rng.next());
  if (!key.empty()) key[0] = static_cast<std::uint8_t>('a' + id % 3);
  return key;
}

void expect_same(const MemoryStore& store, const Reference& reference, std::size_t universe) {
  for (std::size_t id = 0; id < universe; ++id) {
    const Bytes key = key_of(id);
    auto got = store.get(Column::kState, key);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    const auto it = reference.find(key);
    if (it == reference.end()) {
      EXPECT_FALSE(got->has_value()) << "key " << id << " should be absent";
    } else {
      ASSERT_TRUE(got->has_value()) << "key " << id << " should be present";
      EXPECT_EQ(**got, it->second) << "key " << id;
    }
  }
  EXPECT_EQ(store.entry_count(Column::kState), reference.size());
  auto scanned = store.scan_prefix(Column::kState, {}, kScanLimitMax);
  ASSERT_TRUE(scanned.is_ok());
  const std::vector<std::pair<Bytes, Bytes>> expected(reference.begin(), reference.end());
  EXPECT_TRUE(*scanned == expected);
}

TEST(MemoryStoreIndex, AgreesWithAMapThroughPutsOverwritesAndErases) {
  constexpr std::size_t kUniverse = 3000;
  Rng rng(42);
  MemoryStore store;
  Reference reference;
  for (int round = 0; round < 40; ++round) {
    WriteBatch batch;
    // Early rounds mostly grow the store; later ones erase as often as they write.
    const std::size_t erase_per_10 = round < 10 ? 1 : 5;
    for (int op = 0; op < 400; ++op) {
      const Bytes key = key_of(rng.below(kUniverse));
      if (rng.below(10) < erase_per_10) {
        batch.erase(Column::kState, key);
        reference.erase(key);
      } else {
        Bytes value(rng.below(40));
        for (auto& byte : value) byte = static_cast<std::uint8_t>(rng.next());
        batch.put(Column::kState, key, value);
        reference[key] = value;
      }
    }
    ASSERT_TRUE(store.write(batch).is_ok());
    if (round % 8 == 7) expect_same(store, reference, kUniverse);
  }
  // Empty the store, then fill it again: the index must not keep anything erased.
  WriteBatch clear;
  for (const auto& entry : reference) clear.erase(Column::kState, entry.first);
  ASSERT_TRUE(store.write(clear).is_ok());
  reference.clear();
  expect_same(store, reference, kUniverse);
  WriteBatch refill;
  for (std::size_t id = 0; id < kUniverse; id += 2) {
    refill.put(Column::kState, key_of(id), util::as_bytes("again"));
    reference[key_of(id)] = util::to_bytes(util::as_bytes("again"));
  }
  ASSERT_TRUE(store.write(refill).is_ok());
  expect_same(store, reference, kUniverse);
}

TEST(MemoryStoreIndex, ColumnsAreIndexedApart) {
  MemoryStore store;
  WriteBatch batch;
  batch.put(Column::kState, util::as_bytes("k"), util::as_bytes("state"));
  batch.put(Column::kMeta, util::as_bytes("k"), util::as_bytes("meta"));
  ASSERT_TRUE(store.write(batch).is_ok());
  EXPECT_EQ(**store.get(Column::kState, util::as_bytes("k")),
            util::to_bytes(util::as_bytes("state")));
  EXPECT_EQ(**store.get(Column::kMeta, util::as_bytes("k")),
            util::to_bytes(util::as_bytes("meta")));
  EXPECT_FALSE(store.get(Column::kUndo, util::as_bytes("k"))->has_value());
  WriteBatch erase;
  erase.erase(Column::kState, util::as_bytes("k"));
  ASSERT_TRUE(store.write(erase).is_ok());
  EXPECT_FALSE(store.get(Column::kState, util::as_bytes("k"))->has_value());
  EXPECT_EQ(**store.get(Column::kMeta, util::as_bytes("k")),
            util::to_bytes(util::as_bytes("meta")));
}

}  // namespace
}  // namespace qpow::storage
