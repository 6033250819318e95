// Internal: the one-block SHAKE256 kernels of slh_dsa_shake_x4.h, written once over the
// lane-vector types of keccak_lanes.h (N states per vector) and instantiated per instruction set.
// Internal linkage throughout, for the reason given in keccak_kernel.h.
//
// Message words: Keccak lanes are little-endian, so byte 8w + b of the input is byte b of lane w.
// PK.seed is n = 8 * seed_words bytes and the address 32, so both end on a word boundary; the
// message follows, then SHAKE's suffix 1111 with the first pad bit (0x1F) in the next byte and
// the closing pad bit (0x80) in the last byte of the rate (byte 135, top byte of lane 16).
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak_kernel.h"
#include "crypto/slh_dsa_shake_x4.h"
#include "util/assert.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

constexpr std::size_t kAdrsWords = 4;
constexpr std::size_t kMaxNWords = 4;  // n <= 32 bytes
constexpr std::size_t kRateWords = 17;
constexpr std::uint64_t kShakePadFirst = 0x1F;
constexpr std::uint64_t kShakePadLast = std::uint64_t{0x80} << 56;

inline std::uint64_t load_word(const std::uint8_t* p) {
  std::uint64_t w;
  __builtin_memcpy(&w, p, 8);  // little-endian hosts only (x86-64 and the portable build alike)
  return w;
}

// Lane vector whose element j is word w of buffer j (buffers of unused lanes: lane 0's).
template <class V, std::size_t N>
inline typename V::Lane gather_words(const std::uint8_t* const* bufs, std::size_t count,
                                     std::size_t w) {
  std::uint64_t words[N];
  for (std::size_t j = 0; j < N; ++j) words[j] = load_word(bufs[j < count ? j : 0] + 8 * w);
  return V::gather(words, 1);
}

// Writes the first n_words lanes of each used state to out[j].
template <class V, std::size_t N>
inline void store_words(const typename V::Lane* a, std::size_t n_words, std::uint8_t* const* out,
                        std::size_t count) {
  for (std::size_t w = 0; w < n_words; ++w) {
    alignas(64) std::uint64_t words[N];
    V::store(words, a[w]);
    for (std::size_t j = 0; j < count; ++j) __builtin_memcpy(out[j] + 8 * w, &words[j], 8);
  }
}

// The lanes from PK.seed onwards are fixed for a job except the message; this fills the seed,
// the zero lanes and the padding. The message occupies [msg_at, msg_at + msg_words).
template <class V>
inline void fill_constant_lanes(typename V::Lane (&a)[25], const std::uint8_t* seed,
                                std::size_t seed_words, std::size_t msg_end) {
  for (std::size_t w = 0; w < seed_words; ++w) a[w] = V::broadcast(load_word(seed + 8 * w));
  for (std::size_t w = msg_end; w < 25; ++w) a[w] = V::broadcast(0);
  a[msg_end] = V::xor_word(a[msg_end], kShakePadFirst);
  a[kRateWords - 1] = V::xor_word(a[kRateWords - 1], kShakePadLast);
}

template <class V, std::size_t N>
[[gnu::flatten]] inline void shake_block(const ShakeBlockJob& job) {
  using Lane = typename V::Lane;
  const std::size_t seed_words = job.n / 8;
  const std::size_t msg_at = seed_words + kAdrsWords;
  const std::size_t msg_end = msg_at + job.msg_bytes / 8;
  QPOW_ASSERT(msg_end < kRateWords && job.n % 8 == 0 && job.msg_bytes % 8 == 0);
  const std::size_t count = job.count < N ? job.count : N;
  Lane a[25];
  fill_constant_lanes<V>(a, job.seed, seed_words, msg_end);
  for (std::size_t w = 0; w < kAdrsWords; ++w) {
    a[seed_words + w] = gather_words<V, N>(job.adrs, count, w);
  }
  for (std::size_t w = msg_at; w < msg_end; ++w) {
    a[w] = gather_words<V, N>(job.msg, count, w - msg_at);
  }
  keccak_internal::permute_lanes<V>(a);
  store_words<V, N>(a, seed_words, job.out, count);
}

template <class V, std::size_t N>
[[gnu::flatten]] inline void shake_chain(const ShakeChainJob& job) {
  using Lane = typename V::Lane;
  const std::size_t seed_words = job.n / 8;
  const std::size_t msg_at = seed_words + kAdrsWords;
  const std::size_t msg_end = msg_at + seed_words;
  QPOW_ASSERT(seed_words <= kMaxNWords && job.n % 8 == 0);
  const std::size_t count = job.count < N ? job.count : N;
  Lane adrs[3];
  for (std::size_t w = 0; w < 3; ++w) adrs[w] = gather_words<V, N>(job.adrs, count, w);
  // The hash address is bytes 28..31 of ADRS, big-endian: the top half of word 3. It is cleared
  // here and each lane's position put in per step.
  std::uint64_t word3[N];
  std::uint32_t start[N];
  for (std::size_t j = 0; j < N; ++j) {
    const std::size_t from = j < count ? j : 0;
    word3[j] = load_word(job.adrs[from] + 24) & 0xFFFF'FFFFull;
    start[j] = job.start[from];
  }
  Lane value[kMaxNWords];
  for (std::size_t w = 0; w < seed_words; ++w) {
    value[w] = gather_words<V, N>(job.values, count, w);
  }
  for (std::uint32_t i = 0; i < job.steps; ++i) {
    Lane a[25];
    fill_constant_lanes<V>(a, job.seed, seed_words, msg_end);
    for (std::size_t w = 0; w < 3; ++w) a[seed_words + w] = adrs[w];
    std::uint64_t hash_word[N];
    for (std::size_t j = 0; j < N; ++j) {
      hash_word[j] = word3[j] | static_cast<std::uint64_t>(__builtin_bswap32(start[j] + i)) << 32;
    }
    a[seed_words + 3] = V::gather(hash_word, 1);
    for (std::size_t w = 0; w < seed_words; ++w) a[msg_at + w] = value[w];
    keccak_internal::permute_lanes<V>(a);
    for (std::size_t w = 0; w < seed_words; ++w) value[w] = a[w];
  }
  store_words<V, N>(value, seed_words, job.values, count);
}

}  // namespace
}  // namespace qpow::crypto::slhdsa::internal
