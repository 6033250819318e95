// `qpow crypto keygen | sign | verify | schemes`, run in-process: output formats and the exit-code
// contract (verify: 0 valid, 1 invalid, 2 malformed argument with one line on stderr).
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/cli.h"
#include "cli_run.h"

namespace qpow::app {
namespace {

using qpow::test::CliResult;
using qpow::test::run;

// "pk=..." and "sk=..." from keygen output.
std::pair<std::string, std::string> parse_keys(const std::string& out) {
  const auto pk_at = out.find("pk=");
  const auto sk_at = out.find("\nsk=");
  EXPECT_NE(pk_at, std::string::npos);
  EXPECT_NE(sk_at, std::string::npos);
  return {out.substr(pk_at + 3, sk_at - pk_at - 3), out.substr(sk_at + 4, out.size() - sk_at - 5)};
}

void expect_usage_error(const CliResult& r, const std::string& fragment) {
  EXPECT_EQ(r.code, kExitUsage) << r.out;
  EXPECT_EQ(r.err.rfind("qpow: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

const std::string kSeed32(64, 'a');  // 32 bytes of 0xaa

TEST(CliSign, KeygenFromASeedIsDeterministicAndPrintsTwoLines) {
  const CliResult a = run({"crypto", "keygen", "--scheme", "ml-dsa-44", "--seed", kSeed32});
  const CliResult b = run({"crypto", "keygen", "--scheme", "ml-dsa-44", "--seed", kSeed32});
  ASSERT_EQ(a.code, kExitOk) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(std::count(a.out.begin(), a.out.end(), '\n'), 2);
  const auto [pk, sk] = parse_keys(a.out);
  EXPECT_EQ(pk.size(), 2u * 1312);
  EXPECT_EQ(sk.size(), 2u * 2560);
  const CliResult fresh = run({"crypto", "keygen", "--scheme", "ml-dsa-44"});
  ASSERT_EQ(fresh.code, kExitOk);
  EXPECT_NE(fresh.out, a.out);
}

TEST(CliSign, SignThenVerifyValidAndInvalid) {
  const auto [pk, sk] =
      parse_keys(run({"crypto", "keygen", "--scheme", "ml-dsa-65", "--seed", kSeed32}).out);
  const CliResult sig = run(
      {"crypto", "sign", "--scheme", "ml-dsa-65", "--sk", sk, "--msg", "cafe", "--ctx", "0102"});
  ASSERT_EQ(sig.code, kExitOk) << sig.err;
  const std::string sig_hex = sig.out.substr(0, sig.out.size() - 1);
  EXPECT_EQ(sig_hex.size(), 2u * 3309);
  const CliResult ok = run({"crypto", "verify", "--scheme", "ml-dsa-65", "--pk", pk, "--msg",
                            "cafe", "--sig", sig_hex, "--ctx", "0102"});
  EXPECT_EQ(ok.code, kExitOk);
  EXPECT_EQ(ok.out, "valid\n");
  const CliResult bad = run(
      {"crypto", "verify", "--scheme", "ml-dsa-65", "--pk", pk, "--msg", "cafe", "--sig", sig_hex});
  EXPECT_EQ(bad.code, kExitNegative);
  EXPECT_EQ(bad.out, "invalid\n");
  EXPECT_TRUE(bad.err.empty());
}

TEST(CliSign, DeterministicAndExplicitRnd) {
  const auto [pk, sk] =
      parse_keys(run({"crypto", "keygen", "--scheme", "ml-dsa-44", "--seed", kSeed32}).out);
  const auto det = [&] {
    return run({"crypto", "sign", "--scheme", "ml-dsa-44", "--sk", sk, "--msg", "00",
                "--deterministic"})
        .out;
  };
  EXPECT_EQ(det(), det());
  const CliResult with_rnd = run({"crypto", "sign", "--scheme", "ml-dsa-44", "--sk", sk, "--msg",
                                  "00", "--rnd", std::string(64, '0')});
  EXPECT_EQ(with_rnd.out, det()) << "rnd = 0^32 is FIPS 204's deterministic variant";
  expect_usage_error(run({"crypto", "sign", "--scheme", "ml-dsa-44", "--sk", sk, "--msg", "00",
                          "--deterministic", "--rnd", "00"}),
                     "excludes");
  expect_usage_error(
      run({"crypto", "sign", "--scheme", "ml-dsa-44", "--sk", sk, "--msg", "00", "--rnd", "00"}),
      "rnd must be 32 bytes, got 1");
}

TEST(CliSign, HybridAndSlhDsaRoundTrip) {
  for (const std::string scheme : {"hybrid-ml-dsa-65-ed25519", "slh-dsa-shake-128f"}) {
    const CliResult keys = run({"crypto", "keygen", "--scheme", scheme});
    ASSERT_EQ(keys.code, kExitOk) << keys.err;
    const auto [pk, sk] = parse_keys(keys.out);
    const CliResult sig = run({"crypto", "sign", "--scheme", scheme, "--sk", sk, "--msg", "ab"});
    ASSERT_EQ(sig.code, kExitOk) << sig.err;
    const CliResult v = run({"crypto", "verify", "--scheme", scheme, "--pk", pk, "--msg", "ab",
                             "--sig", sig.out.substr(0, sig.out.size() - 1)});
    EXPECT_EQ(v.out, "valid\n") << scheme;
  }
}

TEST(CliSign, MalformedArgumentsExit2) {
  expect_usage_error(run({"crypto", "keygen", "--scheme", "rsa"}),
                     "unknown signature scheme 'rsa'");
  expect_usage_error(run({"crypto", "keygen", "--scheme", "ml-dsa-44", "--seed", "00"}),
                     "ml-dsa-44: seed must be 32 bytes, got 1");
  expect_usage_error(run({"crypto", "keygen", "--scheme", "ml-dsa-44", "--seed", "zz"}),
                     "--seed: hex: invalid character");
  expect_usage_error(run({"crypto", "sign", "--scheme", "ml-dsa-44", "--sk", "00", "--msg", "00"}),
                     "secret key must be 2560 bytes, got 1");
  expect_usage_error(run({"crypto", "verify", "--scheme", "ml-dsa-44", "--pk", "00", "--msg", "00",
                          "--sig", "00"}),
                     "public key must be 1312 bytes, got 1");
  expect_usage_error(
      run({"crypto", "verify", "--scheme", "ml-dsa-44", "--pk", "00", "--msg", "0", "--sig", "00"}),
      "--msg: hex: odd number of digits");
  expect_usage_error(run({"crypto", "verify", "--scheme", "ml-dsa-44", "--msg", "00"}), "--pk");
}

TEST(CliSign, SchemesListsEveryScheme) {
  const CliResult r = run({"crypto", "schemes"});
  ASSERT_EQ(r.code, kExitOk);
  for (const char* name : {"ml-dsa-44", "ml-dsa-65", "ml-dsa-87", "slh-dsa-sha2-128s",
                           "slh-dsa-shake-256f", "hybrid-ml-dsa-65-ed25519"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  EXPECT_NE(r.out.find("0x02  ml-dsa-65"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace qpow::app
