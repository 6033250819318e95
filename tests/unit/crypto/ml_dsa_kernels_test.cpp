// The polynomial kernels of every CPU path (ml_dsa_kernels.h): the NTT against schoolbook
// multiplication in Z_q[X]/(X^256 + 1) (FIPS 204 §7.5), the NTT order against the standard's
// (Algorithm 41 evaluated directly), and every other kernel against the scalar definitions of
// ml_dsa_rounding.h on random inputs at the edges of their stated ranges.
#include "crypto/ml_dsa_kernels.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ml_dsa_portable.h"
#include "crypto/ml_dsa_rounding.h"
#include "path_param.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::int32_t kGamma2s[2] = {(kQ - 1) / 88, (kQ - 1) / 32};

std::int64_t mod_q(std::int64_t a) {
  return ((a % kQ) + kQ) % kQ;
}

Poly random_poly(std::mt19937_64& rng, std::int32_t lo, std::int32_t hi) {
  std::uniform_int_distribution<std::int32_t> d(lo, hi);
  Poly p;
  for (std::int32_t& x : p.c) x = d(rng);
  return p;
}

// a * b in Z_q[X]/(X^256 + 1), coefficients in [0, q).
Poly schoolbook(const Poly& a, const Poly& b) {
  std::vector<std::int64_t> acc(kN, 0);
  for (std::size_t i = 0; i < kN; ++i) {
    for (std::size_t j = 0; j < kN; ++j) {
      const std::int64_t t = mod_q(static_cast<std::int64_t>(a.c[i]) * b.c[j]);
      if (i + j < kN) {
        acc[i + j] += t;
      } else {
        acc[i + j - kN] -= t;
      }
    }
  }
  Poly out;
  for (std::size_t i = 0; i < kN; ++i) out.c[i] = static_cast<std::int32_t>(mod_q(acc[i]));
  return out;
}

void expect_same_mod_q(const Poly& got, const Poly& want, const char* what) {
  for (std::size_t i = 0; i < kN; ++i) {
    ASSERT_EQ(mod_q(got.c[i]), mod_q(want.c[i])) << what << " coefficient " << i;
  }
}

void expect_equal(const Poly& got, const Poly& want, const char* what, std::size_t count = kN) {
  for (std::size_t i = 0; i < count; ++i)
    ASSERT_EQ(got.c[i], want.c[i]) << what << " coefficient " << i;
}

class MlDsaKernels : public CpuPathTest {
 protected:
  const PolyKernels& k() const { return poly_kernels(GetParam()); }
};

TEST_P(MlDsaKernels, NttProductIsNegacyclicMultiplication) {
  std::mt19937_64 rng(10);
  for (int round = 0; round < 4; ++round) {
    const Poly a = random_poly(rng, -kQ + 1, kQ - 1);
    const Poly b = random_poly(rng, -kQ + 1, kQ - 1);
    Poly a_hat = a;
    Poly b_hat = b;
    k().ntt(a_hat);
    k().ntt(b_hat);
    for (const std::int32_t x : a_hat.c) ASSERT_LT(std::abs(x), 9 * kQ);
    Poly c;
    k().pointwise_mont(c, a_hat, b_hat);
    k().intt_mont(c);
    for (const std::int32_t x : c.c) ASSERT_LT(std::abs(x), kQ);
    expect_same_mod_q(c, schoolbook(a, b), "intt(ntt(a) o ntt(b))");
  }
}

TEST_P(MlDsaKernels, DotProductSumsPointwiseProducts) {
  std::mt19937_64 rng(11);
  for (std::size_t n = 1; n <= 8; ++n) {
    std::vector<Poly> a(n), b(n);
    for (std::size_t j = 0; j < n; ++j) {
      a[j] = random_poly(rng, 0, kQ - 1);
      b[j] = random_poly(rng, -9 * kQ + 1, 9 * kQ - 1);
    }
    Poly got;
    k().dot_mont(got, a.data(), b.data(), n);
    Poly want{};
    for (std::size_t j = 0; j < n; ++j) {
      Poly t;
      portable::pointwise_mont(t, a[j], b[j]);
      for (std::size_t i = 0; i < kN; ++i)
        want.c[i] = static_cast<std::int32_t>(mod_q(want.c[i] + t.c[i]));
    }
    for (const std::int32_t x : got.c) ASSERT_LT(std::abs(x), kQ);
    expect_same_mod_q(got, want, "dot");
  }
}

// Algorithm 41's output order, evaluated directly: NTT(a)[i] = a(ζ^(2·BitRev8(i) + 1)).
TEST_P(MlDsaKernels, NttOrderMatchesTheStandardAfterReordering) {
  std::mt19937_64 rng(12);
  const Poly a = random_poly(rng, -kQ + 1, kQ - 1);
  Poly direct;
  for (std::size_t i = 0; i < kN; ++i) {
    unsigned rev = 0;
    for (int bit = 0; bit < 8; ++bit) rev |= ((i >> bit) & 1u) << (7 - bit);
    std::int64_t root = 1;
    for (unsigned e = 0; e < 2 * rev + 1; ++e) root = root * kZeta % kQ;
    std::int64_t acc = 0;
    std::int64_t power = 1;
    for (std::size_t j = 0; j < kN; ++j) {
      acc = mod_q(acc + mod_q(a.c[j]) * power);
      power = power * root % kQ;
    }
    direct.c[i] = static_cast<std::int32_t>(acc);
  }
  k().from_standard_order(direct);
  Poly a_hat = a;
  k().ntt(a_hat);
  expect_same_mod_q(a_hat, direct, "ntt");
}

// The remaining kernels against the portable ones, which are the scalar formulas of
// ml_dsa_rounding.h applied coefficientwise.
TEST_P(MlDsaKernels, CoefficientwiseKernelsMatchTheScalarFormulas) {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 50; ++round) {
    constexpr std::int32_t kWide = 2147483647 - (1 << 22);  // 2^31 - 2^22 - 1
    const Poly wide = random_poly(rng, -kWide, kWide);
    const Poly small = random_poly(rng, -kQ + 1, kQ - 1);
    const Poly canonical = random_poly(rng, 0, kQ - 1);
    Poly got, want, got2, want2;
    got = wide, want = wide;
    k().freeze(got), portable::freeze(want);
    expect_equal(got, want, "freeze");
    got = small, want = small;
    k().centre(got), portable::centre(want);
    expect_equal(got, want, "centre");
    k().add(got, small, canonical), portable::add(want, small, canonical);
    expect_equal(got, want, "add");
    k().sub(got, small, canonical), portable::sub(want, small, canonical);
    expect_equal(got, want, "sub");
    k().power2round(got, got2, canonical), portable::power2round(want, want2, canonical);
    expect_equal(got, want, "power2round high"), expect_equal(got2, want2, "power2round low");
    Poly t1 = random_poly(rng, 0, 1023);
    got = t1, want = t1;
    k().shift_left_d(got), portable::shift_left_d(want);
    expect_equal(got, want, "shift_left_d");
    for (const std::int32_t gamma2 : kGamma2s) {
      k().decompose(got, got2, canonical, gamma2);
      portable::decompose(want, want2, canonical, gamma2);
      expect_equal(got, want, "decompose high"), expect_equal(got2, want2, "decompose low");
      const Poly u = random_poly(rng, -(kQ - 1) / 2, (kQ - 1) / 2);
      const Poly r1 = want;
      HintBits h_got{}, h_want{};
      const std::size_t ones = portable::make_hint(h_want, canonical, r1, u, gamma2);
      EXPECT_EQ(k().make_hint(h_got, canonical, r1, u, gamma2), ones);
      std::size_t counted = 0;
      for (std::size_t i = 0; i < kN; ++i) {
        const bool bit = ((h_want.word[i / 64] >> (i % 64)) & 1) != 0;
        ASSERT_EQ(bit, scalar::make_hint(u.c[i], canonical.c[i], gamma2) == 1) << i;
        counted += bit;
      }
      EXPECT_EQ(counted, ones);
      for (std::size_t w = 0; w < kN / 64; ++w) ASSERT_EQ(h_got.word[w], h_want.word[w]);
      HintBits h;
      for (auto& w : h.word) w = rng();
      k().use_hint(got, h, canonical, gamma2), portable::use_hint(want, h, canonical, gamma2);
      expect_equal(got, want, "use_hint");
    }
  }
}

TEST_P(MlDsaKernels, DecomposeMatchesForEveryResidue) {
  for (const std::int32_t gamma2 : kGamma2s) {
    Poly r, high, low;
    for (std::int32_t base = 0; base < kQ; base += static_cast<std::int32_t>(kN)) {
      for (std::size_t i = 0; i < kN; ++i)
        r.c[i] = std::min<std::int32_t>(base + static_cast<std::int32_t>(i), kQ - 1);
      k().decompose(high, low, r, gamma2);
      for (std::size_t i = 0; i < kN; ++i) {
        const scalar::Split want = scalar::decompose(r.c[i], gamma2);
        if (high.c[i] != want.high || low.c[i] != want.low) FAIL() << "r " << r.c[i];
      }
    }
  }
}

TEST_P(MlDsaKernels, NormTestIsExactAtTheBound) {
  Poly a{};
  const std::int32_t bound = 1000;
  EXPECT_FALSE(k().norm_at_least(a, bound));
  for (const std::size_t at : {std::size_t{0}, std::size_t{7}, std::size_t{255}}) {
    for (const std::int32_t v : {bound - 1, -(bound - 1)}) {
      a = Poly{};
      a.c[at] = v;
      EXPECT_FALSE(k().norm_at_least(a, bound)) << v << " at " << at;
    }
    for (const std::int32_t v : {bound, -bound, bound + 1, -(1 << 30)}) {
      a = Poly{};
      a.c[at] = v;
      EXPECT_TRUE(k().norm_at_least(a, bound)) << v << " at " << at;
    }
  }
}

// The parsing steps of Algorithms 30 and 31 on random bytes, from several starting counts, so
// that the vector loops, their tails and the stop at 256 coefficients are all exercised.
TEST_P(MlDsaKernels, RejectionParsersMatchThePortableOnes) {
  std::mt19937_64 rng(14);
  std::vector<std::uint8_t> bytes(840);
  for (int round = 0; round < 40; ++round) {
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    // Force rejections: candidates at and above q, and nibbles 9..15.
    for (std::size_t i = 2; i < bytes.size(); i += 29) bytes[i] |= 0x7f;
    for (const std::size_t filled : {std::size_t{0}, std::size_t{100}, std::size_t{250}}) {
      for (const std::size_t len : {std::size_t{840}, std::size_t{168}, std::size_t{27}}) {
        Poly got{}, want{};
        const std::size_t count = portable::rej_ntt_parse(want, filled, bytes.data(), len);
        ASSERT_EQ(k().rej_ntt_parse(got, filled, bytes.data(), len), count);
        expect_equal(got, want, "rej_ntt_parse", count);  // later entries are scratch
      }
      for (const std::int32_t eta : {2, 4}) {
        for (const std::size_t len : {std::size_t{272}, std::size_t{136}, std::size_t{13}}) {
          Poly got{}, want{};
          const std::size_t count =
              portable::rej_bounded_parse(want, filled, bytes.data(), len, eta);
          ASSERT_EQ(k().rej_bounded_parse(got, filled, bytes.data(), len, eta), count);
          expect_equal(got, want, "rej_bounded_parse", count);
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, MlDsaKernels, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::mldsa
