#include "crypto/keccak.h"

#include "crypto/keccak_backends.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

template <std::size_t N>
void permute_each_portable(KeccakStateN<N>& states) {
  for (std::size_t j = 0; j < N; ++j) {
    KeccakState one;
    for (std::size_t i = 0; i < kKeccakLanes; ++i) one[i] = states.lanes[i][j];
    keccak_internal::permute_portable(one.data());
    for (std::size_t i = 0; i < kKeccakLanes; ++i) states.lanes[i][j] = one[i];
  }
}

void x1_portable(KeccakState& s) {
  keccak_internal::permute_portable(s.data());
}
void x4_portable(KeccakStateX4& s) {
  permute_each_portable(s);
}
void x8_portable(KeccakStateX8& s) {
  permute_each_portable(s);
}

#if defined(QPOW_HAVE_X86_SIMD)
void x1_bmi2(KeccakState& s) {
  keccak_internal::permute_bmi2(s.data());
}
void x4_avx2(KeccakStateX4& s) {
  keccak_internal::permute_x4_avx2(&s.lanes[0][0], 4);
}
// Eight states on AVX2: the two halves of every lane row are two interleaved 4-state groups.
void x8_avx2(KeccakStateX8& s) {
  keccak_internal::permute_x4_avx2(&s.lanes[0][0], 8);
  keccak_internal::permute_x4_avx2(&s.lanes[0][4], 8);
}
void x8_avx512(KeccakStateX8& s) {
  keccak_internal::permute_x8_avx512(&s.lanes[0][0]);
}
#endif

constexpr KeccakBackend kPortable{CpuPath::kPortable, x1_portable, x4_portable, x8_portable};
#if defined(QPOW_HAVE_X86_SIMD)
constexpr KeccakBackend kAvx2{CpuPath::kAvx2, x1_bmi2, x4_avx2, x8_avx2};
// AVX-512 machines have AVX2 and BMI2 as well; four states fill a 256-bit register exactly.
constexpr KeccakBackend kAvx512{CpuPath::kAvx512, x1_bmi2, x4_avx2, x8_avx512};
#endif

}  // namespace

const KeccakBackend& keccak_backend(CpuPath path) {
  QPOW_ASSERT_MSG(cpu_supports(path), "Keccak backend not supported by this CPU");
  switch (path) {
    case CpuPath::kPortable:
      return kPortable;
#if defined(QPOW_HAVE_X86_SIMD)
    case CpuPath::kAvx2:
      return kAvx2;
    case CpuPath::kAvx512:
      return kAvx512;
#else
    default:
      break;
#endif
  }
  QPOW_UNREACHABLE();
}

const KeccakBackend& keccak_active_backend() {
  static const KeccakBackend& backend = keccak_backend(active_cpu_selection().path);
  return backend;
}

void keccak_f1600(KeccakState& state) {
  keccak_active_backend().x1(state);
}
void keccak_f1600_x4(KeccakStateX4& states) {
  keccak_active_backend().x4(states);
}
void keccak_f1600_x8(KeccakStateX8& states) {
  keccak_active_backend().x8(states);
}

}  // namespace qpow::crypto
