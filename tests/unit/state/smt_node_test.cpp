// The stored layout (smt_node.h) and the key-bit functions of smt_hash.h: exact keys, record round
// trips, and the corruption checks on records read back from a store.
#include "state/smt_node.h"

#include <string>

#include <gtest/gtest.h>

#include "state/smt_hash.h"
#include "support/test_bytes.h"
#include "util/hex.h"

namespace qpow::state {
namespace {

using qpow::test::unhex;
using util::StatusCode;

SmtKey key_from_hex(std::string_view hex) {
  SmtKey key{};
  const util::Bytes bytes = unhex(hex);
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

TEST(SmtBits, KeyBitsAreMostSignificantFirst) {
  const SmtKey key = key_from_hex("80" + std::string(60, '0') + "01");
  EXPECT_EQ(key_bit(key, 0), 1u);
  EXPECT_EQ(key_bit(key, 1), 0u);
  EXPECT_EQ(key_bit(key, 254), 0u);
  EXPECT_EQ(key_bit(key, 255), 1u);
}

TEST(SmtBits, CommonPrefix) {
  const SmtKey a = key_from_hex("ff00" + std::string(60, '0'));
  SmtKey b = a;
  EXPECT_EQ(common_prefix_bits(a, b), kSmtDepth);
  b[31] = 1;
  EXPECT_EQ(common_prefix_bits(a, b), 255u);
  b = a;
  b[1] = 0x10;
  EXPECT_EQ(common_prefix_bits(a, b), 11u);
  b[0] = 0x7f;
  EXPECT_EQ(common_prefix_bits(a, b), 0u);
}

TEST(SmtNodeKeys, ExactBytes) {
  const SmtKey key = key_from_hex("abcdef" + std::string(58, '1'));
  EXPECT_EQ(util::to_hex(root_record_key()), "72");
  EXPECT_EQ(util::to_hex(account_record_key(key)), "61abcdef" + std::string(58, '1'));
  EXPECT_EQ(util::to_hex(node_record_key(0, key)), "6e00");
  EXPECT_EQ(util::to_hex(node_record_key(1, key)), "6e0180");
  EXPECT_EQ(util::to_hex(node_record_key(8, key)), "6e08ab");
  EXPECT_EQ(util::to_hex(node_record_key(12, key)), "6e0cabc0");
  EXPECT_EQ(util::to_hex(node_record_key(255, key)).size(), 2u * (2 + 32));
  EXPECT_EQ(node_record_key(255, key).back(), 0x10);  // the last bit of 0x11 is masked off
}

NodeRef leaf_at(std::string_view key_hex) {
  const SmtKey key = key_from_hex(key_hex);
  return NodeRef::leaf(key, leaf_hash(key, crypto::Hash256{}));
}

TEST(SmtNodeRecord, RoundTrip) {
  const SmtKey path{};
  const NodeRecord record{.left = leaf_at("00" + std::string(62, '1')),
                          .right = leaf_at("40" + std::string(62, '2'))};
  const util::Bytes bytes = encode_node_record(record);
  EXPECT_EQ(bytes.size(), 2u * 65);
  auto decoded = decode_node_record(bytes, 1, path);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->left.key, record.left.key);
  EXPECT_EQ(decoded->right.hash, record.right.hash);

  const NodeRecord mixed{.left = NodeRef::empty(), .right = NodeRef::internal(crypto::Hash256{1})};
  auto again = decode_node_record(encode_node_record(mixed), 0, path);
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE(again->left.is_empty());
  EXPECT_TRUE(again->right.is_internal());
}

void expect_corruption(util::ByteSpan bytes, std::size_t depth, const SmtKey& path,
                       std::string_view fragment) {
  auto decoded = decode_node_record(bytes, depth, path);
  ASSERT_FALSE(decoded.is_ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << decoded.status().to_string();
  EXPECT_NE(decoded.status().message().find(fragment), std::string::npos)
      << decoded.status().message();
}

TEST(SmtNodeRecord, ReadBackChecks) {
  const SmtKey path{};
  // Empty + leaf and empty + empty are not internal nodes.
  expect_corruption(util::Bytes{0, 0}, 0, path, "not a canonical internal node");
  util::Bytes one_leaf{0};
  const util::Bytes leaf = encode_node_ref(leaf_at("80" + std::string(62, '0')));
  one_leaf.insert(one_leaf.end(), leaf.begin(), leaf.end());
  expect_corruption(one_leaf, 0, path, "not a canonical internal node");
  // A leaf on the wrong side: its bit 0 is 1 but it is the left child.
  const NodeRecord wrong_side{.left = leaf_at("80" + std::string(62, '0')),
                              .right = leaf_at("c0" + std::string(62, '0'))};
  expect_corruption(encode_node_record(wrong_side), 0, path, "does not belong there");
  // A leaf outside the node's prefix: the node at depth 1 on path 0... holds keys 0....
  const NodeRecord outside{.left = leaf_at("80" + std::string(62, '0')),
                           .right = leaf_at("40" + std::string(62, '0'))};
  expect_corruption(encode_node_record(outside), 1, path, "does not belong there");
  // No internal node below depth 255.
  const NodeRecord too_deep{.left = NodeRef::internal(crypto::Hash256{1}), .right = {}};
  expect_corruption(encode_node_record(too_deep), 255, path, "internal child below depth 255");
  // Unknown kind, truncation, trailing bytes.
  expect_corruption(util::Bytes{3, 0}, 0, path, "left: unknown reference kind 3 at offset 0");
  expect_corruption(util::Bytes{2, 1}, 0, path, "need 32 bytes");
  util::Bytes trailing = encode_node_record(wrong_side);
  trailing.push_back(0);
  expect_corruption(trailing, 0, path, "trailing");
}

TEST(SmtNodeRecord, RootReference) {
  const NodeRef leaf = leaf_at(std::string(64, 'e'));
  auto decoded = decode_root_ref(encode_node_ref(leaf));
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_TRUE(decoded->is_leaf());
  EXPECT_EQ(decoded->hash, leaf.hash);
  auto empty = decode_root_ref(encode_node_ref(NodeRef::empty()));
  ASSERT_TRUE(empty.is_ok());
  EXPECT_EQ(empty->hash, kEmptyHash);
  util::Bytes trailing = encode_node_ref(leaf);
  trailing.push_back(1);
  auto bad = decode_root_ref(trailing);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace qpow::state
