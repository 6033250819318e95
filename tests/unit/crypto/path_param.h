// Parameterizing crypto tests over the SIMD paths: every path runs the same tests, and a path the
// CPU cannot run is skipped with its name.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "crypto/cpu_features.h"

namespace qpow::crypto {

inline const auto kAllCpuPaths =
    ::testing::Values(CpuPath::kPortable, CpuPath::kAvx2, CpuPath::kAvx512);

struct CpuPathParamName {
  std::string operator()(const ::testing::TestParamInfo<CpuPath>& param) const {
    return std::string(cpu_path_name(param.param));
  }
};

class CpuPathTest : public ::testing::TestWithParam<CpuPath> {
 protected:
  void SetUp() override {
    if (!cpu_supports(GetParam())) {
      GTEST_SKIP() << "this CPU cannot run the " << cpu_path_name(GetParam())
                   << " path; it is tested on machines that can";
    }
  }
};

}  // namespace qpow::crypto
