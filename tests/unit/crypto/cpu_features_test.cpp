// CPU path selection and the QPOW_CPU override.
#include "crypto/cpu_features.h"

#include <gtest/gtest.h>

#include "crypto/keccak.h"

namespace qpow::crypto {
namespace {

CpuPath best() {
  return select_cpu_path(std::nullopt).path;
}

TEST(CpuPath, NamesRoundTrip) {
  for (const CpuPath p : {CpuPath::kPortable, CpuPath::kAvx2, CpuPath::kAvx512}) {
    EXPECT_EQ(parse_cpu_path(cpu_path_name(p)), p);
  }
  EXPECT_FALSE(parse_cpu_path("AVX2").has_value());
  EXPECT_FALSE(parse_cpu_path("").has_value());
}

TEST(CpuPath, PortableIsAlwaysSupportedAndTheBestIsSupported) {
  EXPECT_TRUE(cpu_supports(CpuPath::kPortable));
  EXPECT_TRUE(cpu_supports(best()));
  EXPECT_EQ(keccak_backend(best()).path, best());
}

TEST(CpuPath, OverrideCanLowerThePath) {
  const CpuSelection s = select_cpu_path("portable");
  EXPECT_EQ(s.path, CpuPath::kPortable);
  EXPECT_TRUE(s.note.empty());
}

TEST(CpuPath, UnknownOverrideFallsBackWithANote) {
  const CpuSelection s = select_cpu_path("sse9");
  EXPECT_EQ(s.path, best());
  EXPECT_NE(s.note.find("QPOW_CPU=sse9 is not one of portable, avx2, avx512"), std::string::npos);
}

TEST(CpuPath, UnsupportedOverrideFallsBackWithANote) {
  if (cpu_supports(CpuPath::kAvx512)) GTEST_SKIP() << "this CPU supports every path";
  const CpuSelection s = select_cpu_path("avx512");
  EXPECT_EQ(s.path, best());
  EXPECT_NE(s.note.find("not supported by this CPU"), std::string::npos);
}

TEST(CpuPathDeathTest, AskingForAnUnsupportedBackendIsABug) {
  if (cpu_supports(CpuPath::kAvx512)) GTEST_SKIP() << "this CPU supports every path";
  EXPECT_DEATH((void)keccak_backend(CpuPath::kAvx512), "not supported");
}

}  // namespace
}  // namespace qpow::crypto
