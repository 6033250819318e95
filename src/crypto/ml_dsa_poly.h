// Internal: the ring R_q = Z_q[X]/(X^256 + 1) of FIPS 204 (§2.3) as ML-DSA's code stores it.
// Included by the AVX2 translation units too, so it declares data and plain types only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qpow::crypto::mldsa {

inline constexpr std::size_t kN = 256;            // coefficients per polynomial
inline constexpr std::int32_t kQ = 8380417;       // q = 2^23 - 2^13 + 1
inline constexpr int kD = 13;                     // bits dropped from t (Power2Round)
inline constexpr std::uint32_t kQInv = 58728449;  // q^-1 mod 2^32, for Montgomery reduction
inline constexpr std::int32_t kZeta = 1753;       // the 512th root of unity ζ (FIPS 204 §7.5)

static_assert(static_cast<std::uint32_t>(kQ) * kQInv == 1u, "q * q^-1 = 1 mod 2^32");

// A polynomial: coefficient i of X^i, or in the NTT domain the i-th value of T_q (in the order
// of the kernel that computed it, see ml_dsa_kernels.h). Which range the values are in is a
// property of the code that wrote them; every function states what it takes and gives.
struct alignas(32) Poly {
  std::int32_t c[kN];
};

// A hint polynomial (coefficients 0 or 1, FIPS 204 Algorithm 39) as a bit set: bit j of the
// 256-bit little-endian string is h_j.
struct alignas(32) HintBits {
  std::uint64_t word[kN / 64];
};

}  // namespace qpow::crypto::mldsa
