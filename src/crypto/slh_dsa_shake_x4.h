// Internal: SHAKE256 on inputs of one Keccak block, the shape of SLH-DSA's F, H and PRF for the
// SHAKE sets (FIPS 205 §11.1): SHAKE256(PK.seed || ADRS || M, 8n) with |M| = n or 2n, so that
// n + 32 + |M| <= 128 < 136 bytes (the rate). The state is assembled directly from the words of
// the three parts; the padding (SHAKE's suffix 1111 and pad10*1) lands on fixed words.
//
// Entry points per instruction set: portable (one lane), BMI2 (one lane, AVX2-level CPUs) and
// AVX2 (four lanes in one permutation). Lanes count .. 3 of a four-lane job are computed on lane
// 0's input and discarded. Plain declarations only: the kernels (slh_dsa_shake_kernel.h) stay
// inside the translation units compiled for their instruction set.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qpow::crypto::slhdsa::internal {

inline constexpr std::size_t kShakeJobLanes = 4;

// out[j] = SHAKE256(seed || adrs[j] || msg[j], 8n) for j < count.
struct ShakeBlockJob {
  const std::uint8_t* seed;                  // PK.seed, n bytes
  std::size_t n;                             // 16, 24 or 32
  const std::uint8_t* adrs[kShakeJobLanes];  // 32 bytes each
  const std::uint8_t* msg[kShakeJobLanes];   // msg_bytes each
  std::size_t msg_bytes;                     // n (F, PRF) or 2n (H)
  std::uint8_t* out[kShakeJobLanes];         // n bytes each; may equal msg[j]
  std::size_t count;                         // lanes used, 1 .. 4
};

// Algorithm 5 (chain) on `count` chains in lock-step, each at its own position: for
// i in 0 .. steps-1, the hash address of adrs[j] is set to start[j] + i and
// values[j] = F(seed, adrs[j], values[j]). The chain values stay in registers between steps.
struct ShakeChainJob {
  const std::uint8_t* seed;
  std::size_t n;
  const std::uint8_t* adrs[kShakeJobLanes];  // 32 bytes each; hash address ignored
  std::uint8_t* values[kShakeJobLanes];      // n bytes each, in and out
  std::uint32_t start[kShakeJobLanes];       // start[j] + steps <= w
  std::uint32_t steps;
  std::size_t count;
};

// Lane 0 only, plain 64-bit code (slh_dsa_hash_shake.cpp).
void shake_block_portable(const ShakeBlockJob& job);
void shake_chain_portable(const ShakeChainJob& job);

#if defined(QPOW_HAVE_X86_SIMD)
// slh_dsa_shake_avx2.cpp; only after cpu_supports(CpuPath::kAvx2).
void shake_block_bmi2(const ShakeBlockJob& job);  // lane 0 only
void shake_chain_bmi2(const ShakeChainJob& job);  // lane 0 only
void shake_block_x4_avx2(const ShakeBlockJob& job);
void shake_chain_x4_avx2(const ShakeChainJob& job);
#endif

}  // namespace qpow::crypto::slhdsa::internal
