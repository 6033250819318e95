// The NTT of ML-DSA with AVX2 (FIPS 204 Algorithms 41, 42, 45 and 44), 8 coefficients per
// register. Compiled with -mavx2; reached only through the kernel table after a CPU check.
//
// Layout. Coefficient i = (b7..b0 in binary) sits in register i >> 3, lane i & 7. The transform
// runs in two passes over groups of 8 registers:
//   pass 1: the registers with equal b4 b3 (register bits b7 b6 b5 vary): layers len = 128, 64, 32;
//   pass 2: the 8 consecutive registers of one block of 64 (b5 b4 b3 vary): layers len = 16, 8;
//           then an 8x8 transposition makes b2 b1 b0 the register bits, so layers len = 4, 2, 1
//           are also butterflies between whole registers, with a different twiddle per lane.
// The result is left transposed (the order ml_dsa_avx2.h describes); the inverse transform
// starts from that order and undoes the transposition halfway.
#include "crypto/ml_dsa_avx2.h"
#include "crypto/ml_dsa_avx2_vec.h"
#include "crypto/ml_dsa_zetas.h"

namespace qpow::crypto::mldsa::avx2 {
namespace {

using ntt_tables::kInvNScaleMont;
using ntt_tables::kZetasMont;

constexpr std::int32_t qinv_of(std::int32_t z) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(z) * kQInv);
}

// Compile-time Montgomery product (for the merged last layer of the inverse).
constexpr std::int32_t montmul_constexpr(std::int32_t a, std::int32_t b) {
  const std::int64_t t = static_cast<std::int64_t>(a) * b;
  const std::int32_t m = qinv_of(static_cast<std::int32_t>(static_cast<std::uint32_t>(t)));
  return static_cast<std::int32_t>((t - static_cast<std::int64_t>(m) * kQ) >> 32);
}

// Twiddles for one butterfly position in every lane: z and z · q^-1 mod 2^32, and both again
// with the odd lanes moved to the even positions (where VPMULDQ reads them).
struct alignas(32) LaneTwiddles {
  std::int32_t z[8];
  std::int32_t zq[8];
  std::int32_t z_odd[8];
  std::int32_t zq_odd[8];
};

constexpr LaneTwiddles lanes_of(const std::int32_t (&z)[8]) {
  LaneTwiddles t{};
  for (int u = 0; u < 8; ++u) {
    t.z[u] = z[u];
    t.zq[u] = qinv_of(z[u]);
    t.z_odd[u] = (u % 2 == 0) ? z[u + 1] : 0;
    t.zq_odd[u] = (u % 2 == 0) ? qinv_of(z[u + 1]) : 0;
  }
  return t;
}

// Forward layers len = 4, 2, 1 after the transposition; lane u holds b5 b4 b3 = u of block g:
//   len 4: m = 32 + 8g + u;  len 2: m = 64 + 16g + 2u + b2;  len 1: m = 128 + 32g + 4u + b2b1.
// Inverse layers len = 1, 2, 4 use -zetas[m] with m = 255 - (i >> 1), 127 - (i >> 2), 63 - (i >>
// 3).
struct VectorTwiddles {
  LaneTwiddles fwd4[4];
  LaneTwiddles fwd2[4][2];
  LaneTwiddles fwd1[4][4];
  LaneTwiddles inv1[4][4];
  LaneTwiddles inv2[4][2];
  LaneTwiddles inv4[4];
};

constexpr VectorTwiddles make_vector_twiddles() {
  VectorTwiddles t{};
  for (int g = 0; g < 4; ++g) {
    std::int32_t z[8] = {};
    for (int u = 0; u < 8; ++u) z[u] = kZetasMont.v[32 + 8 * g + u];
    t.fwd4[g] = lanes_of(z);
    for (int u = 0; u < 8; ++u) z[u] = -kZetasMont.v[63 - (8 * g + u)];
    t.inv4[g] = lanes_of(z);
    for (int b2 = 0; b2 < 2; ++b2) {
      for (int u = 0; u < 8; ++u) z[u] = kZetasMont.v[64 + 16 * g + 2 * u + b2];
      t.fwd2[g][b2] = lanes_of(z);
      for (int u = 0; u < 8; ++u) z[u] = -kZetasMont.v[127 - (16 * g + 2 * u + b2)];
      t.inv2[g][b2] = lanes_of(z);
    }
    for (int k = 0; k < 4; ++k) {
      for (int u = 0; u < 8; ++u) z[u] = kZetasMont.v[128 + 32 * g + 4 * u + k];
      t.fwd1[g][k] = lanes_of(z);
      for (int u = 0; u < 8; ++u) z[u] = -kZetasMont.v[255 - (32 * g + 4 * u + k)];
      t.inv1[g][k] = lanes_of(z);
    }
  }
  return t;
}

constexpr VectorTwiddles kVec = make_vector_twiddles();

// zetas[m] and its q^-1 multiple for the layers whose twiddle is the same in every lane.
struct ScalarTwiddles {
  std::int32_t z[kN];
  std::int32_t zq[kN];
};

constexpr ScalarTwiddles make_scalar_twiddles() {
  ScalarTwiddles t{};
  for (std::size_t m = 0; m < kN; ++m) {
    t.z[m] = kZetasMont.v[m];
    t.zq[m] = qinv_of(kZetasMont.v[m]);
  }
  return t;
}

constexpr ScalarTwiddles kScalar = make_scalar_twiddles();

// The last inverse layer (len 128, -zetas[1]) merged with the scaling by 256^-1 · 2^64.
constexpr std::int32_t kScaleTwiddle = montmul_constexpr(kInvNScaleMont, -kZetasMont.v[1]);

// Montgomery multiplication by one lane-varying twiddle (see montmul in ml_dsa_avx2_vec.h).
inline __m256i montmul_lanes(__m256i a, const LaneTwiddles& t) {
  const __m256i q = splat(kQ);
  const __m256i a_odd = _mm256_srli_epi64(a, 32);
  const __m256i m_even = _mm256_mul_epi32(_mm256_mul_epi32(a, load(t.zq)), q);
  const __m256i m_odd = _mm256_mul_epi32(_mm256_mul_epi32(a_odd, load(t.zq_odd)), q);
  const __m256i p_even = _mm256_mul_epi32(a, load(t.z));
  const __m256i p_odd = _mm256_mul_epi32(a_odd, load(t.z_odd));
  return merge_high_halves(_mm256_sub_epi32(p_even, m_even), _mm256_sub_epi32(p_odd, m_odd));
}

// Cooley-Tukey butterfly (Algorithm 41, lines 10-12): t = ζ·b; (a, b) = (a + t, a - t).
inline void ct_butterfly(__m256i& a, __m256i& b, __m256i t) {
  b = _mm256_sub_epi32(a, t);
  a = _mm256_add_epi32(a, t);
}
inline void ct_m(__m256i& a, __m256i& b, int m) {
  ct_butterfly(a, b, montmul_splat(b, splat(kScalar.z[m]), splat(kScalar.zq[m])));
}
inline void ct_v(__m256i& a, __m256i& b, const LaneTwiddles& t) {
  ct_butterfly(a, b, montmul_lanes(b, t));
}

// Gentleman-Sande butterfly (Algorithm 42, lines 10-13): (a, b) = (a + b, ζ'·(a - b)), ζ' = -ζ.
inline void gs_m(__m256i& a, __m256i& b, int m) {
  const std::int32_t z = -kScalar.z[m];
  const __m256i d = _mm256_sub_epi32(a, b);
  a = _mm256_add_epi32(a, b);
  b = montmul_splat(d, splat(z), splat(qinv_of(z)));
}
inline void gs_v(__m256i& a, __m256i& b, const LaneTwiddles& t) {
  const __m256i d = _mm256_sub_epi32(a, b);
  a = _mm256_add_epi32(a, b);
  b = montmul_lanes(d, t);
}

// 8x8 transposition of 32-bit lanes: r[i] lane j <-> r[j] lane i.
inline void transpose8(__m256i (&r)[8]) {
  const __m256i t0 = _mm256_unpacklo_epi32(r[0], r[1]);
  const __m256i t1 = _mm256_unpackhi_epi32(r[0], r[1]);
  const __m256i t2 = _mm256_unpacklo_epi32(r[2], r[3]);
  const __m256i t3 = _mm256_unpackhi_epi32(r[2], r[3]);
  const __m256i t4 = _mm256_unpacklo_epi32(r[4], r[5]);
  const __m256i t5 = _mm256_unpackhi_epi32(r[4], r[5]);
  const __m256i t6 = _mm256_unpacklo_epi32(r[6], r[7]);
  const __m256i t7 = _mm256_unpackhi_epi32(r[6], r[7]);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t2);
  const __m256i u1 = _mm256_unpackhi_epi64(t0, t2);
  const __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
  const __m256i u3 = _mm256_unpackhi_epi64(t1, t3);
  const __m256i u4 = _mm256_unpacklo_epi64(t4, t6);
  const __m256i u5 = _mm256_unpackhi_epi64(t4, t6);
  const __m256i u6 = _mm256_unpacklo_epi64(t5, t7);
  const __m256i u7 = _mm256_unpackhi_epi64(t5, t7);
  r[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
  r[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
  r[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
  r[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
  r[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
  r[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
  r[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
  r[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

// Forward pass 1: registers 4t + q4 (t = b7 b6 b5), layers len = 128, 64, 32.
inline void ntt_pass1(std::int32_t* c, int q4) {
  __m256i r[8];
  for (int t = 0; t < 8; ++t) r[t] = load(c + 8 * (4 * t + q4));
  for (int t = 0; t < 4; ++t) ct_m(r[t], r[t + 4], 1);
  ct_m(r[0], r[2], 2);
  ct_m(r[1], r[3], 2);
  ct_m(r[4], r[6], 3);
  ct_m(r[5], r[7], 3);
  for (int t = 0; t < 8; t += 2) ct_m(r[t], r[t + 1], 4 + t / 2);
  for (int t = 0; t < 8; ++t) store(c + 8 * (4 * t + q4), r[t]);
}

// Forward pass 2: block g (registers 8g + u, u = b5 b4 b3), layers len = 16, 8, then the
// transposition and layers len = 4, 2, 1.
inline void ntt_pass2(std::int32_t* c, int g) {
  __m256i r[8];
  for (int u = 0; u < 8; ++u) r[u] = load(c + 64 * g + 8 * u);
  ct_m(r[0], r[2], 8 + 2 * g);
  ct_m(r[1], r[3], 8 + 2 * g);
  ct_m(r[4], r[6], 9 + 2 * g);
  ct_m(r[5], r[7], 9 + 2 * g);
  for (int u = 0; u < 8; u += 2) ct_m(r[u], r[u + 1], 16 + 4 * g + u / 2);
  transpose8(r);
  for (int v = 0; v < 4; ++v) ct_v(r[v], r[v + 4], kVec.fwd4[g]);
  ct_v(r[0], r[2], kVec.fwd2[g][0]);
  ct_v(r[1], r[3], kVec.fwd2[g][0]);
  ct_v(r[4], r[6], kVec.fwd2[g][1]);
  ct_v(r[5], r[7], kVec.fwd2[g][1]);
  for (int v = 0; v < 8; v += 2) ct_v(r[v], r[v + 1], kVec.fwd1[g][v / 2]);
  for (int v = 0; v < 8; ++v) store(c + 64 * g + 8 * v, r[v]);
}

// Inverse pass 1: block g in the transposed order; layers len = 1, 2, 4, the transposition,
// then len = 8, 16. Inputs below 2q: a value that only ever takes the sum side of the five
// layers grows to below 64q; every other one passed through a Montgomery product (below q) and
// at most doubled after it. Only registers 0 and 4 (b3 = b4 = 0) hold values that never did,
// and only they are reduced before pass 2, which can then add three more layers of sums.
inline void intt_pass1(std::int32_t* c, int g) {
  __m256i r[8];
  for (int v = 0; v < 8; ++v) r[v] = load(c + 64 * g + 8 * v);
  for (int v = 0; v < 8; v += 2) gs_v(r[v], r[v + 1], kVec.inv1[g][v / 2]);
  gs_v(r[0], r[2], kVec.inv2[g][0]);
  gs_v(r[1], r[3], kVec.inv2[g][0]);
  gs_v(r[4], r[6], kVec.inv2[g][1]);
  gs_v(r[5], r[7], kVec.inv2[g][1]);
  for (int v = 0; v < 4; ++v) gs_v(r[v], r[v + 4], kVec.inv4[g]);
  transpose8(r);
  for (int u = 0; u < 8; u += 2) gs_m(r[u], r[u + 1], 31 - 4 * g - u / 2);
  gs_m(r[0], r[2], 15 - 2 * g);
  gs_m(r[1], r[3], 15 - 2 * g);
  gs_m(r[4], r[6], 14 - 2 * g);
  gs_m(r[5], r[7], 14 - 2 * g);
  r[0] = reduce32(r[0]);
  r[4] = reduce32(r[4]);
  for (int u = 0; u < 8; ++u) store(c + 64 * g + 8 * u, r[u]);
}

// Inverse pass 2: registers 4t + q4; layers len = 32, 64, and len = 128 with the final scaling.
inline void intt_pass2(std::int32_t* c, int q4) {
  __m256i r[8];
  for (int t = 0; t < 8; ++t) r[t] = load(c + 8 * (4 * t + q4));
  for (int t = 0; t < 8; t += 2) gs_m(r[t], r[t + 1], 7 - t / 2);
  gs_m(r[0], r[2], 3);
  gs_m(r[1], r[3], 3);
  gs_m(r[4], r[6], 2);
  gs_m(r[5], r[7], 2);
  const __m256i f = splat(kInvNScaleMont);
  const __m256i fq = splat(qinv_of(kInvNScaleMont));
  const __m256i fz = splat(kScaleTwiddle);
  const __m256i fzq = splat(qinv_of(kScaleTwiddle));
  for (int t = 0; t < 4; ++t) {
    const __m256i d = _mm256_sub_epi32(r[t], r[t + 4]);
    r[t] = montmul_splat(_mm256_add_epi32(r[t], r[t + 4]), f, fq);
    r[t + 4] = montmul_splat(d, fz, fzq);
  }
  for (int t = 0; t < 8; ++t) store(c + 8 * (4 * t + q4), r[t]);
}

}  // namespace

void ntt(Poly& a) {
  for (int q4 = 0; q4 < 4; ++q4) ntt_pass1(a.c, q4);
  for (int g = 0; g < 4; ++g) ntt_pass2(a.c, g);
}

void intt_mont(Poly& a) {
  for (int g = 0; g < 4; ++g) intt_pass1(a.c, g);
  for (int q4 = 0; q4 < 4; ++q4) intt_pass2(a.c, q4);
}

void from_standard_order(Poly& a) {
  for (int g = 0; g < 4; ++g) {
    __m256i r[8];
    for (int v = 0; v < 8; ++v) r[v] = load(a.c + 64 * g + 8 * v);
    transpose8(r);
    for (int v = 0; v < 8; ++v) store(a.c + 64 * g + 8 * v, r[v]);
  }
}

void pointwise_mont(Poly& out, const Poly& a, const Poly& b) {
  for (int i = 0; i < kVectors; ++i) {
    const __m256i x = load(a.c + 8 * i);
    const __m256i y = load(b.c + 8 * i);
    const __m256i even = _mm256_mul_epi32(x, y);
    const __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(y, 32));
    store(out.c + 8 * i, montgomery_reduce(even, odd));
  }
}

// The row's products are summed in 64-bit lanes and reduced once: n <= 8 products below
// 9q^2 stay below 2^53.
void dot_mont(Poly& out, const Poly* a, const Poly* b, std::size_t n) {
  for (int i = 0; i < kVectors; ++i) {
    __m256i even = _mm256_setzero_si256();
    __m256i odd = _mm256_setzero_si256();
    for (std::size_t j = 0; j < n; ++j) {
      const __m256i x = load(a[j].c + 8 * i);
      const __m256i y = load(b[j].c + 8 * i);
      even = _mm256_add_epi64(even, _mm256_mul_epi32(x, y));
      odd = _mm256_add_epi64(odd,
                             _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(y, 32)));
    }
    store(out.c + 8 * i, montgomery_reduce(even, odd));
  }
}

}  // namespace qpow::crypto::mldsa::avx2
