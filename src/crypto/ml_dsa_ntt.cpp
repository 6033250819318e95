// The number-theoretic transform of ML-DSA in plain C++ (FIPS 204 §7.5, Algorithms 41-45),
// with Montgomery multiplication by precomputed twiddle factors (ml_dsa_zetas.h). Values stay in
// the standard's order.
#include "crypto/ml_dsa_portable.h"
#include "crypto/ml_dsa_rounding.h"
#include "crypto/ml_dsa_zetas.h"
#include "util/assert.h"

namespace qpow::crypto::mldsa::portable {
namespace {

using ntt_tables::kInvNScaleMont;
using ntt_tables::kZetasMont;
using scalar::montgomery_mul;
using scalar::montgomery_reduce;
using scalar::reduce32;

// Layers of the inverse transform after which every value is reduced again: sums double per
// layer, so four layers from |a| < 0.75q stay below 12q, far from 2^31.
constexpr std::size_t kInverseReduceAfterLen = 8;

void reduce_all(Poly& a) {
  for (std::int32_t& x : a.c) x = reduce32(x);
}

}  // namespace

// Algorithm 41: Cooley-Tukey butterflies, len = 128 down to 1. Each layer adds less than q to
// the largest magnitude, so inputs below q end below 9q.
void ntt(Poly& a) {
  std::size_t m = 0;
  for (std::size_t len = 128; len >= 1; len >>= 1) {
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const std::int32_t zeta = kZetasMont[++m];
      for (std::size_t j = start; j < start + len; ++j) {
        const std::int32_t t = montgomery_mul(zeta, a.c[j + len]);
        a.c[j + len] = a.c[j] - t;
        a.c[j] = a.c[j] + t;
      }
    }
  }
}

// Algorithm 42: Gentleman-Sande butterflies with -zetas[m], len = 1 up to 128, then the scaling
// by 256^-1 (which here also multiplies by 2^32, see ml_dsa_zetas.h).
void intt_mont(Poly& a) {
  reduce_all(a);
  std::size_t m = kN;
  for (std::size_t len = 1; len < kN; len <<= 1) {
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const std::int32_t zeta = -kZetasMont[--m];
      for (std::size_t j = start; j < start + len; ++j) {
        const std::int32_t t = a.c[j];
        a.c[j] = t + a.c[j + len];
        a.c[j + len] = montgomery_mul(zeta, t - a.c[j + len]);
      }
    }
    if (len == kInverseReduceAfterLen) reduce_all(a);
  }
  for (std::int32_t& x : a.c) x = montgomery_mul(kInvNScaleMont, x);
}

// Algorithm 45 (MultiplyNTT) with Montgomery reduction.
void pointwise_mont(Poly& out, const Poly& a, const Poly& b) {
  for (std::size_t i = 0; i < kN; ++i) out.c[i] = montgomery_mul(a.c[i], b.c[i]);
}

// Algorithms 45 and 44 (MultiplyNTT, AddNTT) over a row: the products are summed in 64 bits and
// reduced once. Eight products below 9q^2 stay far below 2^62.
void dot_mont(Poly& out, const Poly* a, const Poly* b, std::size_t n) {
  QPOW_ASSERT(n >= 1 && n <= 8);
  for (std::size_t i = 0; i < kN; ++i) {
    std::int64_t sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += static_cast<std::int64_t>(a[j].c[i]) * b[j].c[i];
    out.c[i] = montgomery_reduce(sum);
  }
}

void from_standard_order(Poly&) {}

}  // namespace qpow::crypto::mldsa::portable
