// Merkle roots (RFC 6962 §2.1 shape, SHA3-256): against a direct recursive definition, no
// duplicate-last mutation, and inclusion proofs for every index of trees up to 33 leaves.
#include "primitives/merkle.h"

#include <gtest/gtest.h>

namespace qpow::primitives {
namespace {

std::vector<Hash256> items(std::size_t n) {
  std::vector<Hash256> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = crypto::Sha3_256::hash({reinterpret_cast<const std::uint8_t*>(&i), sizeof i});
  return out;
}

// RFC 6962's definition written out again, level by level from the right split.
Hash256 reference_root(std::span<const Hash256> d) {
  if (d.empty()) return crypto::Sha3_256::hash({});
  if (d.size() == 1) {
    util::Bytes in{0x00};
    in.insert(in.end(), d[0].begin(), d[0].end());
    return crypto::Sha3_256::hash(in);
  }
  std::size_t k = 1;
  while (k * 2 < d.size()) k *= 2;
  const Hash256 l = reference_root(d.first(k));
  const Hash256 r = reference_root(d.subspan(k));
  util::Bytes in{0x01};
  in.insert(in.end(), l.begin(), l.end());
  in.insert(in.end(), r.begin(), r.end());
  return crypto::Sha3_256::hash(in);
}

TEST(Merkle, MatchesTheRecursiveDefinition) {
  for (std::size_t n = 0; n <= 33; ++n) {
    const auto d = items(n);
    EXPECT_EQ(merkle_root(d), reference_root(d)) << n;
  }
}

TEST(Merkle, DuplicatingTheLastItemChangesTheRoot) {
  auto d = items(3);
  const Hash256 root3 = merkle_root(d);
  d.push_back(d.back());
  EXPECT_NE(merkle_root(d), root3);
  auto five = items(5);
  const Hash256 root5 = merkle_root(five);
  five.push_back(five.back());
  EXPECT_NE(merkle_root(five), root5);
}

TEST(Merkle, ALeafIsNotAnInternalNode) {
  // A two-item tree's root is a node hash; presenting the concatenated children as one item must
  // not reproduce it.
  const auto d = items(2);
  const Hash256 root = merkle_root(d);
  EXPECT_NE(merkle_root(std::vector<Hash256>{merkle_node_hash(merkle_leaf_hash(d[0]),
                                                               merkle_leaf_hash(d[1]))}),
            root);
}

TEST(Merkle, ProofsVerifyForEveryIndexAndFailWhenTampered) {
  for (std::size_t n = 1; n <= 33; ++n) {
    const auto d = items(n);
    const Hash256 root = merkle_root(d);
    for (std::size_t i = 0; i < n; ++i) {
      const MerkleProof p = merkle_prove(d, i);
      ASSERT_TRUE(merkle_verify(root, d[i], p)) << n << " " << i;
      auto decoded = decode_merkle_proof(encode_merkle_proof(p));
      ASSERT_TRUE(decoded.is_ok());
      EXPECT_TRUE(merkle_verify(root, d[i], *decoded));
      if (n > 1) {
        EXPECT_FALSE(merkle_verify(root, d[(i + 1) % n], p));
        MerkleProof wrong_index = p;
        wrong_index.index = (i + 1) % n;
        EXPECT_FALSE(merkle_verify(root, d[i], wrong_index));
      }
      if (!p.siblings.empty()) {
        MerkleProof flipped = p;
        flipped.siblings.back()[0] ^= 1;
        EXPECT_FALSE(merkle_verify(root, d[i], flipped));
        MerkleProof shorter = p;
        shorter.siblings.pop_back();
        EXPECT_FALSE(merkle_verify(root, d[i], shorter));
      }
    }
  }
}

TEST(Merkle, ProofDecodingIsBounded) {
  MerkleProof p{.index = 0, .count = 2, .siblings = std::vector<Hash256>(kMerkleProofDepthMax)};
  EXPECT_TRUE(decode_merkle_proof(encode_merkle_proof(p)).is_ok());
  p.siblings.resize(kMerkleProofDepthMax + 1);
  EXPECT_FALSE(decode_merkle_proof(encode_merkle_proof(p)).is_ok());
  p.siblings.resize(1);
  p.index = 2;
  EXPECT_FALSE(decode_merkle_proof(encode_merkle_proof(p)).is_ok());
  util::Bytes enc = encode_merkle_proof(MerkleProof{.index = 0, .count = 1, .siblings = {}});
  enc.push_back(0);
  EXPECT_FALSE(decode_merkle_proof(enc).is_ok());
}

}  // namespace
}  // namespace qpow::primitives
