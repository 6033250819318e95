// The scalar arithmetic and rounding of ML-DSA (FIPS 204 §7.4, Algorithms 35-40) against their
// definitions, exhaustively over Z_q where that is cheap, and the properties the scheme relies on
// (FIPS 204 §7.4: UseHint recovers HighBits(r + z) from MakeHint(z, r)).
#include "crypto/ml_dsa_rounding.h"

#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::int32_t kGamma2Small = (kQ - 1) / 88;  // ML-DSA-44
constexpr std::int32_t kGamma2Large = (kQ - 1) / 32;  // ML-DSA-65, -87

// r mod± alpha: the representative in (-alpha/2, alpha/2] (FIPS 204 §2.3), alpha even.
std::int32_t mod_pm(std::int32_t r, std::int32_t alpha) {
  std::int32_t v = r % alpha;
  if (v < 0) v += alpha;
  if (v > alpha / 2) v -= alpha;
  return v;
}

// Algorithm 36 as the standard writes it.
scalar::Split decompose_reference(std::int32_t r, std::int32_t gamma2) {
  const std::int32_t r_plus = ((r % kQ) + kQ) % kQ;
  std::int32_t r0 = mod_pm(r_plus, 2 * gamma2);
  std::int32_t r1;
  if (r_plus - r0 == kQ - 1) {
    r1 = 0;
    r0 = r0 - 1;
  } else {
    r1 = (r_plus - r0) / (2 * gamma2);
  }
  return {r1, r0};
}

TEST(MlDsaRounding, DecomposeMatchesAlgorithm36ForEveryResidue) {
  for (const std::int32_t gamma2 : {kGamma2Small, kGamma2Large}) {
    for (std::int32_t r = 0; r < kQ; ++r) {
      const scalar::Split got = scalar::decompose(r, gamma2);
      const scalar::Split want = decompose_reference(r, gamma2);
      if (got.high != want.high || got.low != want.low) {
        FAIL() << "gamma2 " << gamma2 << " r " << r << ": got (" << got.high << ", " << got.low
               << "), want (" << want.high << ", " << want.low << ")";
      }
    }
  }
}

TEST(MlDsaRounding, DivisionByTwoGamma2IsExactOverItsRange) {
  for (const std::int32_t gamma2 : {kGamma2Small, kGamma2Large}) {
    for (std::int32_t x = 0; x < kQ + gamma2; ++x) {
      if (scalar::divide_by_2gamma2(x, gamma2) != x / (2 * gamma2)) {
        FAIL() << "gamma2 " << gamma2 << " x " << x;
      }
    }
  }
}

TEST(MlDsaRounding, Power2RoundMatchesAlgorithm35ForEveryResidue) {
  for (std::int32_t r = 0; r < kQ; ++r) {
    const std::int32_t r0 = mod_pm(r, 1 << kD);
    const scalar::Split got = scalar::power2round(r);
    if (got.low != r0 || got.high != (r - r0) >> kD) FAIL() << "r " << r;
  }
}

TEST(MlDsaRounding, ReductionsGiveTheCanonicalRepresentatives) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<std::int32_t> wide(-(1 << 30) - (1 << 29), (1 << 30) + (1 << 29));
  std::uniform_int_distribution<std::int32_t> narrow(-kQ + 1, kQ - 1);
  for (int i = 0; i < 200000; ++i) {
    const std::int32_t a = wide(rng);
    const std::int32_t want = ((a % kQ) + kQ) % kQ;
    ASSERT_EQ(scalar::freeze(a), want) << a;
    const std::int32_t r = scalar::reduce32(a);
    ASSERT_GE(r, -6283009);
    ASSERT_LE(r, 6283008);
    const std::int32_t b = narrow(rng);
    ASSERT_EQ(scalar::centre(b), mod_pm(b, kQ)) << b;
  }
  EXPECT_EQ(scalar::centre((kQ - 1) / 2), (kQ - 1) / 2);
  EXPECT_EQ(scalar::centre((kQ + 1) / 2), -(kQ - 1) / 2);
}

TEST(MlDsaRounding, MontgomeryReductionDividesBy2To32) {
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<std::int64_t> dist(-(std::int64_t{1} << 31) * kQ + 1,
                                                   (std::int64_t{1} << 31) * kQ - 1);
  const std::int64_t r_mod_q = (std::int64_t{1} << 32) % kQ;
  for (int i = 0; i < 200000; ++i) {
    const std::int64_t a = dist(rng);
    const std::int32_t m = scalar::montgomery_reduce(a);
    ASSERT_GT(m, -kQ);
    ASSERT_LT(m, kQ);
    // m * 2^32 = a (mod q)
    const std::int64_t lhs = ((m % kQ + kQ) % kQ) * r_mod_q % kQ;
    ASSERT_EQ(lhs, ((a % kQ) + kQ) % kQ);
  }
}

// FIPS 204 §7.4: for ||z|| <= γ2, UseHint(MakeHint(z, r), r) = HighBits(r + z).
TEST(MlDsaRounding, UseHintRecoversHighBitsOfTheSum) {
  std::mt19937_64 rng(3);
  for (const std::int32_t gamma2 : {kGamma2Small, kGamma2Large}) {
    std::uniform_int_distribution<std::int32_t> rd(0, kQ - 1);
    std::uniform_int_distribution<std::int32_t> zd(-gamma2, gamma2);
    for (int i = 0; i < 300000; ++i) {
      const std::int32_t r = rd(rng);
      const std::int32_t z = zd(rng);
      const std::int32_t h = scalar::make_hint(z, r, gamma2);
      const std::int32_t sum = scalar::freeze(r + z);
      ASSERT_EQ(scalar::use_hint(h, r, gamma2), scalar::high_bits(sum, gamma2))
          << "r " << r << " z " << z;
    }
  }
}

// Algorithm 40's boundary: r0 = 0 counts as "not positive", so a hint steps down.
TEST(MlDsaRounding, UseHintTreatsZeroLowBitsAsNotPositive) {
  for (const std::int32_t gamma2 : {kGamma2Small, kGamma2Large}) {
    const std::int32_t m = (kQ - 1) / (2 * gamma2);
    const std::int32_t r = 2 * gamma2 * 3;  // r1 = 3, r0 = 0
    EXPECT_EQ(scalar::decompose(r, gamma2).low, 0);
    EXPECT_EQ(scalar::use_hint(1, r, gamma2), 2);
    EXPECT_EQ(scalar::use_hint(1, r + 1, gamma2), 4);
    EXPECT_EQ(scalar::use_hint(0, r, gamma2), 3);
    EXPECT_EQ(scalar::use_hint(1, 0, gamma2), m - 1);                     // wraps below 0
    EXPECT_EQ(scalar::use_hint(1, 2 * gamma2 * (m - 1) + 1, gamma2), 0);  // wraps past m - 1
  }
}

}  // namespace
}  // namespace qpow::crypto::mldsa
