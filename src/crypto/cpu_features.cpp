#include "crypto/cpu_features.h"

#include <cstdlib>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace qpow::crypto {
namespace {

#if defined(__x86_64__)
// XCR0 bits that the OS sets when it saves a register class on context switch.
constexpr std::uint64_t kXcr0SseAvx = 0x6;   // XMM and YMM state
constexpr std::uint64_t kXcr0Avx512 = 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM state

std::uint64_t read_xcr0() {
  std::uint32_t eax = 0;
  std::uint32_t edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return f;
  const bool osxsave = (ecx & (1u << 27)) != 0;
  const bool avx = (ecx & (1u << 28)) != 0;
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = read_xcr0();
  if ((xcr0 & kXcr0SseAvx) != kXcr0SseAvx) return f;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return f;
  f.avx2 = (ebx & (1u << 5)) != 0;
  f.bmi1 = (ebx & (1u << 3)) != 0;
  f.bmi2 = (ebx & (1u << 8)) != 0;
  f.sha = (ebx & (1u << 29)) != 0;
  const bool zmm_state = (xcr0 & kXcr0Avx512) == kXcr0Avx512;
  f.avx512f = zmm_state && (ebx & (1u << 16)) != 0;
  f.avx512vl = zmm_state && (ebx & (1u << 31)) != 0;
  return f;
}
#else
CpuFeatures detect() {
  return {};
}
#endif

CpuPath best_path() {
  const CpuFeatures& f = cpu_features();
#if defined(QPOW_HAVE_X86_SIMD)
  const bool level2 = f.avx2 && f.bmi1 && f.bmi2;
  if (level2 && f.avx512f && f.avx512vl) return CpuPath::kAvx512;
  if (level2) return CpuPath::kAvx2;
#else
  (void)f;
#endif
  return CpuPath::kPortable;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

bool cpu_supports(CpuPath path) {
  return static_cast<int>(path) <= static_cast<int>(best_path());
}

std::string_view cpu_path_name(CpuPath path) {
  switch (path) {
    case CpuPath::kPortable:
      return "portable";
    case CpuPath::kAvx2:
      return "avx2";
    case CpuPath::kAvx512:
      return "avx512";
  }
  return "unknown";
}

std::optional<CpuPath> parse_cpu_path(std::string_view name) {
  for (const CpuPath path : {CpuPath::kPortable, CpuPath::kAvx2, CpuPath::kAvx512}) {
    if (name == cpu_path_name(path)) return path;
  }
  return std::nullopt;
}

CpuSelection select_cpu_path(std::optional<std::string_view> request) {
  CpuSelection selection;
  selection.path = best_path();
  if (!request.has_value() || request->empty()) return selection;
  const std::optional<CpuPath> wanted = parse_cpu_path(*request);
  if (!wanted.has_value()) {
    selection.note = "QPOW_CPU=" + std::string(*request) +
                     " is not one of portable, avx2, avx512; using " +
                     std::string(cpu_path_name(selection.path));
    return selection;
  }
  if (!cpu_supports(*wanted)) {
    selection.note = "QPOW_CPU=" + std::string(*request) + " is not supported by this CPU; using " +
                     std::string(cpu_path_name(selection.path));
    return selection;
  }
  selection.path = *wanted;
  return selection;
}

const CpuSelection& active_cpu_selection() {
  static const CpuSelection selection = [] {
    const char* env = std::getenv("QPOW_CPU");
    return select_cpu_path(env != nullptr ? std::optional<std::string_view>(env) : std::nullopt);
  }();
  return selection;
}

}  // namespace qpow::crypto
