// The ACVP runners of ml_dsa_acvp.h. (Named *_test.cpp so the test binary's glob picks it up; it
// holds no tests of its own.)
#include <map>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/ml_dsa.h"
#include "ml_dsa_acvp.h"
#include "support/test_bytes.h"
#include "support/test_data.h"
#include "util/hex.h"

namespace qpow::crypto::mldsa::test {
namespace {

using nlohmann::json;
using qpow::test::unhex;

json load_json(const std::filesystem::path& file) {
  return json::parse(qpow::test::read_text_file(file));
}

ParameterSet parameter_set(const std::string& name) {
  if (name == "ML-DSA-44") return ParameterSet::kMlDsa44;
  if (name == "ML-DSA-65") return ParameterSet::kMlDsa65;
  EXPECT_EQ(name, "ML-DSA-87");
  return ParameterSet::kMlDsa87;
}

std::string field(const json& object, const char* key) {
  return object.contains(key) ? object.at(key).get<std::string>() : std::string();
}

PreHash hash_alg(const json& test) {
  const std::optional<PreHash> ph = parse_prehash(field(test, "hashAlg"));
  EXPECT_TRUE(ph.has_value()) << "unknown hashAlg " << field(test, "hashAlg");
  return ph.value_or(PreHash::kSha2_256);
}

// One signing case of any interface kind; the signature, or empty on failure.
util::Bytes sign_case(const json& group, const json& test, CpuPath path) {
  const ParameterSet set = parameter_set(group.at("parameterSet"));
  const util::Bytes sk = unhex(field(test, "sk"));
  util::Bytes rnd(kRndBytes, 0);
  if (!group.at("deterministic").get<bool>()) rnd = unhex(field(test, "rnd"));
  util::Bytes sig(sizes(set).signature);
  const Rnd r(rnd.data(), kRndBytes);
  util::Status status;
  if (group.at("signatureInterface") == "internal") {
    if (group.at("externalMu").get<bool>()) {
      const util::Bytes mu = unhex(field(test, "mu"));
      status = sign_mu(set, sk, Mu(mu.data(), kMuBytes), r, sig, path);
    } else {
      status = sign_internal(set, sk, unhex(field(test, "message")), r, sig, path);
    }
  } else if (group.at("preHash") == "preHash") {
    status = hash_sign(set, sk, unhex(field(test, "message")), unhex(field(test, "context")),
                       hash_alg(test), r, sig, path);
  } else {
    status =
        sign(set, sk, unhex(field(test, "message")), unhex(field(test, "context")), r, sig, path);
  }
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return status.is_ok() ? sig : util::Bytes{};
}

bool verify_case(const json& group, const json& test, CpuPath path) {
  const ParameterSet set = parameter_set(group.at("parameterSet"));
  const util::Bytes pk = unhex(field(test, "pk"));
  const util::Bytes sig = unhex(field(test, "signature"));
  if (group.at("signatureInterface") == "internal") {
    if (group.at("externalMu").get<bool>()) {
      const util::Bytes mu = unhex(field(test, "mu"));
      return verify_mu(set, pk, Mu(mu.data(), kMuBytes), sig, path);
    }
    return verify_internal(set, pk, unhex(field(test, "message")), sig, path);
  }
  if (group.at("preHash") == "preHash") {
    return hash_verify(set, pk, unhex(field(test, "message")), sig, unhex(field(test, "context")),
                       hash_alg(test), path);
  }
  return verify(set, pk, unhex(field(test, "message")), sig, unhex(field(test, "context")), path);
}

}  // namespace

std::size_t run_acvp_keygen(const std::filesystem::path& file, CpuPath path) {
  const json doc = load_json(file);
  std::size_t checked = 0;
  for (const json& group : doc.at("testGroups")) {
    const ParameterSet set = parameter_set(group.at("parameterSet"));
    for (const json& test : group.at("tests")) {
      const util::Bytes seed = unhex(field(test, "seed"));
      util::Bytes pk(sizes(set).public_key);
      util::Bytes sk(sizes(set).secret_key);
      keygen_internal(set, Seed(seed.data(), kSeedBytes), pk, sk, path);
      EXPECT_EQ(util::to_hex(pk), util::to_hex(unhex(field(test, "pk"))))
          << "keyGen tcId " << test.at("tcId");
      EXPECT_EQ(util::to_hex(sk), util::to_hex(unhex(field(test, "sk"))))
          << "keyGen tcId " << test.at("tcId");
      ++checked;
    }
  }
  return checked;
}

std::size_t run_acvp_siggen(const std::filesystem::path& prompt,
                            const std::filesystem::path& expected, CpuPath path) {
  std::map<int, std::string> signatures;  // tcId -> signature
  // The documents are named: a range-for over a member of a temporary would outlive it.
  const json results = load_json(expected);
  const json cases = load_json(prompt);
  for (const json& group : results.at("testGroups")) {
    for (const json& test : group.at("tests")) {
      signatures[test.at("tcId").get<int>()] = test.at("signature").get<std::string>();
    }
  }
  std::size_t checked = 0;
  for (const json& group : cases.at("testGroups")) {
    for (const json& test : group.at("tests")) {
      const int tc = test.at("tcId").get<int>();
      const auto want = signatures.find(tc);
      if (want == signatures.end()) {
        ADD_FAILURE() << "sigGen tcId " << tc << " has no expected result";
        continue;
      }
      EXPECT_EQ(util::to_hex(sign_case(group, test, path)), util::to_hex(unhex(want->second)))
          << "sigGen tgId " << group.at("tgId") << " tcId " << tc;
      ++checked;
    }
  }
  return checked;
}

std::size_t run_acvp_sigver(const std::filesystem::path& file, CpuPath path) {
  const json doc = load_json(file);
  std::size_t checked = 0;
  for (const json& group : doc.at("testGroups")) {
    for (const json& test : group.at("tests")) {
      EXPECT_EQ(verify_case(group, test, path), test.at("testPassed").get<bool>())
          << "sigVer tgId " << group.at("tgId") << " tcId " << test.at("tcId") << " ("
          << field(test, "reason") << ")";
      ++checked;
    }
  }
  return checked;
}

}  // namespace qpow::crypto::mldsa::test
