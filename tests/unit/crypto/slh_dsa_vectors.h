// Test helpers for SLH-DSA: loading the ACVP vector files (FIPS 205 keyGen, sigGen, sigVer) in
// the shapes ../shared/vectors/README.md describes, and running one case on one CPU path. The
// same loaders read the official sets in ../shared/vectors/slh-dsa and the repo subset in
// tests/data/slh-dsa (whose sigGen cases may carry the SHA3-256 of the signature instead of the
// signature; see tests/data/slh-dsa/SOURCES.md).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/prehash.h"
#include "crypto/sha3.h"
#include "crypto/slh_dsa.h"
#include "support/build_info.h"
#include "support/test_bytes.h"
#include "support/test_data.h"
#include "util/hex.h"

namespace qpow::crypto::slhdsa::testing {

struct KeyGenCase {
  ParameterSet set;
  int tc_id;
  util::Bytes sk_seed, sk_prf, pk_seed, sk, pk;
};

enum class Interface { kInternal, kPure, kPreHash };

struct SigGenCase {
  ParameterSet set;
  int tc_id;
  Interface interface;
  bool deterministic;
  util::Bytes sk, message, context, opt_rand;
  std::optional<PreHash> ph;
  util::Bytes signature;       // empty when only its hash is stored
  util::Bytes signature_sha3;  // SHA3-256 of the signature (repo subset of large sets)
};

struct SigVerCase {
  ParameterSet set;
  int tc_id;
  bool passed;
  util::Bytes pk, message, signature;
  std::string reason;
};

inline nlohmann::json load_json(const std::filesystem::path& path) {
  return nlohmann::json::parse(test::read_text_file(path));
}

inline ParameterSet set_of(const nlohmann::json& group) {
  const auto set = parse_name(group.at("parameterSet").get<std::string>());
  EXPECT_TRUE(set.has_value()) << group.at("parameterSet");
  return set.value_or(ParameterSet::kShake_128f);
}

inline util::Bytes hex_field(const nlohmann::json& test, const char* key) {
  return test.contains(key) ? test::unhex(test.at(key).get<std::string>()) : util::Bytes{};
}

inline std::vector<KeyGenCase> load_keygen(const std::filesystem::path& path) {
  std::vector<KeyGenCase> out;
  const nlohmann::json doc = load_json(path);
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& t : group.at("tests")) {
      out.push_back({set_of(group), t.at("tcId").get<int>(), hex_field(t, "skSeed"),
                     hex_field(t, "skPrf"), hex_field(t, "pkSeed"), hex_field(t, "sk"),
                     hex_field(t, "pk")});
    }
  }
  return out;
}

// opt_rand: additionalRandomness, or PK.seed (sk bytes 2n .. 3n) for deterministic groups.
inline util::Bytes opt_rand_of(ParameterSet set, const nlohmann::json& t, const util::Bytes& sk) {
  if (t.contains("additionalRandomness")) return hex_field(t, "additionalRandomness");
  const std::size_t n = sizes(set).n;
  return util::Bytes(sk.begin() + 2 * static_cast<std::ptrdiff_t>(n),
                     sk.begin() + 3 * static_cast<std::ptrdiff_t>(n));
}

// The final-format ACVP sigGen (signatureInterface external, preHash pure/preHash) in one file.
inline std::vector<SigGenCase> load_siggen(const std::filesystem::path& path) {
  std::vector<SigGenCase> out;
  const nlohmann::json doc = load_json(path);
  for (const auto& group : doc.at("testGroups")) {
    const bool external = group.value("signatureInterface", "internal") == "external";
    const bool prehash = group.value("preHash", "pure") == "preHash";
    for (const auto& t : group.at("tests")) {
      SigGenCase c{set_of(group),
                   t.at("tcId").get<int>(),
                   Interface::kInternal,
                   group.at("deterministic").get<bool>(),
                   hex_field(t, "sk"),
                   hex_field(t, "message"),
                   hex_field(t, "context"),
                   {},
                   std::nullopt,
                   hex_field(t, "signature"),
                   hex_field(t, "signatureSha3_256")};
      if (external) c.interface = prehash ? Interface::kPreHash : Interface::kPure;
      if (prehash) c.ph = parse_prehash(t.at("hashAlg").get<std::string>());
      c.opt_rand = opt_rand_of(c.set, t, c.sk);
      out.push_back(std::move(c));
    }
  }
  return out;
}

// The 2024-08 internal-interface sigGen: prompt and expected results joined on tgId/tcId.
inline std::vector<SigGenCase> load_siggen_2024(const std::filesystem::path& prompt_path,
                                                const std::filesystem::path& results_path) {
  const nlohmann::json results = load_json(results_path);
  std::vector<SigGenCase> out;
  const nlohmann::json prompt = load_json(prompt_path);
  for (const auto& group : prompt.at("testGroups")) {
    const nlohmann::json* result_group = nullptr;
    for (const auto& g : results.at("testGroups")) {
      if (g.at("tgId") == group.at("tgId")) result_group = &g;
    }
    if (result_group == nullptr) {
      ADD_FAILURE() << "no results for tgId " << group.at("tgId");
      continue;
    }
    for (const auto& t : group.at("tests")) {
      SigGenCase c{set_of(group),
                   t.at("tcId").get<int>(),
                   Interface::kInternal,
                   group.at("deterministic").get<bool>(),
                   hex_field(t, "sk"),
                   hex_field(t, "message"),
                   {},
                   {},
                   std::nullopt,
                   {},
                   {}};
      c.opt_rand = opt_rand_of(c.set, t, c.sk);
      for (const auto& r : result_group->at("tests")) {
        if (r.at("tcId") == t.at("tcId")) {
          c.signature = hex_field(r, "signature");
          c.signature_sha3 = hex_field(r, "signatureSha3_256");
        }
      }
      EXPECT_FALSE(c.signature.empty() && c.signature_sha3.empty()) << "tcId " << c.tc_id;
      out.push_back(std::move(c));
    }
  }
  return out;
}

// The 2024-08 internal-interface sigVer (message = M', the input of slh_verify_internal).
inline std::vector<SigVerCase> load_sigver_2024(const std::filesystem::path& path) {
  std::vector<SigVerCase> out;
  const nlohmann::json doc = load_json(path);
  for (const auto& group : doc.at("testGroups")) {
    for (const auto& t : group.at("tests")) {
      out.push_back({set_of(group), t.at("tcId").get<int>(), t.at("testPassed").get<bool>(),
                     hex_field(t, "pk"), hex_field(t, "message"), hex_field(t, "signature"),
                     t.value("reason", "")});
    }
  }
  return out;
}

inline void run_keygen(const KeyGenCase& c, CpuPath path) {
  const Sizes s = sizes(c.set);
  util::Bytes pk(s.public_key), sk(s.secret_key);
  keygen_internal(c.set, c.sk_seed, c.sk_prf, c.pk_seed, pk, sk, path);
  EXPECT_EQ(util::to_hex(pk), util::to_hex(c.pk)) << name(c.set) << " tcId " << c.tc_id;
  EXPECT_EQ(util::to_hex(sk), util::to_hex(c.sk)) << name(c.set) << " tcId " << c.tc_id;
}

inline util::Status sign_case(const SigGenCase& c, util::MutableByteSpan sig, CpuPath path) {
  switch (c.interface) {
    case Interface::kInternal:
      return sign_internal(c.set, c.sk, c.message, c.opt_rand, sig, path);
    case Interface::kPure:
      return sign(c.set, c.sk, c.message, c.context, c.opt_rand, sig, path);
    case Interface::kPreHash:
      return hash_sign(c.set, c.sk, c.message, c.context, *c.ph, c.opt_rand, sig, path);
  }
  return util::Status::invalid_argument("unknown interface");
}

inline bool verify_case(const SigGenCase& c, util::ByteSpan pk, util::ByteSpan sig, CpuPath path) {
  switch (c.interface) {
    case Interface::kInternal:
      return verify_internal(c.set, pk, c.message, sig, path);
    case Interface::kPure:
      return verify(c.set, pk, c.message, sig, c.context, path);
    case Interface::kPreHash:
      return hash_verify(c.set, pk, c.message, sig, c.context, *c.ph, path);
  }
  return false;
}

// Signs, compares with the expected signature (or its SHA3-256), and verifies the result with
// the public key taken from the secret key.
inline void run_siggen(const SigGenCase& c, CpuPath path) {
  ASSERT_TRUE(c.interface != Interface::kPreHash || c.ph.has_value()) << "tcId " << c.tc_id;
  const Sizes s = sizes(c.set);
  util::Bytes sig(s.signature);
  ASSERT_TRUE(sign_case(c, sig, path).is_ok()) << "tcId " << c.tc_id;
  if (!c.signature.empty()) {
    ASSERT_EQ(sig.size(), c.signature.size());
    EXPECT_TRUE(sig == c.signature) << name(c.set) << " tcId " << c.tc_id << ": signature differs";
  } else {
    EXPECT_EQ(util::to_hex(Sha3_256::hash(sig)), util::to_hex(c.signature_sha3))
        << name(c.set) << " tcId " << c.tc_id;
  }
  const util::ByteSpan pk = util::ByteSpan(c.sk).subspan(2 * s.n, 2 * s.n);
  EXPECT_TRUE(verify_case(c, pk, sig, path)) << name(c.set) << " tcId " << c.tc_id;
}

// QPOW_EXHAUSTIVE=1 turns on the slow parts of the SLH-DSA tests.
inline bool exhaustive() {
  const char* env = std::getenv("QPOW_EXHAUSTIVE");
  return env != nullptr && std::string_view(env) == "1";
}

using ::qpow::test::kSanitizerBuild;

inline bool is_small_set(ParameterSet set) {
  return name(set).back() == 's';
}

// Which vector cases a test runs. Key generation and signing with an "s" set take 0.05-1.6 s each
// (portable path slowest), so running every case on every path would take the SLH-DSA tests past
// their time budget (about a minute in Release):
//   - Release, default path: every case.
//   - Release, other paths: every "f" case, and of each "s" parameter set in the file the first
//     signing case and the first kSmallKeyGensPerSet key generations.
//   - Sanitizer builds: the first case of each parameter set; the "s" sets only on the default
//     path, and for signing only SLH-DSA-SHA2-256s (the set with the largest buffers: n = 32,
//     FORS trees of height 14, len = 67), which signs fastest of the largest ones.
// QPOW_EXHAUSTIVE=1 runs every case on every path.
class CaseFilter {
 public:
  static constexpr std::size_t kSmallKeyGensPerSet = 2;

  enum class Kind { kKeyGen, kSigGen };

  CaseFilter(CpuPath path, Kind kind)
      : kind_(kind), all_(exhaustive()), default_path_(path == default_path()) {}

  bool run(ParameterSet set) {
    if (take(set)) return true;
    ++skipped_;
    return false;
  }

  // Says how many cases were left out and how to run them.
  void report(std::size_t total) const {
    if (skipped_ == 0) return;
    std::cout << "[ INFO     ] ran " << total - skipped_ << " of " << total << " cases on this path"
              << (kSanitizerBuild ? " (sanitizer build)" : "")
              << "; the rest run in the Release build's default path, and everywhere with "
                 "QPOW_EXHAUSTIVE=1\n";
  }

 private:
  bool take(ParameterSet set) {
    if (all_) return true;
    const bool small = is_small_set(set);
    if (!kSanitizerBuild) {
      if (default_path_ || !small) return true;
      const std::size_t limit = kind_ == Kind::kKeyGen ? kSmallKeyGensPerSet : 1;
      return ++taken_[set] <= limit;
    }
    if (small && !default_path_) return false;
    if (small && kind_ == Kind::kSigGen && set != ParameterSet::kSha2_256s) return false;
    return seen_.insert(set).second;
  }

  Kind kind_;
  bool all_;
  bool default_path_;
  std::set<ParameterSet> seen_;
  std::map<ParameterSet, std::size_t> taken_;
  std::size_t skipped_ = 0;
};

inline void run_keygen_cases(const std::vector<KeyGenCase>& cases, CpuPath path) {
  CaseFilter filter(path, CaseFilter::Kind::kKeyGen);
  for (const auto& c : cases) {
    if (filter.run(c.set)) run_keygen(c, path);
  }
  filter.report(cases.size());
}

inline void run_siggen_cases(const std::vector<SigGenCase>& cases, CpuPath path) {
  CaseFilter filter(path, CaseFilter::Kind::kSigGen);
  for (const auto& c : cases) {
    if (filter.run(c.set)) run_siggen(c, path);
  }
  filter.report(cases.size());
}

inline void run_sigver(const SigVerCase& c, CpuPath path) {
  EXPECT_EQ(verify_internal(c.set, c.pk, c.message, c.signature, path), c.passed)
      << name(c.set) << " tcId " << c.tc_id << ": " << c.reason;
}

}  // namespace qpow::crypto::slhdsa::testing
