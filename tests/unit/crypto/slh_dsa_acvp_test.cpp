// SLH-DSA against NIST's ACVP vectors in ../shared/vectors/slh-dsa (see its README for sources and
// subsets): keyGen (120 cases), the final-format external sigGen subset (49 cases, pure and
// preHash), and the 2024-08 internal-interface sigGen subset (30) and sigVer set (45), on every
// CPU path (the slow "s" sets are thinned on non-default paths and in sanitizer builds unless
// QPOW_EXHAUSTIVE=1; see CaseFilter). Skipped with a message when the shared folder is absent;
// slh_dsa_kat_test.cpp runs the repo's own subset in tests/data/slh-dsa either way.
#include <gtest/gtest.h>

#include "crypto/slh_dsa.h"
#include "path_param.h"
#include "slh_dsa_vectors.h"
#include "support/test_data.h"

namespace qpow::crypto::slhdsa {
namespace {

using testing::load_keygen;
using testing::load_siggen;
using testing::load_siggen_2024;
using testing::load_sigver_2024;

class SlhDsaAcvp : public CpuPathTest {};

TEST_P(SlhDsaAcvp, KeyGen) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  const auto cases = load_keygen(dir / "slh-dsa/SLH-DSA-keyGen-FIPS205-internalProjection.json");
  ASSERT_EQ(cases.size(), 120u);
  testing::run_keygen_cases(cases, GetParam());
}

TEST_P(SlhDsaAcvp, SigGenExternal) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  const auto cases =
      load_siggen(dir / "slh-dsa/SLH-DSA-sigGen-FIPS205-internalProjection-subset.json");
  ASSERT_EQ(cases.size(), 49u);
  testing::run_siggen_cases(cases, GetParam());
}

TEST_P(SlhDsaAcvp, SigGenInternal2024) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  const auto cases = load_siggen_2024(
      dir / "slh-dsa/SLH-DSA-sigGen-FIPS205-2024-08-internal-prompt-subset.json",
      dir / "slh-dsa/SLH-DSA-sigGen-FIPS205-2024-08-internal-expectedResults-subset.json");
  ASSERT_EQ(cases.size(), 30u);
  testing::run_siggen_cases(cases, GetParam());
}

TEST_P(SlhDsaAcvp, SigVerInternal2024) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  const auto cases = load_sigver_2024(
      dir / "slh-dsa/SLH-DSA-sigVer-FIPS205-2024-08-internal-internalProjection.json");
  ASSERT_EQ(cases.size(), 45u);
  for (const auto& c : cases) testing::run_sigver(c, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Paths, SlhDsaAcvp, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::slhdsa
