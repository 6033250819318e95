// SLH-DSA against the repo's subset of NIST's ACVP vectors in tests/data/slh-dsa (see SOURCES.md
// there): keyGen for every parameter set, sigGen for every parameter set (external pure and
// preHash, deterministic and hedged; the larger sets compare the SHA3-256 of the signature), the
// 2024-08 internal-interface sigGen, and the whole SHAKE-128f sigVer group. Runs on every CPU
// path (sanitizer builds thin the slow "s" sets; see CaseFilter) and needs nothing outside the
// repository.
#include <gtest/gtest.h>

#include "crypto/slh_dsa.h"
#include "path_param.h"
#include "slh_dsa_vectors.h"
#include "support/test_data.h"

namespace qpow::crypto::slhdsa {
namespace {

std::filesystem::path data_dir() {
  return test::test_data_dir() / "slh-dsa";
}

class SlhDsaKat : public CpuPathTest {};

TEST_P(SlhDsaKat, KeyGen) {
  const auto cases =
      testing::load_keygen(data_dir() / "SLH-DSA-keyGen-FIPS205-internalProjection.subset.json");
  ASSERT_EQ(cases.size(), 24u);
  std::set<ParameterSet> sets;
  for (const auto& c : cases) sets.insert(c.set);
  EXPECT_EQ(sets.size(), 12u);
  testing::run_keygen_cases(cases, GetParam());
}

TEST_P(SlhDsaKat, SigGenEverySet) {
  const auto cases =
      testing::load_siggen(data_dir() / "SLH-DSA-sigGen-FIPS205-internalProjection.subset.json");
  ASSERT_EQ(cases.size(), 12u);
  std::set<ParameterSet> sets;
  for (const auto& c : cases) sets.insert(c.set);
  EXPECT_EQ(sets.size(), 12u);
  testing::run_siggen_cases(cases, GetParam());
}

TEST_P(SlhDsaKat, SigGenInternal2024) {
  const auto cases = testing::load_siggen_2024(
      data_dir() / "SLH-DSA-sigGen-FIPS205-2024-08-internal-prompt.subset.json",
      data_dir() / "SLH-DSA-sigGen-FIPS205-2024-08-internal-expectedResults.subset.json");
  ASSERT_EQ(cases.size(), 2u);
  testing::run_siggen_cases(cases, GetParam());
}

TEST_P(SlhDsaKat, SigVerInternal2024) {
  const auto cases = testing::load_sigver_2024(
      data_dir() / "SLH-DSA-sigVer-FIPS205-2024-08-internal-internalProjection.subset.json");
  ASSERT_EQ(cases.size(), 9u);
  std::size_t accepted = 0;
  for (const auto& c : cases) {
    testing::run_sigver(c, GetParam());
    accepted += c.passed ? 1 : 0;
  }
  EXPECT_EQ(accepted, 3u);
}

INSTANTIATE_TEST_SUITE_P(Paths, SlhDsaKat, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::slhdsa
