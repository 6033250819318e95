// Internal: the AVX2 polynomial kernels (8 coefficients per 256-bit register), which
// ml_dsa_kernels.cpp puts in the table for CpuPath::kAvx2 and kAvx512. Contracts as in
// ml_dsa_kernels.h. Compiled with -mavx2 -mbmi -mbmi2; call only after cpu_supports(kAvx2).
//
// NTT-domain order: within each block of 64 values, the value the standard puts at position
// 8u + v (u, v < 8) is stored at position 8v + u, so the last three layers of the transform run
// between registers instead of inside them (ml_dsa_ntt_avx2.cpp). from_standard_order applies
// this transposition.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak.h"
#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa::avx2 {

void ntt(Poly& a);
void intt_mont(Poly& a);
void pointwise_mont(Poly& out, const Poly& a, const Poly& b);
void dot_mont(Poly& out, const Poly* a, const Poly* b, std::size_t n);
void from_standard_order(Poly& a);
std::size_t rej_ntt_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes, std::size_t len);
std::size_t rej_bounded_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                              std::size_t len, std::int32_t eta);

// Algorithm 30 (RejNTTPoly) for four entries of Â at once: out[j] = RejNTTPoly(ρ || i0 || i1)
// with (i0, i1) = indices[j], in the standard's order, from SHAKE128 on the 4-way permutation.
// Entries may repeat (to fill a partial batch); out[j] must then differ or hold the same value.
// A SHAKE256 hash of a message known in advance (verification's tr = H(pk, 64)) that rides
// along with ExpandA: while it absorbs, each 4-way permutation of expand_a_x4 also permutes its
// state, on the scalar units, which are otherwise idle then.
struct PiggybackShake256 {
  const std::uint8_t* data;
  std::size_t len;
  std::size_t absorbed = 0;  // bytes of data in the state so far
  bool padded = false;       // the final, padded block has been permuted
  std::uint64_t state[25] = {};
};

// rider may be null.
void expand_a_x4(const std::uint8_t* rho, const std::uint8_t (*indices)[2], Poly* const* out,
                 void (*permute_x4)(KeccakStateX4&), PiggybackShake256* rider);
// Absorbs what the rider still lacks and writes its first out_len (<= 136) output bytes.
void piggyback_finish(PiggybackShake256& rider, std::uint8_t* out, std::size_t out_len);

void add(Poly& out, const Poly& a, const Poly& b);
void sub(Poly& out, const Poly& a, const Poly& b);
void shift_left_d(Poly& a);
void freeze(Poly& a);
void centre(Poly& a);
bool norm_at_least(const Poly& a, std::int32_t bound);

void power2round(Poly& t1, Poly& t0, const Poly& t);
void decompose(Poly& r1, Poly& r0, const Poly& r, std::int32_t gamma2);
std::size_t make_hint(HintBits& h, const Poly& r, const Poly& r1, const Poly& u,
                      std::int32_t gamma2);
void use_hint(Poly& w1, const HintBits& h, const Poly& r, std::int32_t gamma2);

}  // namespace qpow::crypto::mldsa::avx2
