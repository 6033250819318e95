// Internal: the portable polynomial kernels (plain C++), which ml_dsa_kernels.cpp puts in the
// table for CpuPath::kPortable. Contracts as in ml_dsa_kernels.h; coefficients in the NTT
// domain are in the standard's order.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa::portable {

void ntt(Poly& a);
void intt_mont(Poly& a);
void pointwise_mont(Poly& out, const Poly& a, const Poly& b);
void dot_mont(Poly& out, const Poly* a, const Poly* b, std::size_t n);
void from_standard_order(Poly& a);
std::size_t rej_ntt_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes, std::size_t len);
std::size_t rej_bounded_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                              std::size_t len, std::int32_t eta);

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

}  // namespace qpow::crypto::mldsa::portable
