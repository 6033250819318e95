// Internal: ML-DSA's pseudorandom sampling (FIPS 204 §7.3, Algorithms 29-34). On the portable
// path each polynomial has its own SHAKE instance, as the standard writes it. On the SIMD paths
// four polynomials share one 4-way Keccak: ExpandS and ExpandMask through Shake256X4, ExpandA
// through the 4-way permutation driven directly (ml_dsa_expand_a_avx2.cpp, faster than
// Shake128X4's block copies). Every path yields the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/ml_dsa_kernels.h"
#include "crypto/ml_dsa_params.h"
#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa {

// Algorithm 29, SampleInBall(c̃): c with τ coefficients ±1, the rest 0.
void sample_in_ball(const Params& p, const std::uint8_t* ctilde, Poly& c);

// Algorithm 32, ExpandA(ρ): a[r * l + s] = Â[r][s], in the NTT order of `kernels`.
void expand_a(const Params& p, const std::uint8_t* rho, Poly* a, const PolyKernels& kernels);
// ExpandA(ρ) and tr = H(pk, 64), both of which verification needs. On the SIMD paths the hash
// runs on the scalar units during ExpandA's 4-way permutations (ml_dsa_expand_a_avx2.cpp).
void expand_a_and_hash_pk(const Params& p, const std::uint8_t* rho, Poly* a, util::ByteSpan pk,
                          std::uint8_t* tr, const PolyKernels& kernels);
// Algorithm 33, ExpandS(ρ'): s1 (l polynomials) and s2 (k), coefficients in [-η, η].
void expand_s(const Params& p, const std::uint8_t* rho_prime, Poly* s1, Poly* s2,
              const PolyKernels& kernels);
// Algorithm 34, ExpandMask(ρ'', κ): y (l polynomials), coefficients in (-γ1, γ1].
void expand_mask(const Params& p, const std::uint8_t* rho_prime_prime, std::uint16_t kappa, Poly* y,
                 CpuPath path);

// ExpandMask for Sign_internal's successive attempts, κ = 0, l, 2l, ...: their polynomials have
// the indices 0, 1, 2, ... in order, so the SIMD paths sample four consecutive ones at a time and
// keep a batch's surplus here for the next attempt. Holds secret values: wipe it with the rest.
struct MaskStream {
  std::size_t next_index = 0;  // κ of the next call; spare[i] has index next_index + i
  std::size_t spare_count = 0;
  Poly spare[3];
};
// y = ExpandMask(ρ'', κ) for the stream's next κ.
void expand_mask_next(const Params& p, const std::uint8_t* rho_prime_prime, MaskStream& stream,
                      Poly* y, CpuPath path);

}  // namespace qpow::crypto::mldsa
