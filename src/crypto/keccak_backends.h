// Internal: the entry points of each Keccak-f[1600] implementation. Only keccak.cpp (the
// dispatcher) and the tests call these directly; everything else goes through keccak.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qpow::crypto::keccak_internal {

// One state of 25 consecutive lanes, plain 64-bit code.
void permute_portable(std::uint64_t* lanes);

#if defined(QPOW_HAVE_X86_SIMD)
// One state, the same plain 64-bit code compiled with BMI1/BMI2 (ANDN, RORX); needs the AVX2
// level of the CPU (which includes BMI1 and BMI2, see cpu_features.cpp).
void permute_bmi2(std::uint64_t* lanes);
// Four states, lane i of state j at lanes[i * stride + j]; needs AVX2.
void permute_x4_avx2(std::uint64_t* lanes, std::size_t stride);
// Eight states, lane i of state j at lanes[i * 8 + j]; needs AVX-512F.
void permute_x8_avx512(std::uint64_t* lanes);
#endif

}  // namespace qpow::crypto::keccak_internal
