// ML-DSA against NIST's ACVP vectors (FIPS 204): keyGen, sigGen (deterministic and hedged;
// external pure, external pre-hash, internal with message, internal with external μ) and sigVer,
// on every CPU path. The repo's subset (tests/data/ml-dsa, see SOURCES.md there) always runs; the
// full files from ../shared/vectors/ml-dsa run when present.
#include "ml_dsa_acvp.h"

#include <gtest/gtest.h>

#include "path_param.h"
#include "support/test_data.h"

namespace qpow::crypto::mldsa::test {
namespace {

constexpr const char* kKeyGen = "ML-DSA-keyGen-FIPS204-internalProjection.json";
constexpr const char* kSigGenPrompt = "ML-DSA-sigGen-FIPS204-prompt.json";
constexpr const char* kSigGenExpected = "ML-DSA-sigGen-FIPS204-expectedResults.json";
constexpr const char* kSigVer = "ML-DSA-sigVer-FIPS204-internalProjection.json";

// Case counts of the full ACVP files (vsId 42) and of the repo subset.
constexpr std::size_t kFullKeyGen = 75;
constexpr std::size_t kFullSigGen = 360;
constexpr std::size_t kFullSigVer = 180;
constexpr std::size_t kSubsetKeyGen = 6;
constexpr std::size_t kSubsetSigGen = 48;
constexpr std::size_t kSubsetSigVer = 24;

class MlDsaAcvp : public CpuPathTest {};

TEST_P(MlDsaAcvp, RepoSubsetKeyGen) {
  const auto dir = qpow::test::test_data_dir() / "ml-dsa";
  EXPECT_EQ(run_acvp_keygen(dir / kKeyGen, GetParam()), kSubsetKeyGen);
}

TEST_P(MlDsaAcvp, RepoSubsetSigGen) {
  const auto dir = qpow::test::test_data_dir() / "ml-dsa";
  EXPECT_EQ(run_acvp_siggen(dir / kSigGenPrompt, dir / kSigGenExpected, GetParam()), kSubsetSigGen);
}

TEST_P(MlDsaAcvp, RepoSubsetSigVer) {
  const auto dir = qpow::test::test_data_dir() / "ml-dsa";
  EXPECT_EQ(run_acvp_sigver(dir / kSigVer, GetParam()), kSubsetSigVer);
}

TEST_P(MlDsaAcvp, OfficialKeyGen) {
  QPOW_REQUIRE_SHARED_VECTORS(shared);
  EXPECT_EQ(run_acvp_keygen(shared / "ml-dsa" / kKeyGen, GetParam()), kFullKeyGen);
}

TEST_P(MlDsaAcvp, OfficialSigGen) {
  QPOW_REQUIRE_SHARED_VECTORS(shared);
  const auto dir = shared / "ml-dsa";
  EXPECT_EQ(run_acvp_siggen(dir / kSigGenPrompt, dir / kSigGenExpected, GetParam()), kFullSigGen);
}

TEST_P(MlDsaAcvp, OfficialSigVer) {
  QPOW_REQUIRE_SHARED_VECTORS(shared);
  EXPECT_EQ(run_acvp_sigver(shared / "ml-dsa" / kSigVer, GetParam()), kFullSigVer);
}

INSTANTIATE_TEST_SUITE_P(Paths, MlDsaAcvp, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::mldsa::test
