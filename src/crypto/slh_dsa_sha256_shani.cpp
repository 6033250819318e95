// SHA-256 compression with the x86 SHA extensions (SHA-NI): SHA256RNDS2 does two rounds on the
// state kept as the register pair ABEF / CDGH, SHA256MSG1 and SHA256MSG2 extend the message
// schedule four words at a time (FIPS 180-4 §6.2.2 step 1). The function is compiled for the
// SHA extensions by a target attribute and called only when CPUID reports them; it uses only
// compiler intrinsics, so no code it emits is shared with other units.
#include "crypto/cpu_features.h"
#include "crypto/slh_dsa_sha2_block.h"
#include "util/assert.h"

#if defined(QPOW_HAVE_X86_SIMD)
#include <immintrin.h>
#endif

namespace qpow::crypto::slhdsa::internal {
namespace {

#if defined(QPOW_HAVE_X86_SIMD)
constexpr std::size_t kGroups = 16;  // 64 rounds, four message words each

struct ShaNiState {
  __m128i abef;
  __m128i cdgh;
};

// State words a..h to the instructions' layout: abef = (dword 3..0) a b e f, cdgh = c d g h.
[[gnu::target("sha,sse4.1")]] inline ShaNiState load_state(const std::uint32_t* state) {
  const __m128i tmp =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);
  const __m128i hgfe =
      _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);
  return {_mm_alignr_epi8(tmp, hgfe, 8), _mm_blend_epi16(hgfe, tmp, 0xF0)};
}

[[gnu::target("sha,sse4.1")]] inline void store_state(const ShaNiState& s, std::uint32_t* state) {
  const __m128i abef = _mm_shuffle_epi32(s.abef, 0x1B);  // a b e f in dwords 0..3
  const __m128i ghcd = _mm_shuffle_epi32(s.cdgh, 0xB1);  // g h c d
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(abef, ghcd, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(ghcd, abef, 8));
}

// One block into each of kStreams independent states, the streams' instructions interleaved so
// that their SHA256RNDS2 latencies overlap.
template <std::size_t kStreams>
[[gnu::target("sha,sse4.1")]] inline void compress_streams(ShaNiState* st,
                                                           const std::uint8_t* const* data) {
  // Byte order: SHA-256 words are big-endian in the message.
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  ShaNiState in[kStreams];
  __m128i w[kStreams][4];  // w[s][g % 4] holds message words 4g .. 4g+3 of stream s
  for (std::size_t s = 0; s < kStreams; ++s) in[s] = st[s];
#pragma GCC unroll 16
  for (std::size_t g = 0; g < kGroups; ++g) {
    for (std::size_t s = 0; s < kStreams; ++s) {
      __m128i& cur = w[s][g & 3];
      if (g < 4) {
        cur = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data[s] + 16 * g)),
                               bswap);
      } else {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]; cur holds W[4g-16 .. 4g-13].
        const __m128i w7 = _mm_alignr_epi8(w[s][(g - 1) & 3], w[s][(g - 2) & 3], 4);
        cur = _mm_add_epi32(_mm_sha256msg1_epu32(cur, w[s][(g - 3) & 3]), w7);
        cur = _mm_sha256msg2_epu32(cur, w[s][(g - 1) & 3]);
      }
      __m128i msg = _mm_add_epi32(
          cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kSha256RoundConstants[4 * g])));
      st[s].cdgh = _mm_sha256rnds2_epu32(st[s].cdgh, st[s].abef, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      st[s].abef = _mm_sha256rnds2_epu32(st[s].abef, st[s].cdgh, msg);
    }
  }
  for (std::size_t s = 0; s < kStreams; ++s) {
    st[s].abef = _mm_add_epi32(st[s].abef, in[s].abef);
    st[s].cdgh = _mm_add_epi32(st[s].cdgh, in[s].cdgh);
  }
}

[[gnu::target("sha,sse4.1")]] void compress_shani(std::uint32_t* state, const std::uint8_t* data,
                                                  std::size_t blocks) {
  ShaNiState st = load_state(state);
  for (std::size_t b = 0; b < blocks; ++b, data += kSha256BlockBytes) {
    compress_streams<1>(&st, &data);
  }
  store_state(st, state);
}

template <std::size_t kStreams>
[[gnu::target("sha,sse4.1")]] void compress_shani_streams(Sha256State* const* states,
                                                          const std::uint8_t* const* blocks) {
  ShaNiState st[kStreams];
  for (std::size_t s = 0; s < kStreams; ++s) st[s] = load_state(states[s]->data());
  compress_streams<kStreams>(st, blocks);
  for (std::size_t s = 0; s < kStreams; ++s) store_state(st[s], states[s]->data());
}
#endif

}  // namespace

bool sha256_shani_supported() {
#if defined(QPOW_HAVE_X86_SIMD)
  return cpu_features().sha;
#else
  return false;
#endif
}

void sha256_compress_shani_lanes(std::size_t count, Sha256State* const* states,
                                 const std::uint8_t* const* blocks) {
  QPOW_ASSERT(sha256_shani_supported() && count >= 1 && count <= kSha256ShaNiMaxLanes);
#if defined(QPOW_HAVE_X86_SIMD)
  switch (count) {
    case 1:
      compress_shani_streams<1>(states, blocks);
      return;
    case 2:
      compress_shani_streams<2>(states, blocks);
      return;
    case 3:
      compress_shani_streams<3>(states, blocks);
      return;
    default:
      compress_shani_streams<4>(states, blocks);
      return;
  }
#else
  (void)states;
  (void)blocks;
#endif
}

void sha256_compress_shani(Sha256State& state, const std::uint8_t* data, std::size_t blocks) {
  QPOW_ASSERT(sha256_shani_supported());
#if defined(QPOW_HAVE_X86_SIMD)
  compress_shani(state.data(), data, blocks);
#else
  (void)state;
  (void)data;
  (void)blocks;
#endif
}

}  // namespace qpow::crypto::slhdsa::internal
