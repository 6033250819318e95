// Proofs: inclusion and both kinds of exclusion verify for many keys and survive an encoding round
// trip; every tampering fails; and the decoder rejects each malformed or non-canonical input, with
// the size and depth bounds tested at the bound and one past it.
#include "state/smt_proof.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "state/smt_hash.h"
#include "state/sparse_merkle_tree.h"
#include "state_test_support.h"
#include "util/serialize.h"

namespace qpow::state {
namespace {

using test::apply_and_commit;
using test::MapNodeStore;
using test::SplitMix64;
using util::StatusCode;

Proof prove_ok(const NodeStore& store, const primitives::Address& address) {
  auto proof = AccountState(store).prove(address);
  EXPECT_TRUE(proof.is_ok()) << proof.status().to_string();
  return proof.is_ok() ? std::move(proof).value() : Proof{};
}

crypto::Hash256 nonzero_hash(SplitMix64& rng) {
  crypto::Hash256 h;
  for (std::size_t i = 0; i < h.size(); i += 8) util::store_le64(h.data() + i, rng.next());
  h[0] |= 1;
  return h;
}

class ProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SplitMix64 rng(1234);
    while (accounts_.size() < 2000)
      accounts_[test::random_address(rng)] = test::random_account(rng);
    root_ = apply_and_commit(store_, accounts_);
    for (int i = 0; i < 2000; ++i) absent_.push_back(test::random_address(rng));
  }

  MapNodeStore store_;
  AccountChanges accounts_;
  std::vector<primitives::Address> absent_;
  crypto::Hash256 root_{};
};

// The tree commits to a key through its commitment; a claimed key whose bytes do not give the
// proven commitment is not proven, even though the value hash would match.
TEST_F(ProofTest, AKeyIsProvenOnlyByItsOwnBytes) {
  const auto it = std::find_if(accounts_.begin(), accounts_.end(),
                               [](const auto& entry) { return entry.second && entry.second->key; });
  ASSERT_NE(it, accounts_.end());
  const Proof proof = prove_ok(store_, it->first);
  ASSERT_TRUE(verify_proof(root_, it->first, it->second, proof));
  const AccountKey& key = *it->second->key;
  util::Bytes bytes(key.public_key().begin(), key.public_key().end());
  bytes[0] ^= 1;
  Account forged = *it->second;
  forged.key = AccountKey::with_known_commitment(key.scheme(), std::move(bytes), key.commitment());
  EXPECT_FALSE(verify_proof(root_, it->first, forged, proof));
}

TEST_F(ProofTest, InclusionProofsVerify) {
  for (const auto& [address, account] : accounts_) {
    const Proof proof = prove_ok(store_, address);
    EXPECT_EQ(proof.terminal, ProofTerminal::kLeaf);
    EXPECT_TRUE(verify_proof(root_, address, account, proof));
    auto decoded = decode_proof(encode_proof(proof));
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    EXPECT_EQ(*decoded, proof);
    // The same proof does not show absence, another value, or another root.
    EXPECT_FALSE(verify_proof(root_, address, std::nullopt, proof));
    Account other = *account;
    other.balance ^= 1;
    EXPECT_FALSE(verify_proof(root_, address, other, proof));
    crypto::Hash256 other_root = root_;
    other_root[31] ^= 1;
    EXPECT_FALSE(verify_proof(other_root, address, account, proof));
  }
}

TEST_F(ProofTest, ExclusionProofsOfBothKindsVerify) {
  std::size_t empty = 0;
  std::size_t other_leaf = 0;
  for (const primitives::Address& address : absent_) {
    const Proof proof = prove_ok(store_, address);
    ASSERT_NE(proof.terminal, ProofTerminal::kLeaf);
    (proof.terminal == ProofTerminal::kEmpty ? empty : other_leaf) += 1;
    EXPECT_TRUE(verify_proof(root_, address, std::nullopt, proof));
    EXPECT_FALSE(verify_proof(root_, address, Account{}, proof));
    auto decoded = decode_proof(encode_proof(proof));
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    EXPECT_EQ(*decoded, proof);
  }
  EXPECT_GT(empty, 100u);
  EXPECT_GT(other_leaf, 100u);
}

TEST_F(ProofTest, ProofOfOneAddressDoesNotServeAnother) {
  const auto first = accounts_.begin();
  const auto second = std::next(first);
  const Proof proof = prove_ok(store_, first->first);
  EXPECT_FALSE(verify_proof(root_, second->first, first->second, proof));
  EXPECT_FALSE(verify_proof(root_, second->first, second->second, proof));
  EXPECT_FALSE(verify_proof(root_, second->first, std::nullopt, proof));
}

// Every single change to a proof makes it fail.
void expect_every_tamper_fails(const crypto::Hash256& root, const primitives::Address& address,
                               const std::optional<Account>& expected, const Proof& proof) {
  ASSERT_TRUE(verify_proof(root, address, expected, proof));
  for (std::size_t i = 0; i < proof.siblings.size(); ++i) {
    for (std::size_t byte : {std::size_t{0}, std::size_t{31}}) {
      Proof t = proof;
      t.siblings[i][byte] ^= 0x80;
      EXPECT_FALSE(verify_proof(root, address, expected, t)) << "sibling " << i;
    }
    if (proof.siblings[i] != kEmptyHash) {
      Proof emptied = proof;
      emptied.siblings[i] = kEmptyHash;
      EXPECT_FALSE(verify_proof(root, address, expected, emptied)) << "emptied sibling " << i;
    }
  }
  Proof shorter = proof;
  if (!shorter.siblings.empty()) {
    shorter.siblings.pop_back();
    EXPECT_FALSE(verify_proof(root, address, expected, shorter));
    Proof dropped_first = proof;
    dropped_first.siblings.erase(dropped_first.siblings.begin());
    EXPECT_FALSE(verify_proof(root, address, expected, dropped_first));
  }
  Proof longer = proof;
  longer.siblings.push_back(crypto::Sha3_256::hash(util::Bytes{1}));
  EXPECT_FALSE(verify_proof(root, address, expected, longer));
  for (ProofTerminal terminal :
       {ProofTerminal::kEmpty, ProofTerminal::kLeaf, ProofTerminal::kOtherLeaf}) {
    if (terminal == proof.terminal) continue;
    Proof t = proof;
    t.terminal = terminal;
    EXPECT_FALSE(verify_proof(root, address, expected, t));
  }
  if (proof.terminal == ProofTerminal::kOtherLeaf) {
    Proof key = proof;
    key.other_key[31] ^= 1;
    EXPECT_FALSE(verify_proof(root, address, expected, key));
    Proof value = proof;
    value.other_value_hash[0] ^= 1;
    EXPECT_FALSE(verify_proof(root, address, expected, value));
  }
}

TEST_F(ProofTest, TamperedProofsFail) {
  int checked = 0;
  for (auto it = accounts_.begin(); it != accounts_.end() && checked < 100; ++it, ++checked) {
    expect_every_tamper_fails(root_, it->first, it->second, prove_ok(store_, it->first));
  }
  for (int i = 0; i < 200; ++i) {
    expect_every_tamper_fails(root_, absent_[i], std::nullopt, prove_ok(store_, absent_[i]));
  }
}

TEST(Proof, EmptyAndSingleAccountTrees) {
  MapNodeStore store;
  const primitives::Address a = test::filled_address(1);
  const primitives::Address b = test::filled_address(2);
  Proof empty = prove_ok(store, a);
  EXPECT_EQ(empty, Proof{});
  EXPECT_TRUE(verify_proof(kEmptyHash, a, std::nullopt, empty));
  EXPECT_EQ(encode_proof(empty), (util::Bytes{kProofEncodingVersion, 0, 0}));

  const Account account{.balance = 5};
  const crypto::Hash256 root = apply_and_commit(store, {{a, account}});
  const Proof inclusion = prove_ok(store, a);
  EXPECT_EQ(inclusion.terminal, ProofTerminal::kLeaf);
  EXPECT_TRUE(inclusion.siblings.empty());
  EXPECT_TRUE(verify_proof(root, a, account, inclusion));
  const Proof exclusion = prove_ok(store, b);
  EXPECT_EQ(exclusion.terminal, ProofTerminal::kOtherLeaf);
  EXPECT_EQ(exclusion.other_key, smt_key(a));
  EXPECT_TRUE(verify_proof(root, b, std::nullopt, exclusion));
}

TEST(Proof, ProofRootExplainsRejections) {
  const SmtKey key = smt_key(test::filled_address(1));
  Proof proof{.terminal = ProofTerminal::kOtherLeaf};
  proof.other_key = key;
  EXPECT_EQ(proof_root(key, std::nullopt, proof).status().message(),
            "proof: the other leaf has the account's own key");
  proof.other_key[0] ^= 0x80;  // differs at bit 0
  proof.siblings = {crypto::Sha3_256::hash(util::Bytes{})};
  EXPECT_EQ(proof_root(key, std::nullopt, proof).status().message(),
            "proof: the other leaf is not on the path to depth 1");
  proof.siblings.clear();
  EXPECT_TRUE(proof_root(key, std::nullopt, proof).is_ok());
  EXPECT_FALSE(proof_root(key, Account{}, proof).is_ok());
  Proof too_deep{.terminal = ProofTerminal::kEmpty};
  too_deep.siblings.assign(kSmtDepth + 1, crypto::Sha3_256::hash(util::Bytes{}));
  EXPECT_EQ(proof_root(key, std::nullopt, too_deep).status().code(), StatusCode::kOutOfRange);
}

// The largest proof: every sibling present and another account's leaf at the end.
Proof largest_proof() {
  SplitMix64 rng(77);
  Proof proof{.terminal = ProofTerminal::kOtherLeaf};
  for (std::size_t i = 0; i < kSmtDepth; ++i) proof.siblings.push_back(nonzero_hash(rng));
  proof.other_key = nonzero_hash(rng);
  proof.other_value_hash = nonzero_hash(rng);
  return proof;
}

void expect_decode_error(util::ByteSpan bytes, StatusCode code, std::string_view fragment) {
  auto decoded = decode_proof(bytes);
  ASSERT_FALSE(decoded.is_ok());
  EXPECT_EQ(decoded.status().code(), code) << decoded.status().to_string();
  EXPECT_NE(decoded.status().message().find(fragment), std::string::npos)
      << decoded.status().message();
}

TEST(ProofEncoding, LargestProofIsExactlyTheBound) {
  const util::Bytes bytes = encode_proof(largest_proof());
  EXPECT_EQ(bytes.size(), kMaxProofBytes);
  auto decoded = decode_proof(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, largest_proof());
  util::Bytes over = bytes;
  over.push_back(0);
  expect_decode_error(over, StatusCode::kOutOfRange, "proof: 8294 bytes, the limit is 8293");
}

TEST(ProofEncoding, DepthBound) {
  util::Writer w;
  w.u8(kProofEncodingVersion);
  w.u8(0);
  w.compact_size(kSmtDepth + 1);
  expect_decode_error(w.data(), StatusCode::kOutOfRange, "proof.depth: length 257 exceeds");
}

TEST(ProofEncoding, ExactBytes) {
  // Depth 10, siblings 1 and 9 present: bitmap 0100 0000 | 0100 0000.
  Proof proof{.terminal = ProofTerminal::kEmpty};
  proof.siblings.assign(10, kEmptyHash);
  proof.siblings[1] = crypto::Hash256{};
  proof.siblings[1][0] = 0xaa;
  proof.siblings[9] = crypto::Hash256{};
  proof.siblings[9][31] = 0xbb;
  const util::Bytes bytes = encode_proof(proof);
  ASSERT_EQ(bytes.size(), 3u + 2 + 64);
  EXPECT_EQ(bytes[0], 1);
  EXPECT_EQ(bytes[1], 0);
  EXPECT_EQ(bytes[2], 10);
  EXPECT_EQ(bytes[3], 0x40);
  EXPECT_EQ(bytes[4], 0x40);
  EXPECT_EQ(bytes[5], 0xaa);
  EXPECT_EQ(bytes.back(), 0xbb);
  auto decoded = decode_proof(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, proof);
}

TEST(ProofEncoding, RejectsMalformedInput) {
  const util::Bytes good = encode_proof(largest_proof());
  util::Bytes b = good;
  b[0] = 2;
  expect_decode_error(b, StatusCode::kMalformed, "proof.version: 2 at offset 0, expected 1");
  b = good;
  b[1] = 3;
  expect_decode_error(b, StatusCode::kMalformed, "proof.terminal: unknown terminal 3 at offset 1");
  // Depth 1 written as a 3-byte CompactSize.
  expect_decode_error(util::Bytes{1, 0, 0xfd, 1, 0, 0x80}, StatusCode::kMalformed,
                      "non-canonical CompactSize");
  // Depth 3, bitmap with an unused bit set.
  expect_decode_error(util::Bytes{1, 0, 3, 0x30}, StatusCode::kMalformed,
                      "proof.bitmap: unused bits set in the byte at offset 3");
  // Depth 1: its only sibling empty (clear bit) is not canonical.
  expect_decode_error(util::Bytes{1, 0, 1, 0x00}, StatusCode::kMalformed,
                      "last sibling (depth 0) is empty");
  // Depth 1, sibling listed but all zero.
  util::Bytes zero_sibling{1, 0, 1, 0x80};
  zero_sibling.resize(zero_sibling.size() + 32, 0);
  expect_decode_error(zero_sibling, StatusCode::kMalformed,
                      "sibling 0 at offset 4 is the empty hash but its bitmap bit is set");
  b = good;
  b.push_back(0);
  expect_decode_error(b, StatusCode::kOutOfRange, "the limit is");
  util::Bytes trailing = encode_proof(Proof{});
  trailing.push_back(0);
  expect_decode_error(trailing, StatusCode::kMalformed, "proof: 1 trailing bytes at offset 3");
}

TEST(ProofEncoding, RejectsTruncationAtEveryOffset) {
  const util::Bytes good = encode_proof(largest_proof());
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto decoded = decode_proof(util::ByteSpan(good).first(n));
    ASSERT_FALSE(decoded.is_ok()) << n;
    EXPECT_EQ(decoded.status().code(), StatusCode::kMalformed) << n;
  }
}

}  // namespace
}  // namespace qpow::state
