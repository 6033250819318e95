// Internal: the polynomial arithmetic of ML-DSA behind one table of function pointers per CPU
// path, as keccak.h does for the permutation. The portable kernels are plain C++
// (ml_dsa_ntt.cpp, ml_dsa_poly_portable.cpp); the AVX2 kernels work on 8 coefficients per
// register (ml_dsa_ntt_avx2.cpp, ml_dsa_poly_avx2.cpp). Every kernel computes the same function
// of its inputs modulo q, with the ranges stated here, so both paths give identical bytes.
//
// NTT-domain order: FIPS 204 numbers the NTT's outputs in one order (Algorithm 41); a kernel may
// store them in another, fixed permutation of it, as long as its ntt, its inverse and the
// pointwise products agree. ExpandA's output, which the standard defines directly in the NTT
// domain, is brought into the kernel's order with `from_standard_order`.
//
// Montgomery form: `ntt` multiplies by nothing; a pointwise product multiplies by 2^-32; and
// `intt_mont` multiplies by 2^32, so intt_mont(pointwise(ntt(a), ntt(b))) is exactly a·b in R_q.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/cpu_features.h"
#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa {

struct PolyKernels {
  CpuPath path;
  // Algorithm 41 in place. In: |a_i| < q. Out: |â_i| < 9q.
  void (*ntt)(Poly& a);
  // Algorithm 42 times 2^32, in place. In: |â_i| < 2q. Out: |a_i| < q.
  void (*intt_mont)(Poly& a);
  // out = a ∘ b · 2^-32. In: |a_i|, |b_i| < 9q. Out: |out_i| < q.
  void (*pointwise_mont)(Poly& out, const Poly& a, const Poly& b);
  // out = Σ_{j<n} a[j] ∘ b[j] · 2^-32, 1 <= n <= 8. In: |a_i| < q, |b_i| < 9q. Out: |out_i| < q.
  void (*dot_mont)(Poly& out, const Poly* a, const Poly* b, std::size_t n);
  // Permutes NTT-domain values from the standard's order into this kernel's.
  void (*from_standard_order)(Poly& a);
  // The loop body of Algorithm 30 (RejNTTPoly) over `len` bytes (a multiple of 3) of SHAKE128
  // output: appends the accepted coefficients (Algorithm 14) to a from index `filled` and returns
  // the new count, at most kN; entries from that count on may be overwritten with scratch. The
  // bytes are public (they expand ρ).
  std::size_t (*rej_ntt_parse)(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                               std::size_t len);
  // The loop body of Algorithm 31 (RejBoundedPoly) with Algorithm 15 for η in {2, 4}: appends
  // the coefficients of the accepted nibbles (low nibble of each byte first), with the same
  // return value and scratch rule. The nibbles are secret; only which of them are rejected
  // (which the standard's loop reveals by its running time) may influence timing and memory
  // access.
  std::size_t (*rej_bounded_parse)(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                                   std::size_t len, std::int32_t eta);

  // out = a + b and out = a - b, coefficientwise without reduction (callers keep the sums in
  // range).
  void (*add)(Poly& out, const Poly& a, const Poly& b);
  void (*sub)(Poly& out, const Poly& a, const Poly& b);
  // a_i · 2^d. In: 0 <= a_i < 2^10 (t1).
  void (*shift_left_d)(Poly& a);
  // In: |a_i| < 2^31 - 2^22. Out: a_i mod q in [0, q).
  void (*freeze)(Poly& a);
  // In: |a_i| < q. Out: a_i mod± q in [-(q-1)/2, (q-1)/2].
  void (*centre)(Poly& a);
  // True when some |a_i| >= bound (FIPS 204 §2.3's infinity norm). Runs through every
  // coefficient whatever their values. In: |a_i| < 2^31 - 1; 0 < bound.
  bool (*norm_at_least)(const Poly& a, std::int32_t bound);

  // Algorithm 35 on every coefficient. In: t_i in [0, q).
  void (*power2round)(Poly& t1, Poly& t0, const Poly& t);
  // Algorithm 36 on every coefficient, with γ2 = (q-1)/88 or (q-1)/32. In: r_i in [0, q).
  void (*decompose)(Poly& r1, Poly& r0, const Poly& r, std::int32_t gamma2);
  // Algorithm 39 as Sign_internal uses it (line 28): h_i = [HighBits(r_i) != HighBits(r_i + u_i)]
  // where r1 holds HighBits(r). In: r_i in [0, q), |u_i| <= (q-1)/2. Returns the number of ones.
  std::size_t (*make_hint)(HintBits& h, const Poly& r, const Poly& r1, const Poly& u,
                           std::int32_t gamma2);
  // Algorithm 40 on every coefficient. In: r_i in [0, q).
  void (*use_hint)(Poly& w1, const HintBits& h, const Poly& r, std::int32_t gamma2);
};

// The kernels of `path`; the CPU must support it (asserted). kAvx512 uses the AVX2 kernels.
const PolyKernels& poly_kernels(CpuPath path);

}  // namespace qpow::crypto::mldsa
