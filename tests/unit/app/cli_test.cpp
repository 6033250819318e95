// The qpow command line, run in-process: outputs, input sources, and the error contract (exit 2
// with exactly one line on the error stream).
#include "app/cli.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_run.h"
#include "crypto/qhash.h"
#include "crypto/sha3.h"
#include "crypto/sp800_185.h"
#include "crypto/swifft.h"
#include "support/test_bytes.h"

namespace qpow::app {
namespace {

using qpow::test::CliResult;
using qpow::test::run;

void expect_usage_error(const CliResult& r, const std::string& fragment) {
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("qpow: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

TEST(Cli, VersionNamesTheReleaseAndTheCpuPath) {
  const CliResult r = run({"--version"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out.rfind("qpow 0.", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("keccak-f[1600] path: "), std::string::npos);
}

TEST(Cli, HelpListsCommands) {
  const CliResult r = run({"help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("crypto"), std::string::npos);
  const CliResult sub = run({"help", "crypto", "hash"});
  EXPECT_EQ(sub.code, kExitOk);
  EXPECT_NE(sub.out.find("Usage: qpow crypto hash"), std::string::npos) << sub.out;
  expect_usage_error(run({"help", "nope"}), "unknown command 'nope'");
}

TEST(Cli, NoCommandIsAUsageError) {
  expect_usage_error(run({}), "no command given");
}

TEST(CliHash, FixedOutputAlgorithmsMatchTheLibrary) {
  const util::Bytes msg = test::unhex("00112233445566778899");
  auto hex = [](const auto& d) { return util::to_hex(d) + "\n"; };
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-224", "--hex", "00112233445566778899"}).out,
            hex(crypto::Sha3_224::hash(msg)));
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "00112233445566778899"}).out,
            hex(crypto::Sha3_256::hash(msg)));
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-384", "--hex", "00112233445566778899"}).out,
            hex(crypto::Sha3_384::hash(msg)));
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-512", "--hex", "00112233445566778899"}).out,
            hex(crypto::Sha3_512::hash(msg)));
}

TEST(CliHash, ExtendableOutputDefaultsAndOptions) {
  const util::Bytes msg = test::unhex("abcdef");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "shake128", "--hex", "abcdef"}).out,
            util::to_hex(crypto::Shake128::hash(msg, 32)) + "\n");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "shake256", "--hex", "abcdef"}).out,
            util::to_hex(crypto::Shake256::hash(msg, 64)) + "\n");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "shake256", "--hex", "abcdef", "--out-len", "5"}).out,
            util::to_hex(crypto::Shake256::hash(msg, 5)) + "\n");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "cshake128", "--hex", "abcdef", "--custom", "tag"}).out,
            util::to_hex(crypto::CShake128::hash(msg, 32, {}, util::as_bytes("tag"))) + "\n");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "kmac256", "--hex", "abcdef", "--key", "0011223344",
                 "--custom", "app", "--out-len", "20"})
                .out,
            util::to_hex(
                crypto::Kmac256::mac(test::unhex("0011223344"), msg, 20, util::as_bytes("app"))) +
                "\n");
}

TEST(CliHash, NistKmacSampleFromTheCommandLine) {
  const CliResult r = run({"crypto", "hash", "--alg", "kmac128", "--hex", "00010203", "--key",
                           "404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F"});
  EXPECT_EQ(r.out, "e5780b0d3ea6f7d3a429c5706aa43a00fadbd7d49628839e3187243f456ee14e\n");
}

TEST(CliHash, ReadsStandardInputAndFiles) {
  const std::string abc_hash = "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532\n";
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-256"}, "abc").out, abc_hash);
  const auto path = std::filesystem::temp_directory_path() / "qpow_cli_test_input.bin";
  {
    std::ofstream f(path, std::ios::binary);
    f << "abc";
  }
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-256", "--file", path.string()}).out, abc_hash);
  // A file larger than one read chunk.
  const std::string big(200000, 'x');
  {
    std::ofstream f(path, std::ios::binary);
    f << big;
  }
  EXPECT_EQ(run({"crypto", "hash", "--alg", "sha3-256", "--file", path.string()}).out,
            util::to_hex(crypto::Sha3_256::hash(util::as_bytes(big))) + "\n");
  std::filesystem::remove(path);
}

TEST(CliHash, SwifftAndQhash) {
  const std::string header_hex(2 * crypto::kQhashHeaderBytes, '0');
  EXPECT_EQ(run({"crypto", "hash", "--alg", "qhash", "--hex", header_hex}).out,
            "f902253b98669030598def5fa0952eca8561c9bc525644e2ca0e9c82c403ab94\n");
  const util::Bytes block = test::unhex("0102030405060708");
  EXPECT_EQ(run({"crypto", "hash", "--alg", "swifft", "--hex", "0102030405060708"}).out,
            util::to_hex(crypto::swifft_pack(*crypto::swifft(block))) + "\n");
  expect_usage_error(run({"crypto", "hash", "--alg", "qhash", "--hex", "00"}),
                     "header must be 280 bytes, got 1");
  expect_usage_error(run({"crypto", "hash", "--alg", "qhash"}, std::string(5000, 'a')),
                     "header must be 280 bytes, got 281");
  expect_usage_error(run({"crypto", "hash", "--alg", "swifft", "--hex", "00"}),
                     "whole 8-byte blocks");
}

TEST(CliHash, BadArgumentsExit2WithOneLine) {
  expect_usage_error(run({"crypto", "hash", "--alg", "md5", "--hex", "00"}), "--alg");
  expect_usage_error(run({"crypto", "hash", "--hex", "00"}), "--alg is required");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "abc"}),
                     "odd number of digits");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "zz"}),
                     "invalid character 'z' at position 0");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "00", "--file", "x"}),
                     "excludes");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "00", "--out-len", "4"}),
                     "--out-len applies only");
  expect_usage_error(run({"crypto", "hash", "--alg", "shake128", "--hex", "00", "--out-len", "0"}),
                     "--out-len must be 1 to 1048576 bytes, got 0");
  expect_usage_error(
      run({"crypto", "hash", "--alg", "shake128", "--hex", "00", "--out-len", "1048577"}),
      "got 1048577");
  expect_usage_error(run({"crypto", "hash", "--alg", "shake128", "--hex", "00", "--out-len", "x"}),
                     "--out-len");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "00", "--custom", "c"}),
                     "--custom applies only");
  expect_usage_error(run({"crypto", "hash", "--alg", "kmac128", "--hex", "00"}), "needs --key");
  expect_usage_error(run({"crypto", "hash", "--alg", "kmac128", "--hex", "00", "--key", "0g"}),
                     "--key: hex: invalid character");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--hex", "00", "--key", "00"}),
                     "--key applies only");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--file", "/nonexistent/x"}),
                     "cannot open '/nonexistent/x'");
  expect_usage_error(run({"crypto", "hash", "--alg", "sha3-256", "--bogus"}), "bogus");
  expect_usage_error(run({"crypto"}), "subcommand");
}

}  // namespace
}  // namespace qpow::app
