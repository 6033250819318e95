// StateWrites: keys and values as appended, a stored empty value kept apart from a deletion, values
// across many arena blocks and of a block of their own intact, keys at the length bound, deep
// copies, moves that leave an empty usable set, and the assertion that guards append()'s order.
#include "state/state_writes.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/node_store.h"
#include "state_test_support.h"

namespace qpow::state {
namespace {

util::Bytes b(std::string_view text) {
  return util::to_bytes(util::as_bytes(text));
}

// The set as (key, value or "<deleted>") strings, in iteration order.
std::vector<std::pair<std::string, std::string>> dump(const StateWrites& writes) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : writes) {
    out.emplace_back(std::string(key.begin(), key.end()),
                     value ? std::string(value->begin(), value->end()) : "<deleted>");
  }
  return out;
}

using Dump = std::vector<std::pair<std::string, std::string>>;

TEST(StateWrites, AppendKeepsKeysAndValues) {
  StateWrites writes;
  EXPECT_TRUE(writes.empty());
  writes.append(b("a1"), b("one"));
  writes.append(b("a2"), std::nullopt);
  writes.append(b("n"), util::ByteSpan());
  const util::MutableByteSpan placed = writes.append_value(b("r"), 3);
  placed[0] = 'x';
  placed[1] = 'y';
  placed[2] = 'z';
  EXPECT_EQ(writes.size(), 4u);
  EXPECT_EQ(dump(writes), (Dump{{"a1", "one"}, {"a2", "<deleted>"}, {"n", ""}, {"r", "xyz"}}));
  // An empty value is a store of zero bytes, not a deletion.
  const auto empty = writes.find(b("n"));
  ASSERT_TRUE(empty.has_value());
  ASSERT_TRUE(empty->value.has_value());
  EXPECT_TRUE(empty->value->empty());
  const auto deleted = writes.find(b("a2"));
  ASSERT_TRUE(deleted.has_value());
  EXPECT_FALSE(deleted->value.has_value());
  EXPECT_FALSE(writes.find(b("a")).has_value());
  EXPECT_FALSE(writes.find(b("zz")).has_value());
}

TEST(StateWrites, ValuesSurviveManyBlocksAndLargeValues) {
  test::SplitMix64 rng(17);
  StateWrites writes;
  std::vector<util::Bytes> values;
  for (std::size_t i = 0; i < 3000; ++i) {
    // Mostly node-sized, some record-sized, a few larger than a block's share.
    const std::size_t size = i % 500 == 7 ? 70'000 : i % 3 == 0 ? 2'000 : rng.below(140);
    util::Bytes value(size);
    for (auto& byte : value) byte = static_cast<std::uint8_t>(rng.next());
    util::Bytes key{'k', static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
    writes.append(key, value);
    values.push_back(std::move(value));
  }
  ASSERT_EQ(writes.size(), values.size());
  std::size_t i = 0;
  for (const auto& [key, value] : writes) {
    ASSERT_TRUE(value.has_value());
    EXPECT_TRUE(util::bytes_equal(*value, values[i])) << "value " << i;
    ++i;
  }
}

TEST(StateWrites, KeysUpToTheBound) {
  StateWrites writes;
  const util::Bytes longest(kStateKeyBytesMax, 0xee);
  writes.append(util::Bytes{}, b("empty key"));
  writes.append(longest, b("longest"));
  EXPECT_EQ(writes.find(longest)->value->size(), 7u);
  EXPECT_EQ(writes.find(util::Bytes{})->value->size(), 9u);
  EXPECT_DEATH(writes.append(util::Bytes(kStateKeyBytesMax + 1, 0xff), std::nullopt),
               "kStateKeyBytesMax");
}

TEST(StateWrites, AppendOutOfOrderIsABug) {
  StateWrites writes;
  writes.append(b("b"), b("1"));
  EXPECT_DEATH(writes.append(b("a"), b("2")), "out of key order");
  EXPECT_DEATH(writes.append(b("b"), b("2")), "out of key order");
}

TEST(StateWrites, CopiesAreDeepAndMovesLeaveAnEmptySet) {
  StateWrites original;
  original.append(b("a"), b("1"));
  original.append(b("b"), std::nullopt);
  StateWrites copy = original;
  // The copy holds its own bytes, not views into the original's blocks.
  EXPECT_NE(copy.find(b("a"))->value->data(), original.find(b("a"))->value->data());
  copy.append(b("c"), b("3"));
  EXPECT_EQ(dump(original), (Dump{{"a", "1"}, {"b", "<deleted>"}}));
  EXPECT_EQ(dump(copy), (Dump{{"a", "1"}, {"b", "<deleted>"}, {"c", "3"}}));

  StateWrites moved = std::move(copy);
  EXPECT_EQ(moved.size(), 3u);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): the documented state
  copy.append(b("z"), b("new"));
  EXPECT_EQ(dump(copy), (Dump{{"z", "new"}}));
  EXPECT_EQ(dump(moved), (Dump{{"a", "1"}, {"b", "<deleted>"}, {"c", "3"}}));
  original = moved;
  EXPECT_EQ(dump(original), dump(moved));
  original = std::move(moved);
  EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(original.size(), 3u);
}

}  // namespace
}  // namespace qpow::state
