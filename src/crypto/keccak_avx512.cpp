// Keccak-f[1600] on eight states at once with AVX-512: each 512-bit register holds the same lane
// of eight states; rotations are single instructions (VPROLQ) and θ's five-way XOR and χ are
// three-input logic operations (VPTERNLOGQ). Compiled with -mavx512f -mavx512vl; called only
// after CPUID says AVX-512 is usable. Include nothing that other units share (keccak_kernel.h).
#include <immintrin.h>

#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"

namespace qpow::crypto::keccak_internal {
namespace {

// VPTERNLOGQ's immediate is the truth table of f(a, b, c) evaluated on the bit patterns
// a = 0xF0, b = 0xCC, c = 0xAA, so each immediate is written as the function it computes.
constexpr int kTernXor3 = (0xF0 ^ 0xCC ^ 0xAA) & 0xFF;  // a ^ b ^ c
constexpr int kTernChi = (0xF0 ^ (~0xCC & 0xAA)) & 0xFF;  // a ^ (~b & c)

struct Avx512Lanes {
  using Lane = __m512i;
  static Lane load(const std::uint64_t* p) { return _mm512_loadu_si512(p); }
  static void store(std::uint64_t* p, Lane v) { _mm512_storeu_si512(p, v); }
  static Lane xor2(Lane a, Lane b) { return _mm512_xor_si512(a, b); }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) {
    return _mm512_ternarylogic_epi64(_mm512_ternarylogic_epi64(a, b, c, kTernXor3), d, e,
                                     kTernXor3);
  }
  static Lane chi(Lane a, Lane b, Lane c) { return _mm512_ternarylogic_epi64(a, b, c, kTernChi); }
  static Lane xor_word(Lane a, std::uint64_t w) {
    return _mm512_xor_si512(a, _mm512_set1_epi64(static_cast<long long>(w)));
  }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else {
      // The zero-masking form with every lane selected is VPROLQ itself; the plain intrinsic
      // trips g++ 12's -Wuninitialized on its internal undefined-register idiom.
      return _mm512_maskz_rol_epi64(0xFF, v, n);
    }
  }
};

}  // namespace

void permute_x8_avx512(std::uint64_t* lanes) { permute<Avx512Lanes>(lanes, 8); }

}  // namespace qpow::crypto::keccak_internal
