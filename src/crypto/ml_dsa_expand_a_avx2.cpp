// ExpandA's sampling (FIPS 204 Algorithms 32 and 30) four matrix entries at a time on the 4-way
// Keccak permutation, with the SHAKE128 sponge driven directly on the interleaved state: the
// 34-byte seeds and the padding are written into the lanes, and each output block is moved to
// per-entry buffers with 4x4 transpositions of 64-bit words. This is the same function as four
// SHAKE128 instances (and as Shake128X4), without the byte-wise block copies of a general
// sponge, which cost as much here as the parsing itself.
//
// Verification also needs tr = H(pk, 64), 10 to 20 one-state permutations. They run inside the
// first 4-way permutations: one Keccak-f[1600] round sequence (keccak_kernel.h) over a lane type
// that holds a 4-state AVX2 register and a scalar word, so the vector and the scalar units work
// at once. Compiled with -mavx2 -mbmi -mbmi2; reached only through ml_dsa_sampling.cpp after a CPU
// check.
#include "crypto/keccak.h"
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"
#include "crypto/ml_dsa_avx2.h"
#include "crypto/ml_dsa_avx2_vec.h"
#include "util/assert.h"

namespace qpow::crypto::mldsa::avx2 {
namespace {

constexpr std::size_t kLanes = 4;
constexpr std::size_t kRateWords = 21;  // SHAKE128: 168-byte rate
constexpr std::size_t kRateBytes = 8 * kRateWords;
constexpr std::size_t kFirstBlocks = 5;  // 840 bytes: 280 candidates for 256
constexpr std::size_t kMaxBlocks = 64;   // unreachable but for a broken permutation
constexpr std::size_t kSeedWords = 4;    // ρ
constexpr std::uint64_t kShakePad = std::uint64_t{0x1f} << 16;  // SHAKE's 1111, then pad10*1's 1,
                                                                // after ρ || s || r (byte 34)
constexpr std::uint64_t kPadLast = std::uint64_t{1} << 63;      // pad10*1's last 1 (byte 167)

constexpr std::size_t kShake256RateWords = 17;  // 136-byte rate
constexpr std::size_t kShake256RateBytes = 8 * kShake256RateWords;

std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  __builtin_memcpy(&v, p, sizeof v);  // little-endian: this unit is x86-64 only
  return v;
}

// Four AVX2 states and one scalar state stepped together: every lane operation is applied to
// both halves, and the compiler interleaves the two instruction streams.
struct HybridLanes {
  using Vec = keccak_internal::Avx2Lanes;
  using One = keccak_internal::ScalarLanes;
  struct Lane {
    __m256i v;
    std::uint64_t s;
  };
  static Lane xor2(Lane a, Lane b) { return {Vec::xor2(a.v, b.v), a.s ^ b.s}; }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) {
    return {Vec::xor5(a.v, b.v, c.v, d.v, e.v), One::xor5(a.s, b.s, c.s, d.s, e.s)};
  }
  static Lane chi(Lane a, Lane b, Lane c) {
    return {Vec::chi(a.v, b.v, c.v), One::chi(a.s, b.s, c.s)};
  }
  static Lane xor_word(Lane a, std::uint64_t w) { return {Vec::xor_word(a.v, w), a.s ^ w}; }
  template <int n>
  static Lane rol(Lane a) {
    return {Vec::template rol<n>(a.v), One::template rol<n>(a.s)};
  }
};

void permute_hybrid(KeccakStateX4& four, std::uint64_t* one) {
  HybridLanes::Lane a[25];
  for (std::size_t i = 0; i < 25; ++i) a[i] = {HybridLanes::Vec::load(four.lanes[i]), one[i]};
  keccak_internal::permute_lanes<HybridLanes>(a);
  for (std::size_t i = 0; i < 25; ++i) {
    HybridLanes::Vec::store(four.lanes[i], a[i].v);
    one[i] = a[i].s;
  }
}

// XORs the rider's next block into its state: a whole block of data, or the last bytes with
// SHAKE's suffix 1111 and pad10*1 (FIPS 202 §5.1, §6.2).
void piggyback_next_block(PiggybackShake256& r) {
  const std::size_t rest = r.len - r.absorbed;
  if (rest >= kShake256RateBytes) {
    for (std::size_t i = 0; i < kShake256RateWords; ++i)
      r.state[i] ^= load64(r.data + r.absorbed + 8 * i);
    r.absorbed += kShake256RateBytes;
    return;
  }
  std::uint8_t block[kShake256RateBytes] = {};
  __builtin_memcpy(block, r.data + r.absorbed, rest);
  block[rest] ^= 0x1f;
  block[kShake256RateBytes - 1] ^= 0x80;
  for (std::size_t i = 0; i < kShake256RateWords; ++i) r.state[i] ^= load64(block + 8 * i);
  r.absorbed = r.len;
  r.padded = true;
}

// One 4-way permutation of ExpandA, with the rider's next block if it still absorbs.
void permute(KeccakStateX4& state, void (*permute_x4)(KeccakStateX4&), PiggybackShake256* rider) {
  if (rider == nullptr || rider->padded) {
    permute_x4(state);
    return;
  }
  piggyback_next_block(*rider);
  permute_hybrid(state, rider->state);
}

// The rate part of lane j's state (words 0..20) to out[j] + offset, for all four lanes.
void extract_block(const KeccakStateX4& s, std::uint8_t* const* out, std::size_t offset) {
  for (std::size_t w = 0; w + 4 <= kRateWords; w += 4) {
    const __m256i r0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.lanes[w]));
    const __m256i r1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.lanes[w + 1]));
    const __m256i r2 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.lanes[w + 2]));
    const __m256i r3 = _mm256_load_si256(reinterpret_cast<const __m256i*>(s.lanes[w + 3]));
    const __m256i t0 = _mm256_unpacklo_epi64(r0, r1);  // lanes 0 and 2 of words w, w + 1
    const __m256i t1 = _mm256_unpackhi_epi64(r0, r1);  // lanes 1 and 3
    const __m256i t2 = _mm256_unpacklo_epi64(r2, r3);
    const __m256i t3 = _mm256_unpackhi_epi64(r2, r3);
    const std::size_t at = offset + 8 * w;
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[0] + at),
                        _mm256_permute2x128_si256(t0, t2, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[1] + at),
                        _mm256_permute2x128_si256(t1, t3, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[2] + at),
                        _mm256_permute2x128_si256(t0, t2, 0x31));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[3] + at),
                        _mm256_permute2x128_si256(t1, t3, 0x31));
  }
  for (std::size_t j = 0; j < kLanes; ++j) {
    __builtin_memcpy(out[j] + offset + 8 * (kRateWords - 1), &s.lanes[kRateWords - 1][j], 8);
  }
}

}  // namespace

void expand_a_x4(const std::uint8_t* rho, const std::uint8_t (*indices)[2], Poly* const* out,
                 void (*permute_x4)(KeccakStateX4&), PiggybackShake256* rider) {
  KeccakStateX4 state{};
  for (std::size_t j = 0; j < kLanes; ++j) {
    for (std::size_t w = 0; w < kSeedWords; ++w) state.lanes[w][j] = load64(rho + 8 * w);
    state.lanes[kSeedWords][j] = indices[j][0] | (std::uint64_t{indices[j][1]} << 8) | kShakePad;
    state.lanes[kRateWords - 1][j] = kPadLast;
  }
  alignas(32) std::uint8_t buf[kLanes][kFirstBlocks * kRateBytes];
  std::uint8_t* const lanes[kLanes] = {buf[0], buf[1], buf[2], buf[3]};
  for (std::size_t b = 0; b < kFirstBlocks; ++b) {
    permute(state, permute_x4, rider);
    extract_block(state, lanes, b * kRateBytes);
  }
  std::size_t filled[kLanes];
  bool done = true;
  for (std::size_t j = 0; j < kLanes; ++j) {
    filled[j] = rej_ntt_parse(*out[j], 0, buf[j], sizeof buf[j]);
    done &= filled[j] == kN;
  }
  // More blocks only in the rare case 280 candidates held more than 24 rejections.
  for (std::size_t blocks = kFirstBlocks; !done; ++blocks) {
    QPOW_ASSERT_MSG(blocks < kMaxBlocks, "rejection sampling ran past its bound");
    permute(state, permute_x4, rider);
    extract_block(state, lanes, 0);
    done = true;
    for (std::size_t j = 0; j < kLanes; ++j) {
      if (filled[j] < kN) filled[j] = rej_ntt_parse(*out[j], filled[j], buf[j], kRateBytes);
      done &= filled[j] == kN;
    }
  }
}

void piggyback_finish(PiggybackShake256& rider, std::uint8_t* out, std::size_t out_len) {
  QPOW_ASSERT(out_len <= kShake256RateBytes);
  while (!rider.padded) {
    piggyback_next_block(rider);
    keccak_internal::permute<keccak_internal::ScalarLanes>(rider.state, 1);
  }
  __builtin_memcpy(out, rider.state, out_len);  // little-endian lanes
}

}  // namespace qpow::crypto::mldsa::avx2
