// The table of polynomial kernels per CPU path (ml_dsa_kernels.h).
#include "crypto/ml_dsa_kernels.h"

#include "crypto/ml_dsa_portable.h"
#include "util/assert.h"

#if defined(QPOW_HAVE_X86_SIMD)
#include "crypto/ml_dsa_avx2.h"
#endif

namespace qpow::crypto::mldsa {
namespace {

constexpr PolyKernels kPortableKernels{
    CpuPath::kPortable,      portable::ntt,
    portable::intt_mont,     portable::pointwise_mont,
    portable::dot_mont,      portable::from_standard_order,
    portable::rej_ntt_parse, portable::rej_bounded_parse,
    portable::add,           portable::sub,
    portable::shift_left_d,  portable::freeze,
    portable::centre,        portable::norm_at_least,
    portable::power2round,   portable::decompose,
    portable::make_hint,     portable::use_hint,
};

#if defined(QPOW_HAVE_X86_SIMD)
constexpr PolyKernels kAvx2Kernels{
    CpuPath::kAvx2,      avx2::ntt,
    avx2::intt_mont,     avx2::pointwise_mont,
    avx2::dot_mont,      avx2::from_standard_order,
    avx2::rej_ntt_parse, avx2::rej_bounded_parse,
    avx2::add,           avx2::sub,
    avx2::shift_left_d,  avx2::freeze,
    avx2::centre,        avx2::norm_at_least,
    avx2::power2round,   avx2::decompose,
    avx2::make_hint,     avx2::use_hint,
};
// AVX-512 machines run the AVX2 kernels; only the Keccak backend differs.
constexpr PolyKernels kAvx512Kernels = [] {
  PolyKernels k = kAvx2Kernels;
  k.path = CpuPath::kAvx512;
  return k;
}();
#endif

}  // namespace

const PolyKernels& poly_kernels(CpuPath path) {
  QPOW_ASSERT_MSG(cpu_supports(path), "ML-DSA kernels not supported by this CPU");
  switch (path) {
    case CpuPath::kPortable:
      return kPortableKernels;
#if defined(QPOW_HAVE_X86_SIMD)
    case CpuPath::kAvx2:
      return kAvx2Kernels;
    case CpuPath::kAvx512:
      return kAvx512Kernels;
#else
    default:
      break;
#endif
  }
  QPOW_UNREACHABLE();
}

}  // namespace qpow::crypto::mldsa
