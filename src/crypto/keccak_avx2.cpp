// Keccak-f[1600] on four states at once with AVX2: each 256-bit register holds the same lane of
// four independent states. Compiled with -mavx2; called only after CPUID says AVX2 is usable.
// Include nothing here that other translation units share (see keccak_kernel.h).
#include <immintrin.h>

#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"

namespace qpow::crypto::keccak_internal {
namespace {

struct Avx2Lanes {
  using Lane = __m256i;
  static Lane load(const std::uint64_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  static void store(std::uint64_t* p, Lane v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
  }
  static Lane xor2(Lane a, Lane b) { return _mm256_xor_si256(a, b); }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) {
    return _mm256_xor_si256(_mm256_xor_si256(_mm256_xor_si256(a, b), _mm256_xor_si256(c, d)), e);
  }
  // _mm256_andnot_si256(b, c) is ~b & c.
  static Lane chi(Lane a, Lane b, Lane c) { return _mm256_xor_si256(a, _mm256_andnot_si256(b, c)); }
  static Lane xor_word(Lane a, std::uint64_t w) {
    return _mm256_xor_si256(a, _mm256_set1_epi64x(static_cast<long long>(w)));
  }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else if constexpr (n == 8) {
      // A whole-byte rotation is one byte shuffle: result byte k = source byte (k - 1) mod 8.
      const __m256i mask = _mm256_setr_epi8(7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14,
                                            7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14);
      return _mm256_shuffle_epi8(v, mask);
    } else if constexpr (n == 56) {
      // Result byte k = source byte (k + 1) mod 8.
      const __m256i mask = _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8,
                                            1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8);
      return _mm256_shuffle_epi8(v, mask);
    } else {
      return _mm256_or_si256(_mm256_slli_epi64(v, n), _mm256_srli_epi64(v, 64 - n));
    }
  }
};

}  // namespace

void permute_x4_avx2(std::uint64_t* lanes, std::size_t stride) {
  permute<Avx2Lanes>(lanes, stride);
}

}  // namespace qpow::crypto::keccak_internal
