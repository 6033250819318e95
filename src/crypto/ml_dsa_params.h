// Internal: the parameter sets of FIPS 204 (§4, Table 1) and the sizes derived from them
// (Table 2).
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/ml_dsa.h"
#include "crypto/ml_dsa_poly.h"

namespace qpow::crypto::mldsa {

inline constexpr std::size_t kMaxK = 8;                        // largest k (ML-DSA-87)
inline constexpr std::size_t kMaxL = 7;                        // largest l (ML-DSA-87)
inline constexpr std::size_t kMaxOmega = 80;                   // largest ω (ML-DSA-44)
inline constexpr std::size_t kRhoBytes = 32;                   // ρ
inline constexpr std::size_t kRhoPrimeBytes = 64;              // ρ'
inline constexpr std::size_t kKeyBytes = 32;                   // K
inline constexpr std::size_t kTrBytes = 64;                    // tr = H(pk)
inline constexpr std::size_t kRhoPrimePrimeBytes = 64;         // ρ''
inline constexpr std::size_t kMaxCTildeBytes = 64;             // c̃: λ/4 bytes, λ ≤ 256
inline constexpr std::size_t kT1Bits = 10;                     // bitlen(q - 1) - d
inline constexpr std::size_t kT0Bits = 13;                     // d
inline constexpr std::size_t kT1PolyBytes = kN * kT1Bits / 8;  // 320
inline constexpr std::size_t kT0PolyBytes = kN * kT0Bits / 8;  // 416

// One parameter set (FIPS 204 Table 1) with the encoding widths it implies.
struct Params {
  ParameterSet set;
  std::size_t k;            // rows of A
  std::size_t l;            // columns of A
  std::int32_t eta;         // η: bound of s1, s2
  std::size_t tau;          // τ: ±1 coefficients of c
  std::int32_t beta;        // β = τη
  std::int32_t gamma1;      // γ1: range of y
  std::int32_t gamma2;      // γ2: low-order rounding range
  std::size_t omega;        // ω: hint ones at most
  std::size_t lambda;       // λ: collision strength of c̃, bits
  std::size_t eta_bits;     // bitlen(2η): width of s1, s2 coefficients in sk
  std::size_t z_bits;       // 1 + bitlen(γ1 - 1): width of z coefficients in σ
  std::size_t w1_bits;      // bitlen((q - 1)/(2γ2) - 1): width of w1 in w1Encode
  std::int32_t w1_modulus;  // m = (q - 1)/(2γ2): number of high-bit values

  constexpr std::size_t ctilde_bytes() const { return lambda / 4; }
  constexpr std::size_t eta_poly_bytes() const { return kN * eta_bits / 8; }
  constexpr std::size_t z_poly_bytes() const { return kN * z_bits / 8; }
  constexpr std::size_t w1_poly_bytes() const { return kN * w1_bits / 8; }
  constexpr std::size_t pk_bytes() const { return kRhoBytes + k * kT1PolyBytes; }
  constexpr std::size_t sk_bytes() const {
    return kRhoBytes + kKeyBytes + kTrBytes + (k + l) * eta_poly_bytes() + k * kT0PolyBytes;
  }
  constexpr std::size_t sig_bytes() const {
    return ctilde_bytes() + l * z_poly_bytes() + omega + k;
  }
};

inline constexpr Params kMlDsa44{ParameterSet::kMlDsa44, 4,  4,   2, 39, 78, 1 << 17,
                                 (kQ - 1) / 88,          80, 128, 3, 18, 6,  44};
inline constexpr Params kMlDsa65{ParameterSet::kMlDsa65, 6,  5,   4, 49, 196, 1 << 19,
                                 (kQ - 1) / 32,          55, 192, 4, 20, 4,   16};
inline constexpr Params kMlDsa87{ParameterSet::kMlDsa87, 8,  7,   2, 60, 120, 1 << 19,
                                 (kQ - 1) / 32,          75, 256, 3, 20, 4,   16};

constexpr const Params& params(ParameterSet set) {
  switch (set) {
    case ParameterSet::kMlDsa44:
      return kMlDsa44;
    case ParameterSet::kMlDsa65:
      return kMlDsa65;
    case ParameterSet::kMlDsa87:
      break;
  }
  return kMlDsa87;
}

// FIPS 204 Table 2.
static_assert(kMlDsa44.pk_bytes() == 1312 && kMlDsa44.sk_bytes() == 2560 &&
              kMlDsa44.sig_bytes() == 2420);
static_assert(kMlDsa65.pk_bytes() == 1952 && kMlDsa65.sk_bytes() == 4032 &&
              kMlDsa65.sig_bytes() == 3309);
static_assert(kMlDsa87.pk_bytes() == 2592 && kMlDsa87.sk_bytes() == 4896 &&
              kMlDsa87.sig_bytes() == 4627);
static_assert(kMlDsa44.beta == static_cast<std::int32_t>(kMlDsa44.tau) * kMlDsa44.eta);
static_assert(kMlDsa65.beta == static_cast<std::int32_t>(kMlDsa65.tau) * kMlDsa65.eta);
static_assert(kMlDsa87.beta == static_cast<std::int32_t>(kMlDsa87.tau) * kMlDsa87.eta);
static_assert(kMlDsa44.w1_modulus * 2 * kMlDsa44.gamma2 == kQ - 1);
static_assert(kMlDsa65.w1_modulus * 2 * kMlDsa65.gamma2 == kQ - 1);

}  // namespace qpow::crypto::mldsa
