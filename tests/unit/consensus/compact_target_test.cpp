// Compact targets: decoding with Bitcoin's DeriveTarget rules, round trips through the compact
// form, chain work and the proof-of-work comparison. The compact known answers are facts from
// Bitcoin Core's src/test/arith_uint256_tests.cpp (bignum_SetCompact); the chain-work answers
// follow from floor(2^256 / (target + 1)).
#include "consensus/compact_target.h"

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "util/status.h"

namespace qpow::util {

static void PrintTo(const Uint256& v, std::ostream* os) {
  *os << "0x" << v.to_hex();
}

}  // namespace qpow::util

namespace qpow::consensus {
namespace {

using util::StatusCode;
using util::Uint256;

Uint256 hex(const char* text) {
  const util::Result<Uint256> v = Uint256::from_hex(text);
  if (!v.is_ok()) {
    ADD_FAILURE() << "bad Uint256 literal in test: " << v.status().to_string();
    return Uint256();
  }
  return *v;
}

Uint256 pow2(unsigned k) {
  return Uint256(1) << k;
}

// Bitcoin's (and Bitcoin Cash's) proof-of-work limit, whose compact form is 0x1d00ffff.
const Uint256 kBitcoinPowLimit =
    hex("00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

void expect_error(std::uint32_t bits, StatusCode code, const std::string& words) {
  const util::Result<Uint256> got = target_from_bits(bits);
  ASSERT_FALSE(got.is_ok()) << std::hex << bits;
  EXPECT_EQ(got.status().code(), code) << got.status().to_string();
  EXPECT_NE(got.status().message().find(words), std::string::npos) << got.status().to_string();
  char name[16];
  std::snprintf(name, sizeof name, "0x%08x", bits);
  EXPECT_NE(got.status().message().find(name), std::string::npos) << got.status().to_string();
}

struct KnownTarget {
  std::uint32_t bits;
  const char* target_hex;
};

TEST(CompactTarget, BitcoinKnownAnswers) {
  const KnownTarget cases[] = {
      {0x01123456, "12"},
      {0x02123456, "1234"},
      {0x03123456, "123456"},
      {0x04123456, "12345600"},
      {0x05009234, "92340000"},
      {0x20123456, "1234560000000000000000000000000000000000000000000000000000000000"},
      // Bitcoin's genesis block.
      {0x1d00ffff, "00000000ffff0000000000000000000000000000000000000000000000000000"},
  };
  for (const KnownTarget& c : cases) {
    const util::Result<Uint256> got = target_from_bits(c.bits);
    ASSERT_TRUE(got.is_ok()) << std::hex << c.bits << ": " << got.status().to_string();
    EXPECT_EQ(*got, hex(c.target_hex)) << std::hex << c.bits;
  }
}

TEST(CompactTarget, RejectsNegative) {
  expect_error(0x04923456, StatusCode::kMalformed, "negative");
  expect_error(0x01fedcba, StatusCode::kMalformed, "negative");
  expect_error(0x1d80ffff, StatusCode::kMalformed, "negative");
}

TEST(CompactTarget, RejectsOverflow) {
  expect_error(0xff123456, StatusCode::kMalformed, "overflows 256 bits");
  // One past each of the largest encodable values 0xff << 248, 0xffff << 240, 0x7fffff << 232.
  expect_error(0x23000001, StatusCode::kMalformed, "overflows 256 bits");
  expect_error(0x22000100, StatusCode::kMalformed, "overflows 256 bits");
  expect_error(0x21010000, StatusCode::kMalformed, "overflows 256 bits");
  EXPECT_EQ(target_from_bits(0x220000ff).value(), Uint256(0xff) << 248);
  EXPECT_EQ(target_from_bits(0x2100ffff).value(), Uint256(0xffff) << 240);
  EXPECT_EQ(target_from_bits(0x207fffff).value(), Uint256(0x7fffff) << 232);
}

TEST(CompactTarget, RejectsZero) {
  // Every zero form of bignum_SetCompact, including a sign bit over a zero mantissa (not negative).
  for (const std::uint32_t bits :
       {0x00000000u, 0x00123456u, 0x01003456u, 0x02000056u, 0x03000000u, 0x04000000u, 0x00923456u,
        0x01803456u, 0x02800056u, 0x03800000u, 0x04800000u, 0xff000000u}) {
    expect_error(bits, StatusCode::kMalformed, "zero");
  }
}

TEST(CompactTarget, PowLimitAtAndOnePast) {
  const Uint256 genesis_target = target_from_bits(0x1d00ffff).value();
  EXPECT_EQ(target_from_bits(0x1d00ffff, kBitcoinPowLimit).value(), genesis_target);
  // The limit itself is allowed, one below it is not.
  EXPECT_TRUE(target_from_bits(0x1d00ffff, genesis_target).is_ok());
  const util::Result<Uint256> over = target_from_bits(0x1d00ffff, genesis_target - Uint256(1));
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(over.status().message().find("exceeds the proof-of-work limit"), std::string::npos);
  // The next compact value above Bitcoin's limit: 0x010000 << 208 = 2^224.
  const util::Result<Uint256> next = target_from_bits(0x1d010000, kBitcoinPowLimit);
  ASSERT_FALSE(next.is_ok());
  EXPECT_EQ(next.status().code(), StatusCode::kOutOfRange);
  // Decoding errors come first and keep their code.
  EXPECT_EQ(target_from_bits(0x04923456, kBitcoinPowLimit).status().code(), StatusCode::kMalformed);
  EXPECT_EQ(target_from_bits(0, kBitcoinPowLimit).status().code(), StatusCode::kMalformed);
}

TEST(CompactTarget, RoundTripThroughCompact) {
  std::mt19937_64 rng(20201115);
  for (int i = 0; i < 2000; ++i) {
    Uint256 value;
    for (int limb = 0; limb < 4; ++limb) value = (value << 64) + Uint256(rng());
    value >>= static_cast<unsigned>(rng() % 256);
    if (value.is_zero()) continue;
    const std::uint32_t bits = value.to_compact();
    const util::Result<Uint256> decoded = target_from_bits(bits);
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    // The compact form keeps the top bytes and drops the rest: never more, and canonical.
    EXPECT_LE(*decoded, value);
    const unsigned size = bits >> 24;
    if (size <= 3) {
      EXPECT_EQ(*decoded, value);
    } else {
      EXPECT_LT(value - *decoded, pow2(8 * (size - 3)));
    }
    EXPECT_EQ(decoded->to_compact(), bits);
  }
}

TEST(CompactTarget, CanonicalBitsRoundTrip) {
  for (std::uint32_t size = 4; size <= 0x20; ++size) {
    for (const std::uint32_t mantissa : {0x008000u, 0x00ffffu, 0x123456u, 0x7fffffu}) {
      const std::uint32_t bits = (size << 24) | mantissa;
      EXPECT_EQ(target_from_bits(bits).value().to_compact(), bits) << std::hex << bits;
    }
  }
}

TEST(ChainWork, KnownValues) {
  EXPECT_EQ(chain_work(Uint256::max()), Uint256(1));
  EXPECT_EQ(chain_work(target_from_bits(0x1d00ffff).value()), Uint256(0x1'0001'0001));
  EXPECT_EQ(chain_work(Uint256(1)), pow2(255));
  EXPECT_EQ(chain_work(Uint256(3)), pow2(254));
  EXPECT_EQ(chain_work(pow2(255) - Uint256(1)), Uint256(2));
  EXPECT_EQ(chain_work(pow2(255)), Uint256(1));
  EXPECT_EQ(chain_work(pow2(128) - Uint256(1)), pow2(128));
  EXPECT_EQ(chain_work(pow2(128)), pow2(128) - Uint256(1));
}

TEST(ChainWork, MatchesDirectDivision) {
  // floor(2^256 / d) = floor((2^256 - 1) / d), plus one when d divides 2^256 (d a power of two).
  std::mt19937_64 rng(7);
  for (int i = 0; i < 500; ++i) {
    Uint256 target;
    for (int limb = 0; limb < 4; ++limb) target = (target << 64) + Uint256(rng());
    target >>= static_cast<unsigned>(rng() % 256);
    if (target.is_zero() || target == Uint256::max()) continue;
    const Uint256 divisor = target + Uint256(1);
    Uint256 expected = Uint256::max() / divisor;
    if (pow2(divisor.bit_length() - 1) == divisor) expected += Uint256(1);
    EXPECT_EQ(chain_work(target), expected) << target.to_hex();
  }
}

TEST(ChainWork, HarderTargetsWeighMore) {
  Uint256 previous;
  for (unsigned k = 255; k > 0; --k) {
    const Uint256 work = chain_work(pow2(k) - Uint256(1));
    EXPECT_GT(work, previous);
    previous = work;
  }
}

TEST(ChainWork, BlockWork) {
  EXPECT_EQ(block_work(0x1d00ffff).value(), Uint256(0x1'0001'0001));
  EXPECT_EQ(block_work(0x2100ffff).value(), chain_work(Uint256(0xffff) << 240));
  EXPECT_EQ(block_work(0).status().code(), StatusCode::kMalformed);
  EXPECT_EQ(block_work(0x04923456).status().code(), StatusCode::kMalformed);
  EXPECT_EQ(block_work(0xff123456).status().code(), StatusCode::kMalformed);
}

TEST(ChainWorkDeathTest, ZeroTargetIsABug) {
  EXPECT_DEATH((void)chain_work(Uint256()), "zero target");
}

crypto::Hash256 hash_of(const Uint256& value) {
  return value.to_le_bytes();
}

TEST(HashMeetsTarget, AtAndOverTheBoundary) {
  const Uint256 target = target_from_bits(0x1d00ffff).value();
  EXPECT_TRUE(hash_meets_target(hash_of(target), target));
  EXPECT_TRUE(hash_meets_target(hash_of(target - Uint256(1)), target));
  EXPECT_TRUE(hash_meets_target(hash_of(Uint256()), target));
  EXPECT_FALSE(hash_meets_target(hash_of(target + Uint256(1)), target));
  EXPECT_FALSE(hash_meets_target(hash_of(Uint256::max()), target));
  EXPECT_TRUE(hash_meets_target(hash_of(Uint256::max()), Uint256::max()));
}

TEST(HashMeetsTarget, ByteZeroIsLeastSignificant) {
  crypto::Hash256 low{};
  low[0] = 0xff;  // the number 255
  EXPECT_TRUE(hash_meets_target(low, Uint256(255)));
  EXPECT_FALSE(hash_meets_target(low, Uint256(254)));
  crypto::Hash256 high{};
  high[31] = 0x01;  // the number 2^248
  EXPECT_FALSE(hash_meets_target(high, pow2(248) - Uint256(1)));
  EXPECT_TRUE(hash_meets_target(high, pow2(248)));
  // A Bitcoin-style hash with its leading zero bytes at the end of the array meets 0x1d00ffff.
  crypto::Hash256 mined{};
  mined.fill(0xff);
  for (std::size_t i = 28; i < 32; ++i) mined[i] = 0;
  mined[27] = 0xfe;
  EXPECT_TRUE(hash_meets_target(mined, target_from_bits(0x1d00ffff).value()));
  mined[28] = 0x01;
  EXPECT_FALSE(hash_meets_target(mined, target_from_bits(0x1d00ffff).value()));
}

}  // namespace
}  // namespace qpow::consensus
