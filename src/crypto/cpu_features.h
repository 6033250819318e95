// Which SIMD paths this CPU can run, and which one qpow uses. Detection reads CPUID and checks
// that the operating system saves the wide registers (XGETBV), so a path is only chosen when its
// instructions can actually execute. The environment variable QPOW_CPU=portable|avx2|avx512
// caps the choice for testing and benchmarking; it can lower the path, never raise it past what
// the CPU supports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qpow::crypto {

// Ordered from least to most capable.
enum class CpuPath : std::uint8_t {
  kPortable = 0,  // plain 64-bit C++
  kAvx2 = 1,      // AVX2 with BMI1/BMI2: 4 Keccak states per instruction stream
  kAvx512 = 2,    // AVX-512F + AVX-512VL: 8 Keccak states
};

struct CpuFeatures {
  bool avx2 = false;
  bool avx512f = false;
  bool avx512vl = false;
  bool bmi1 = false;
  bool bmi2 = false;
  bool sha = false;  // SHA extensions (SHA-NI); detected on CPUs with AVX only
};

// What the CPU and OS support (computed once).
const CpuFeatures& cpu_features();

// True when this machine can run code of `path`.
bool cpu_supports(CpuPath path);

// "portable", "avx2", "avx512".
std::string_view cpu_path_name(CpuPath path);
std::optional<CpuPath> parse_cpu_path(std::string_view name);

struct CpuSelection {
  CpuPath path = CpuPath::kPortable;
  // Empty, or why the path differs from what QPOW_CPU asked for.
  std::string note;
};

// The best path the CPU supports, capped by `request` (the value of QPOW_CPU, if any).
// An unknown request or one the CPU cannot run falls back, and `note` says so.
CpuSelection select_cpu_path(std::optional<std::string_view> request);

// select_cpu_path() applied to the QPOW_CPU environment variable, read once per process.
const CpuSelection& active_cpu_selection();

}  // namespace qpow::crypto
