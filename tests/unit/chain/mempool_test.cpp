// Mempool tests with real ML-DSA-65 signatures (keys from fixed seeds, deterministic signing) on
// regtest parameters, and an in-memory tip state.
#include "chain/mempool.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/chain_params.h"
#include "crypto/signature_scheme.h"
#include "primitives/transaction.h"

namespace qpow::chain {
namespace {

using consensus::RejectReason;
using consensus::SenderState;
using primitives::Address;
using primitives::Transaction;

struct TestKey {
  crypto::KeyPair pair;
  Address address{};

  consensus::AccountKey view() const {
    return consensus::AccountKey::from_public_key(crypto::kDefaultScheme, pair.public_key);
  }
};

// Keys from a 32-byte seed of one repeated byte, made once per process.
const TestKey& key(std::uint8_t fill) {
  static std::map<std::uint8_t, TestKey> keys;
  auto it = keys.find(fill);
  if (it == keys.end()) {
    auto kp = crypto::keygen(crypto::kDefaultScheme, util::Bytes(32, fill));
    EXPECT_TRUE(kp.is_ok());
    TestKey k{.pair = std::move(kp).value(), .address = {}};
    k.address = Address::from_public_key(crypto::kDefaultScheme, k.pair.public_key);
    it = keys.emplace(fill, std::move(k)).first;
  }
  return it->second;
}

Address recipient() {
  Address a;
  a.bytes.fill(0x77);
  return a;
}

const consensus::ChainParams& regtest() {
  return consensus::chain_params(primitives::Network::kRegtest);
}

struct TxSpec {
  std::uint64_t nonce = 0;
  std::uint64_t fee = 10'000;
  std::uint64_t amount = 1'000;
  bool include_key = false;
  std::size_t memo_bytes = 0;
};

Transaction make_tx(const TestKey& from, const TxSpec& spec) {
  Transaction tx;
  tx.chain_id = regtest().chain_id;
  tx.sender = from.address;
  tx.nonce = spec.nonce;
  tx.recipient = recipient();
  tx.amount = spec.amount;
  tx.fee = spec.fee;
  tx.memo = util::Bytes(spec.memo_bytes, 'm');
  EXPECT_TRUE(primitives::sign_tx(tx, {.scheme = crypto::kDefaultScheme,
                                       .secret_key = from.pair.secret_key.span(),
                                       .public_key = from.pair.public_key,
                                       .include_public_key = spec.include_key,
                                       .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  return tx;
}

Hash256 id(const Transaction& tx) {
  return primitives::txid(tx);
}

std::vector<Hash256> ids(const std::vector<Transaction>& txs) {
  std::vector<Hash256> out;
  for (const Transaction& tx : txs) out.push_back(id(tx));
  return out;
}

// The tip's accounts in a map; an address in `failing` cannot be read.
class MapStateSource final : public SenderStateSource {
 public:
  util::Result<SenderState> sender_state(const Address& address) const override {
    if (failing.contains(address)) return util::Status::io_error("state read failed");
    const auto it = accounts.find(address);
    return it == accounts.end() ? SenderState{} : it->second;
  }

  std::map<Address, SenderState> accounts;
  std::set<Address> failing;
};

class MempoolTest : public ::testing::Test {
 protected:
  const TestKey& a = key(0x11);
  const TestKey& b = key(0x12);
  const TestKey& c = key(0x13);
  const TestKey& d = key(0x14);
  const TestKey& e = key(0x15);
  MapStateSource tip;

  // An account with a balance, a nonce and (by default) its key already on chain, so its
  // transactions carry no key and all have the same size.
  void fund(const TestKey& k, std::uint64_t balance, std::uint64_t nonce = 0,
            bool key_on_chain = true) {
    SenderState s;
    s.balance = balance;
    s.nonce = nonce;
    if (key_on_chain) s.key = k.view();
    tip.accounts[k.address] = s;
  }

  // The size of a transaction that carries no key and no memo.
  static std::size_t plain_size() {
    static const std::size_t size = primitives::tx_size(make_tx(key(0x11), {}));
    return size;
  }

  AcceptResult accept(Mempool& pool, const Transaction& tx) {
    auto r = pool.accept(tx, tip);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    if (!r.is_ok()) return AcceptResult{};
    return *r;
  }

  void expect_accepted(Mempool& pool, const Transaction& tx) {
    const AcceptResult r = accept(pool, tx);
    EXPECT_TRUE(r.accepted()) << r.to_string();
    EXPECT_EQ(r.txid, id(tx));
  }
  void expect_verdict(Mempool& pool, const Transaction& tx, RejectReason reason) {
    const AcceptResult r = accept(pool, tx);
    EXPECT_EQ(r.verdict.reason(), reason) << r.to_string();
    EXPECT_FALSE(r.accepted());
    EXPECT_FALSE(pool.contains(id(tx)));
  }
  void expect_refused(Mempool& pool, const Transaction& tx, MempoolReject reason) {
    const AcceptResult r = accept(pool, tx);
    EXPECT_TRUE(r.verdict.is_ok()) << r.to_string();
    EXPECT_EQ(r.policy, reason) << r.to_string();
    EXPECT_FALSE(r.accepted());
  }
};

MempoolLimits limits_with_count(std::size_t count_max) {
  MempoolLimits l;
  l.count_max = count_max;
  return l;
}

MempoolLimits limits_with_bytes(std::size_t bytes_max) {
  MempoolLimits l;
  l.bytes_max = bytes_max;
  return l;
}

}  // namespace

// --- fee rates ------------------------------------------------------------------------------

TEST(MempoolFeeRate, ComparesExactlyWithoutRounding) {
  // 1/3 is above 0.333333 although a double rounding to 6 places would call them equal.
  EXPECT_EQ(compare_fee_rates({.fee = 1, .bytes = 3}, {.fee = 333'333, .bytes = 1'000'000}),
            std::weak_ordering::greater);
  EXPECT_EQ(compare_fee_rates({.fee = 2, .bytes = 4}, {.fee = 1, .bytes = 2}),
            std::weak_ordering::equivalent);
  // Products near 2^128 do not overflow.
  EXPECT_EQ(compare_fee_rates({.fee = UINT64_MAX, .bytes = UINT64_MAX}, {.fee = 1, .bytes = 1}),
            std::weak_ordering::equivalent);
  EXPECT_EQ(compare_fee_rates({.fee = UINT64_MAX - 1, .bytes = UINT64_MAX}, {.fee = 1, .bytes = 1}),
            std::weak_ordering::less);
}

TEST(MempoolFeeRate, BumpIsExactAtTheBoundAndOneBelow) {
  const FeeRate base{.fee = 1'000, .bytes = 100};
  EXPECT_TRUE(fee_rate_at_least({.fee = 1'100, .bytes = 100}, base, 10));
  EXPECT_FALSE(fee_rate_at_least({.fee = 1'099, .bytes = 100}, base, 10));
  // Across sizes: 2,200 for 200 bytes is exactly 10% more per byte.
  EXPECT_TRUE(fee_rate_at_least({.fee = 2'200, .bytes = 200}, base, 10));
  EXPECT_FALSE(fee_rate_at_least({.fee = 2'199, .bytes = 200}, base, 10));
  const FeeRate top{.fee = UINT64_MAX, .bytes = primitives::kTxBytesMax};
  EXPECT_TRUE(fee_rate_at_least(top, top, 0));
  EXPECT_FALSE(fee_rate_at_least(top, top, 1));
  // The largest operands do not overflow 128 bits.
  const FeeRate max_rate{.fee = UINT64_MAX, .bytes = 1};
  EXPECT_FALSE(fee_rate_at_least(max_rate, max_rate, UINT32_MAX));
  EXPECT_TRUE(
      fee_rate_at_least(max_rate, {.fee = 1, .bytes = primitives::kTxBytesMax}, UINT32_MAX));
}

TEST(MempoolFeeRate, EqualRatesRankByLowerTxid) {
  RankKey low{.rate = {.fee = 10, .bytes = 5}, .txid = {}};
  RankKey high = low;
  high.txid[31] = 1;
  EXPECT_TRUE(ranks_above(low, high));
  EXPECT_FALSE(ranks_above(high, low));
  high.rate = {.fee = 21, .bytes = 10};  // 2.1 per byte beats 2.0
  EXPECT_TRUE(ranks_above(high, low));
}

// --- admission ------------------------------------------------------------------------------

TEST_F(MempoolTest, DefaultLimitsAreTheNamedConstants) {
  const MempoolLimits l;
  EXPECT_EQ(l.bytes_max, kDefaultMempoolBytesMax);
  EXPECT_EQ(l.count_max, kDefaultMempoolCountMax);
  EXPECT_EQ(l.per_sender_max, kDefaultPerSenderMax);
  EXPECT_EQ(l.min_fee_per_byte, kDefaultMinRelayFeePerByte);
  EXPECT_EQ(l.replace_bump_percent, kDefaultReplaceBumpPercent);
  MempoolLimits zero_floor;
  zero_floor.min_fee_per_byte = 0;
  const Mempool pool(regtest(), zero_floor);
  EXPECT_EQ(pool.limits().min_fee_per_byte, regtest().min_fee_per_byte);  // raised to consensus
}

TEST_F(MempoolTest, AcceptsAFirstTxWithItsKeyAndAChainOfThree) {
  fund(a, 1'000'000, 0, /*key_on_chain=*/false);
  Mempool pool(regtest(), {});
  const Transaction t0 = make_tx(a, {.nonce = 0, .include_key = true});
  const Transaction t1 = make_tx(a, {.nonce = 1});
  const Transaction t2 = make_tx(a, {.nonce = 2});
  expect_accepted(pool, t0);
  // The projection after t0 has the key on chain: a later tx must not carry it again.
  expect_verdict(pool, make_tx(a, {.nonce = 1, .include_key = true}),
                 RejectReason::kTxUnexpectedKey);
  expect_accepted(pool, t1);
  expect_accepted(pool, t2);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.bytes(), primitives::tx_size(t0) + 2 * plain_size());
  EXPECT_EQ(ids(pool.pending_for(a.address)), (std::vector<Hash256>{id(t0), id(t1), id(t2)}));
  ASSERT_NE(pool.get(id(t1)), nullptr);
  EXPECT_EQ(*pool.get(id(t1)), t1);
  EXPECT_EQ(pool.get(id(make_tx(a, {.nonce = 3}))), nullptr);
  expect_refused(pool, t1, MempoolReject::kAlreadyInPool);
  // A fresh account cannot start with a keyless transaction.
  fund(b, 1'000'000, 0, /*key_on_chain=*/false);
  expect_verdict(pool, make_tx(b, {.nonce = 0}), RejectReason::kTxMissingKey);
}

TEST_F(MempoolTest, RejectsAnotherNetworksChainId) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});
  Transaction tx = make_tx(a, {});
  tx.chain_id = regtest().chain_id + 1;
  expect_verdict(pool, tx, RejectReason::kTxWrongChain);
  EXPECT_EQ(pool.size(), 0u);
}

TEST_F(MempoolTest, RejectsABadSignature) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});
  Transaction tx = make_tx(a, {});
  tx.witness.signature[100] ^= 0x01;
  expect_verdict(pool, tx, RejectReason::kTxBadSignature);
  // Signed by another key than the one on chain.
  Transaction forged = make_tx(b, {});
  forged.sender = a.address;
  ASSERT_TRUE(primitives::sign_tx(forged, {.scheme = crypto::kDefaultScheme,
                                           .secret_key = b.pair.secret_key.span(),
                                           .public_key = b.pair.public_key,
                                           .include_public_key = false,
                                           .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  expect_verdict(pool, forged, RejectReason::kTxBadSignature);
  EXPECT_EQ(pool.size(), 0u);
}

TEST_F(MempoolTest, RejectsANonceGapAndAStaleNonce) {
  fund(a, 1'000'000, /*nonce=*/5);
  Mempool pool(regtest(), {});
  expect_verdict(pool, make_tx(a, {.nonce = 4}), RejectReason::kTxBadNonce);  // stale
  expect_verdict(pool, make_tx(a, {.nonce = 6}), RejectReason::kTxBadNonce);  // gap
  expect_accepted(pool, make_tx(a, {.nonce = 5}));
  expect_verdict(pool, make_tx(a, {.nonce = 7}), RejectReason::kTxBadNonce);  // gap after one
  expect_accepted(pool, make_tx(a, {.nonce = 6}));
  EXPECT_EQ(pool.size(), 2u);
}

TEST_F(MempoolTest, FeeAtTheConsensusFloorAndOneBelow) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});
  const std::uint64_t floor = consensus::min_fee(regtest(), plain_size());
  expect_verdict(pool, make_tx(a, {.fee = floor - 1}), RejectReason::kTxFeeTooLow);
  expect_accepted(pool, make_tx(a, {.fee = floor}));
}

TEST_F(MempoolTest, FeeAtTheRelayFloorAndOneBelow) {
  fund(a, 1'000'000);
  MempoolLimits limits;
  limits.min_fee_per_byte = 3;
  Mempool pool(regtest(), limits);
  const std::uint64_t floor = 3 * plain_size();
  // Above the consensus minimum, so it is policy, not a rule violation.
  expect_refused(pool, make_tx(a, {.fee = floor - 1}), MempoolReject::kBelowRelayFee);
  expect_accepted(pool, make_tx(a, {.fee = floor}));
}

TEST_F(MempoolTest, BalanceMustCoverTheWholeChain) {
  const std::uint64_t cost = 1'000 + 10'000;
  fund(a, 3 * cost - 1);
  fund(b, 3 * cost);
  Mempool pool(regtest(), {});
  for (std::uint64_t n = 0; n < 2; ++n) expect_accepted(pool, make_tx(a, {.nonce = n}));
  expect_verdict(pool, make_tx(a, {.nonce = 2}), RejectReason::kTxInsufficientFunds);
  for (std::uint64_t n = 0; n < 3; ++n) expect_accepted(pool, make_tx(b, {.nonce = n}));
  EXPECT_EQ(pool.size(), 5u);
}

TEST_F(MempoolTest, ReplacementNeedsTheFeeBumpExactly) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});  // 10% bump
  const Transaction original = make_tx(a, {.fee = 10'000});
  expect_accepted(pool, original);
  // Same size, so the fee rate rises with the fee: 11,000 is exactly +10%.
  expect_refused(pool, make_tx(a, {.fee = 10'999}), MempoolReject::kReplacementFeeTooLow);
  EXPECT_TRUE(pool.contains(id(original)));
  const Transaction better = make_tx(a, {.fee = 11'000});
  const AcceptResult r = accept(pool, better);
  ASSERT_TRUE(r.accepted()) << r.to_string();
  ASSERT_TRUE(r.replaced.has_value());
  EXPECT_EQ(*r.replaced, id(original));
  EXPECT_TRUE(r.evicted.empty());
  EXPECT_FALSE(pool.contains(id(original)));
  EXPECT_EQ(ids(pool.pending_for(a.address)), std::vector<Hash256>{id(better)});
  EXPECT_EQ(pool.bytes(), plain_size());
}

TEST_F(MempoolTest, ReplacementEvictsLaterTxsThatNoLongerFit) {
  const std::uint64_t cost = 1'000 + 10'000;
  fund(a, 3 * cost);
  Mempool pool(regtest(), {});
  const Transaction t0 = make_tx(a, {.nonce = 0});
  const Transaction t1 = make_tx(a, {.nonce = 1});
  const Transaction t2 = make_tx(a, {.nonce = 2});
  for (const auto& tx : {t0, t1, t2}) expect_accepted(pool, tx);
  // 13,000 + 11,000 still fits the balance of 33,000; the third 11,000 does not.
  const Transaction richer = make_tx(a, {.nonce = 0, .fee = 12'000});
  const AcceptResult r = accept(pool, richer);
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.replaced, id(t0));
  EXPECT_EQ(r.evicted, std::vector<Hash256>{id(t2)});
  EXPECT_EQ(ids(pool.pending_for(a.address)), (std::vector<Hash256>{id(richer), id(t1)}));
  EXPECT_EQ(pool.size(), 2u);
}

TEST_F(MempoolTest, PerSenderLimitAtTheBoundAndOnePast) {
  fund(a, 100'000'000);
  Mempool pool(regtest(), {});
  for (std::uint64_t n = 0; n < kDefaultPerSenderMax; ++n) {
    expect_accepted(pool, make_tx(a, {.nonce = n}));
  }
  EXPECT_EQ(pool.size(), kDefaultPerSenderMax);
  expect_refused(pool, make_tx(a, {.nonce = kDefaultPerSenderMax}), MempoolReject::kSenderLimit);
  // Replacing inside a full chain is still allowed; another sender is unaffected.
  expect_accepted(pool, make_tx(a, {.nonce = kDefaultPerSenderMax - 1, .fee = 20'000}));
  fund(b, 1'000'000);
  expect_accepted(pool, make_tx(b, {}));
  EXPECT_EQ(pool.size(), kDefaultPerSenderMax + 1);
}

TEST_F(MempoolTest, ReplacingWithARotationDropsTxsSignedByTheOldKey) {
  fund(a, 1'000'000, 0, /*key_on_chain=*/false);
  Mempool pool(regtest(), {});
  const Transaction t0 = make_tx(a, {.nonce = 0, .include_key = true});
  const Transaction t1 = make_tx(a, {.nonce = 1});
  expect_accepted(pool, t0);
  expect_accepted(pool, t1);
  // The same nonce, now rotating a's key to b's: t1 would have to be signed by b's key.
  Transaction rotation;
  rotation.chain_id = regtest().chain_id;
  rotation.kind = primitives::TxKind::kKeyRotation;
  rotation.sender = a.address;
  rotation.nonce = 0;
  rotation.fee = 20'000;
  rotation.rotation = primitives::KeyRotation{.scheme = crypto::kDefaultScheme,
                                              .public_key = b.pair.public_key,
                                              .next_key_commitment = std::nullopt};
  ASSERT_TRUE(primitives::sign_tx(rotation, {.scheme = crypto::kDefaultScheme,
                                             .secret_key = a.pair.secret_key.span(),
                                             .public_key = a.pair.public_key,
                                             .include_public_key = true,
                                             .mode = crypto::SigningMode::kDeterministic})
                  .is_ok());
  const AcceptResult r = accept(pool, rotation);
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.replaced, id(t0));
  EXPECT_EQ(r.evicted, std::vector<Hash256>{id(t1)});
  EXPECT_EQ(ids(pool.pending_for(a.address)), std::vector<Hash256>{id(rotation)});
}

TEST_F(MempoolTest, RejectsATxThatDoesNotSurviveItsEncoding) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});
  // One byte over the memo limit: it encodes, but no peer could decode it.
  expect_verdict(pool, make_tx(a, {.fee = 20'000, .memo_bytes = primitives::kTxMemoBytesMax + 1}),
                 RejectReason::kMalformed);
  expect_accepted(pool, make_tx(a, {.fee = 20'000, .memo_bytes = primitives::kTxMemoBytesMax}));
}

TEST_F(MempoolTest, AcceptBringsAStaleChainInLineWithTheTip) {
  fund(a, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction a0 = make_tx(a, {.nonce = 0});
  const Transaction a1 = make_tx(a, {.nonce = 1});
  expect_accepted(pool, a0);
  expect_accepted(pool, a1);
  // a0 was mined but the pool was not told.
  fund(a, 1'000'000, /*nonce=*/1);
  const Transaction a2 = make_tx(a, {.nonce = 2});
  const AcceptResult r = accept(pool, a2);
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.evicted, std::vector<Hash256>{id(a0)});
  EXPECT_EQ(ids(pool.pending_for(a.address)), (std::vector<Hash256>{id(a1), id(a2)}));
}

// --- bounds and eviction --------------------------------------------------------------------

TEST_F(MempoolTest, CountLimitEvictsTheLowestRankAndRejectsCheaperNewcomers) {
  for (const TestKey* k : {&a, &b, &c, &d, &e}) fund(*k, 1'000'000);
  Mempool pool(regtest(), limits_with_count(3));
  const Transaction ta = make_tx(a, {.fee = 10'000});
  const Transaction tb = make_tx(b, {.fee = 12'000});
  const Transaction tc = make_tx(c, {.fee = 14'000});
  for (const auto& tx : {ta, tb, tc}) {
    const AcceptResult r = accept(pool, tx);
    EXPECT_TRUE(r.accepted() && r.evicted.empty()) << r.to_string();  // at the bound
  }
  EXPECT_EQ(pool.info().min_fee_rate->fee, 10'000u);
  const Transaction td = make_tx(d, {.fee = 20'000});
  const AcceptResult r = accept(pool, td);  // one past: the cheapest goes
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.evicted, std::vector<Hash256>{id(ta)});
  EXPECT_EQ(pool.size(), 3u);
  const MempoolInfo info = pool.info();
  EXPECT_EQ(info.count, 3u);
  EXPECT_EQ(info.count_max, 3u);
  EXPECT_EQ(info.bytes, 3 * plain_size());
  ASSERT_TRUE(info.min_fee_rate.has_value());
  EXPECT_EQ(info.min_fee_rate->fee, 12'000u);
  EXPECT_EQ(info.min_fee_rate->bytes, plain_size());
  // Cheaper than every entry: rejected, nothing changes.
  expect_refused(pool, make_tx(e, {.fee = 11'000}), MempoolReject::kPoolFull);
  EXPECT_EQ(pool.txids(), (std::vector<Hash256>{id(td), id(tc), id(tb)}));
}

TEST_F(MempoolTest, EvictionTakesTheSendersLaterNoncesToo) {
  for (const TestKey* k : {&a, &b, &c, &d}) fund(*k, 1'000'000);
  Mempool pool(regtest(), limits_with_count(4));
  const Transaction a0 = make_tx(a, {.nonce = 0, .fee = 10'000});
  const Transaction a1 = make_tx(a, {.nonce = 1, .fee = 50'000});
  for (const auto& tx : {a0, a1, make_tx(b, {.fee = 20'000}), make_tx(c, {.fee = 30'000})}) {
    expect_accepted(pool, tx);
  }
  const AcceptResult r = accept(pool, make_tx(d, {.fee = 25'000}));
  ASSERT_TRUE(r.accepted()) << r.to_string();
  // a1 pays the most but cannot stay behind a gap.
  EXPECT_EQ(r.evicted, (std::vector<Hash256>{id(a0), id(a1)}));
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_TRUE(pool.pending_for(a.address).empty());
}

TEST_F(MempoolTest, NewcomerBehindTheCheapestEntryIsRejected) {
  fund(a, 1'000'000);
  fund(b, 1'000'000);
  Mempool pool(regtest(), limits_with_count(2));
  expect_accepted(pool, make_tx(a, {.nonce = 0, .fee = 10'000}));
  expect_accepted(pool, make_tx(b, {.fee = 20'000}));
  // It pays well, but making room would evict its own predecessor.
  expect_refused(pool, make_tx(a, {.nonce = 1, .fee = 90'000}), MempoolReject::kPoolFull);
  EXPECT_EQ(pool.size(), 2u);
}

TEST_F(MempoolTest, ByteLimitAtTheBoundAndOnePast) {
  for (const TestKey* k : {&a, &b, &c, &d, &e}) fund(*k, 1'000'000);
  const std::size_t s = plain_size();
  Mempool pool(regtest(), limits_with_bytes(3 * s));
  const Transaction ta = make_tx(a, {.fee = 10'000});
  for (const auto& tx : {ta, make_tx(b, {.fee = 12'000}), make_tx(c, {.fee = 14'000})}) {
    const AcceptResult r = accept(pool, tx);
    EXPECT_TRUE(r.accepted() && r.evicted.empty()) << r.to_string();
  }
  EXPECT_EQ(pool.bytes(), 3 * s);
  const AcceptResult r = accept(pool, make_tx(d, {.fee = 20'000}));
  ASSERT_TRUE(r.accepted()) << r.to_string();
  EXPECT_EQ(r.evicted, std::vector<Hash256>{id(ta)});
  EXPECT_EQ(pool.bytes(), 3 * s);
  expect_refused(pool, make_tx(e, {.fee = 11'000}), MempoolReject::kPoolFull);

  // One byte short of three: the third entry already forces an eviction.
  Mempool tight(regtest(), limits_with_bytes(3 * s - 1));
  expect_accepted(tight, ta);
  expect_accepted(tight, make_tx(b, {.fee = 12'000}));
  const AcceptResult third = accept(tight, make_tx(c, {.fee = 14'000}));
  ASSERT_TRUE(third.accepted()) << third.to_string();
  EXPECT_EQ(third.evicted, std::vector<Hash256>{id(ta)});
  EXPECT_EQ(tight.size(), 2u);
  // A transaction larger than the whole pool never fits.
  Mempool tiny(regtest(), limits_with_bytes(s - 1));
  expect_refused(tiny, make_tx(a, {.fee = 90'000}), MempoolReject::kPoolFull);
}

// --- selection ------------------------------------------------------------------------------

TEST_F(MempoolTest, SelectFollowsNonceOrderAndFeeRate) {
  for (const TestKey* k : {&a, &b, &c}) fund(*k, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction a0 = make_tx(a, {.nonce = 0, .fee = 10'000});
  const Transaction a1 = make_tx(a, {.nonce = 1, .fee = 100'000});
  const Transaction b0 = make_tx(b, {.fee = 50'000});
  const Transaction c0 = make_tx(c, {.fee = 30'000});
  for (const auto& tx : {a0, a1, b0, c0}) expect_accepted(pool, tx);
  // a1 pays the most but waits for a0, the cheapest.
  EXPECT_EQ(ids(pool.select(SIZE_MAX, SIZE_MAX)),
            (std::vector<Hash256>{id(b0), id(c0), id(a0), id(a1)}));
  const std::size_t s = plain_size();
  EXPECT_EQ(ids(pool.select(2 * s, SIZE_MAX)), (std::vector<Hash256>{id(b0), id(c0)}));
  EXPECT_EQ(ids(pool.select(3 * s - 1, SIZE_MAX)), (std::vector<Hash256>{id(b0), id(c0)}));
  EXPECT_EQ(ids(pool.select(3 * s, SIZE_MAX)), (std::vector<Hash256>{id(b0), id(c0), id(a0)}));
  EXPECT_EQ(ids(pool.select(SIZE_MAX, 1)), std::vector<Hash256>{id(b0)});
  EXPECT_TRUE(pool.select(SIZE_MAX, 0).empty());
  EXPECT_TRUE(pool.select(s - 1, SIZE_MAX).empty());
}

TEST_F(MempoolTest, SelectSkipsATxThatDoesNotFitAndItsSuccessors) {
  fund(a, 1'000'000);
  fund(b, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction big = make_tx(a, {.nonce = 0, .fee = 200'000, .memo_bytes = 200});
  const Transaction after_big = make_tx(a, {.nonce = 1, .fee = 200'000});
  const Transaction small = make_tx(b, {.fee = 10'000});
  for (const auto& tx : {big, after_big, small}) expect_accepted(pool, tx);
  // big does not fit; after_big would, but not without big before it.
  const std::size_t budget = plain_size() + 100;
  ASSERT_GT(primitives::tx_size(big), budget);
  EXPECT_EQ(ids(pool.select(budget, SIZE_MAX)), std::vector<Hash256>{id(small)});
  EXPECT_EQ(ids(pool.select(SIZE_MAX, SIZE_MAX)),
            (std::vector<Hash256>{id(big), id(after_big), id(small)}));
}

TEST_F(MempoolTest, OrderIsDeterministicAndTiesGoByTxid) {
  for (const TestKey* k : {&a, &b, &c}) fund(*k, 1'000'000);
  // Equal fees and sizes: equal rates, so only the txid can order them.
  std::vector<Transaction> txs = {make_tx(a, {}), make_tx(b, {}), make_tx(c, {})};
  Mempool forward(regtest(), {});
  Mempool backward(regtest(), {});
  for (auto it = txs.begin(); it != txs.end(); ++it) expect_accepted(forward, *it);
  for (auto it = txs.rbegin(); it != txs.rend(); ++it) expect_accepted(backward, *it);
  std::vector<Hash256> by_txid = ids(txs);
  std::sort(by_txid.begin(), by_txid.end());
  EXPECT_EQ(ids(forward.select(SIZE_MAX, SIZE_MAX)), by_txid);
  EXPECT_EQ(ids(backward.select(SIZE_MAX, SIZE_MAX)), by_txid);
  EXPECT_EQ(forward.txids(), by_txid);
  EXPECT_EQ(backward.txids(), by_txid);
}

// --- following the chain --------------------------------------------------------------------

TEST_F(MempoolTest, RemoveForBlockDropsIncludedAndStaleTxs) {
  const std::uint64_t cost = 1'000 + 10'000;
  fund(a, 1'000'000);
  fund(b, 1'000'000);
  fund(c, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction a0 = make_tx(a, {.nonce = 0});
  const Transaction a1 = make_tx(a, {.nonce = 1});
  const Transaction a2 = make_tx(a, {.nonce = 2});
  const Transaction b0 = make_tx(b, {.nonce = 0});
  const Transaction c0 = make_tx(c, {.nonce = 0});
  for (const auto& tx : {a0, a1, a2, b0, c0}) expect_accepted(pool, tx);

  // The block mines a0 and another transaction at b's nonce 0; a spent the rest elsewhere so
  // only a1 still fits its balance.
  primitives::Block block;
  block.txs = {a0, make_tx(b, {.nonce = 0, .fee = 30'000})};
  fund(a, cost, /*nonce=*/1);
  fund(b, 1'000'000, /*nonce=*/1);
  ASSERT_TRUE(pool.remove_for_block(block, tip).is_ok());
  EXPECT_FALSE(pool.contains(id(a0)));  // included
  EXPECT_TRUE(pool.contains(id(a1)));
  EXPECT_FALSE(pool.contains(id(a2)));  // no longer funded
  EXPECT_FALSE(pool.contains(id(b0)));  // its nonce was used by the block
  EXPECT_TRUE(pool.contains(id(c0)));   // not touched by the block
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool.bytes(), 2 * plain_size());
}

TEST_F(MempoolTest, RemoveForBlockDropsASenderWhoseStateCannotBeRead) {
  fund(a, 1'000'000);
  fund(b, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction a0 = make_tx(a, {.nonce = 0});
  const Transaction a1 = make_tx(a, {.nonce = 1});
  const Transaction b0 = make_tx(b, {});
  for (const auto& tx : {a0, a1, b0}) expect_accepted(pool, tx);
  primitives::Block block;
  block.txs = {a0};
  tip.failing.insert(a.address);
  const util::Status s = pool.remove_for_block(block, tip);
  EXPECT_EQ(s.code(), util::StatusCode::kIoError) << s.to_string();
  EXPECT_FALSE(pool.contains(id(a1)));
  EXPECT_TRUE(pool.contains(id(b0)));
  EXPECT_FALSE(pool.accept(make_tx(a, {.nonce = 1}), tip).is_ok());
}

TEST_F(MempoolTest, ReaddAfterReorgReadmitsAndDropsWhatNoLongerFits) {
  // The old branch mined a0 (which put a's key on chain), a1, b0 and c0, and paid d; the pool
  // holds a2 and d0 admitted on that branch.
  const TestKey& fresh = a;
  fund(fresh, 1'000'000, /*nonce=*/2);
  fund(d, 1'000'000);
  Mempool pool(regtest(), {});
  const Transaction a0 = make_tx(fresh, {.nonce = 0, .include_key = true});
  const Transaction a1 = make_tx(fresh, {.nonce = 1});
  const Transaction a2 = make_tx(fresh, {.nonce = 2});
  const Transaction b0 = make_tx(b, {.nonce = 0});
  const Transaction c0 = make_tx(c, {.nonce = 0});
  const Transaction d0 = make_tx(d, {.nonce = 0});
  expect_accepted(pool, a2);
  expect_accepted(pool, d0);

  // The new branch: a never sent (no key, nonce 0), b0 is mined there too, c is broke and d
  // never received its funds.
  tip.accounts.clear();
  fund(fresh, 1'000'000, 0, /*key_on_chain=*/false);
  fund(b, 1'000'000, /*nonce=*/1);
  fund(c, 5);
  const std::vector<Transaction> disconnected = {a0, a1, b0, c0};
  ASSERT_TRUE(pool.readd_after_reorg(disconnected, tip).is_ok());
  EXPECT_EQ(ids(pool.pending_for(fresh.address)), (std::vector<Hash256>{id(a0), id(a1), id(a2)}));
  EXPECT_FALSE(pool.contains(id(b0)));
  EXPECT_FALSE(pool.contains(id(c0)));
  EXPECT_FALSE(pool.contains(id(d0)));
  EXPECT_EQ(pool.size(), 3u);
  // The chain is consistent with the new tip: the next nonce follows on.
  expect_accepted(pool, make_tx(fresh, {.nonce = 3}));
}

TEST_F(MempoolTest, ReaddPutsDisconnectedTxsBeforeThePendingChain) {
  fund(a, 1'000'000, /*nonce=*/1);
  Mempool pool(regtest(), {});
  // Mined on the old branch: a0 with fee 10,000. The pool has a1 on top of it.
  const Transaction a0 = make_tx(a, {.nonce = 0, .fee = 10'000});
  const Transaction a1 = make_tx(a, {.nonce = 1});
  expect_accepted(pool, a1);
  fund(a, 1'000'000, /*nonce=*/0);
  const std::vector<Transaction> disconnected = {a0};
  ASSERT_TRUE(pool.readd_after_reorg(disconnected, tip).is_ok());
  EXPECT_EQ(ids(pool.pending_for(a.address)), (std::vector<Hash256>{id(a0), id(a1)}));
}

}  // namespace qpow::chain
