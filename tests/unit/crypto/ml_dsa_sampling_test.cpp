// ML-DSA's sampling (FIPS 204 Algorithms 29-34) on every CPU path: the shapes the standard
// promises (τ coefficients ±1 in c, |s| <= η, |y| <= γ1, Â in [0, q)), identical output on every
// path, and verification's combined ExpandA + H(pk) against a plain SHAKE256 for messages of any
// length (the SIMD paths compute that hash alongside ExpandA's 4-way permutations).
#include "crypto/ml_dsa_sampling.h"

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ml_dsa_kernels.h"
#include "crypto/ml_dsa_params.h"
#include "crypto/sha3.h"
#include "path_param.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr const Params* kAllParams[] = {&kMlDsa44, &kMlDsa65, &kMlDsa87};

class MlDsaSampling : public CpuPathTest {
 protected:
  const PolyKernels& k() const { return poly_kernels(GetParam()); }
  const PolyKernels& ref() const { return poly_kernels(CpuPath::kPortable); }
};

std::array<std::uint8_t, 64> seed_of(std::uint8_t tag) {
  std::array<std::uint8_t, 64> s{};
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(tag * 31 + i);
  return s;
}

TEST_P(MlDsaSampling, SampleInBallHasTauSignedOnes) {
  for (const Params* p : kAllParams) {
    for (std::uint8_t tag = 0; tag < 20; ++tag) {
      Poly c;
      sample_in_ball(*p, seed_of(tag).data(), c);
      std::size_t ones = 0;
      for (const std::int32_t x : c.c) {
        ASSERT_TRUE(x == 0 || x == 1 || x == -1);
        ones += x != 0;
      }
      EXPECT_EQ(ones, p->tau);
    }
  }
}

TEST_P(MlDsaSampling, ExpandAIsUniformModQAndTheSameOnEveryPath) {
  for (const Params* p : kAllParams) {
    std::vector<Poly> a(p->k * p->l), want(p->k * p->l);
    expand_a(*p, seed_of(1).data(), a.data(), k());
    expand_a(*p, seed_of(1).data(), want.data(), ref());
    for (std::size_t i = 0; i < a.size(); ++i) {
      // Bring the reference into this path's NTT order before comparing.
      k().from_standard_order(want[i]);
      for (std::size_t j = 0; j < kN; ++j) {
        ASSERT_GE(a[i].c[j], 0);
        ASSERT_LT(a[i].c[j], kQ);
        ASSERT_EQ(a[i].c[j], want[i].c[j]) << "entry " << i << " coefficient " << j;
      }
    }
  }
}

TEST_P(MlDsaSampling, ExpandSIsBoundedByEtaAndTheSameOnEveryPath) {
  for (const Params* p : kAllParams) {
    std::vector<Poly> s1(p->l), s2(p->k), r1(p->l), r2(p->k);
    expand_s(*p, seed_of(2).data(), s1.data(), s2.data(), k());
    expand_s(*p, seed_of(2).data(), r1.data(), r2.data(), ref());
    for (std::size_t i = 0; i < p->l + p->k; ++i) {
      const Poly& got = i < p->l ? s1[i] : s2[i - p->l];
      const Poly& want = i < p->l ? r1[i] : r2[i - p->l];
      for (std::size_t j = 0; j < kN; ++j) {
        ASSERT_LE(std::abs(got.c[j]), p->eta);
        ASSERT_EQ(got.c[j], want.c[j]);
      }
    }
  }
}

TEST_P(MlDsaSampling, ExpandMaskIsBoundedByGamma1AndTheSameOnEveryPath) {
  for (const Params* p : kAllParams) {
    for (const std::uint16_t kappa :
         {std::uint16_t{0}, static_cast<std::uint16_t>(p->l), std::uint16_t{65000}}) {
      std::vector<Poly> y(p->l), want(p->l);
      expand_mask(*p, seed_of(3).data(), kappa, y.data(), GetParam());
      expand_mask(*p, seed_of(3).data(), kappa, want.data(), CpuPath::kPortable);
      for (std::size_t i = 0; i < p->l; ++i) {
        for (std::size_t j = 0; j < kN; ++j) {
          ASSERT_GT(y[i].c[j], -p->gamma1);
          ASSERT_LE(y[i].c[j], p->gamma1);
          ASSERT_EQ(y[i].c[j], want[i].c[j]);
        }
      }
    }
  }
}

// Sign_internal's attempts take y for κ = 0, l, 2l, ... from a stream that samples ahead.
TEST_P(MlDsaSampling, MaskStreamGivesExpandMaskForSuccessiveKappas) {
  for (const Params* p : kAllParams) {
    MaskStream stream;
    for (std::size_t attempt = 0; attempt < 9; ++attempt) {
      std::vector<Poly> y(p->l), want(p->l);
      expand_mask_next(*p, seed_of(5).data(), stream, y.data(), GetParam());
      expand_mask(*p, seed_of(5).data(), static_cast<std::uint16_t>(attempt * p->l), want.data(),
                  CpuPath::kPortable);
      for (std::size_t i = 0; i < p->l; ++i) {
        for (std::size_t j = 0; j < kN; ++j) {
          ASSERT_EQ(y[i].c[j], want[i].c[j]) << "attempt " << attempt << " poly " << i;
        }
      }
    }
  }
}

// Lengths around SHAKE256's 136-byte rate, the three public-key sizes, and one longer than
// ExpandA's permutations can carry (the rest is absorbed afterwards).
TEST_P(MlDsaSampling, ExpandAWithHashOfPkMatchesSeparateCalls) {
  std::mt19937_64 rng(30);
  std::vector<std::uint8_t> message(20000);
  for (auto& b : message) b = static_cast<std::uint8_t>(rng());
  for (const Params* p : kAllParams) {
    for (const std::size_t len :
         {std::size_t{0}, std::size_t{1}, std::size_t{135}, std::size_t{136}, std::size_t{137},
          std::size_t{272}, std::size_t{1312}, std::size_t{1952}, std::size_t{2592},
          std::size_t{20000}}) {
      const util::ByteSpan pk(message.data(), len);
      std::vector<Poly> a(p->k * p->l), want(p->k * p->l);
      std::array<std::uint8_t, kTrBytes> tr{}, want_tr{};
      expand_a_and_hash_pk(*p, seed_of(4).data(), a.data(), pk, tr.data(), k());
      expand_a(*p, seed_of(4).data(), want.data(), k());
      Shake256().absorb(pk).squeeze(want_tr);
      ASSERT_EQ(tr, want_tr) << "length " << len;
      for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t j = 0; j < kN; ++j) ASSERT_EQ(a[i].c[j], want[i].c[j]);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, MlDsaSampling, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::mldsa
