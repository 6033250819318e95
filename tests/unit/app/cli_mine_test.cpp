// `qpow mine` and `qpow bench mine`, run in-process: standalone regtest mining into a temporary
// data directory with each strategy (a second run resumes the chain), the JSON of both bench
// forms, and the exit-code contract (2 and exactly one line on the error stream for every
// malformed or refused argument, each bound tested just past it).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/search_options.h"
#include "cli_run.h"
#include "consensus/chain_params.h"
#include "primitives/address.h"

namespace qpow::app {
namespace {

using qpow::test::CliResult;
using qpow::test::run;

class CliMine : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "qpow-mine-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  CliResult mine(const std::string& strategy, const std::string& blocks,
                 std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {
        "mine", "--standalone", "--datadir", root_.string(), "--blocks",
        blocks, "--strategy",   strategy,    "--threads",    "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  std::filesystem::path root_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of `key=` in a `key=value key=value` line.
std::string field(const std::string& line, const std::string& key) {
  std::istringstream in(line);
  for (std::string word; in >> word;) {
    if (word.rfind(key + "=", 0) == 0) return word.substr(key.size() + 1);
  }
  ADD_FAILURE() << "no " << key << " in: " << line;
  return {};
}

void expect_usage_error(const CliResult& r, const std::string& fragment) {
  EXPECT_EQ(r.code, kExitUsage) << r.out << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("qpow: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

void expect_block_lines(const std::string& out, std::uint64_t first_height, std::size_t count) {
  const std::vector<std::string> lines = lines_of(out);
  ASSERT_EQ(lines.size(), count) << out;
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(field(lines[i], "height"), std::to_string(first_height + i)) << lines[i];
    EXPECT_EQ(field(lines[i], "hash").size(), 64u) << lines[i];
    EXPECT_GE(std::stoull(field(lines[i], "hashes")), 1u) << lines[i];
    EXPECT_FALSE(field(lines[i], "nonce").empty());
    EXPECT_FALSE(field(lines[i], "seconds").empty());
    EXPECT_FALSE(field(lines[i], "hashes_per_second").empty());
  }
}

TEST_F(CliMine, StandaloneMinesAndResumesWithEachStrategy) {
  const CliResult first = mine("linear", "2");
  ASSERT_EQ(first.code, kExitOk) << first.err;
  EXPECT_TRUE(first.err.empty()) << first.err;
  expect_block_lines(first.out, 1, 2);
  EXPECT_TRUE(std::filesystem::is_directory(root_ / "regtest" / "chain"));

  const CliResult second = mine("omega-prm", "2", {"--branching-bits", "2", "--batch", "64"});
  ASSERT_EQ(second.code, kExitOk) << second.err;
  expect_block_lines(second.out, 3, 2);  // heights go on: the second run built on the first's tip
}

TEST_F(CliMine, MinerAddressIsChecked) {
  const consensus::ChainParams& params = consensus::chain_params(primitives::Network::kRegtest);
  const crypto::KeyPair dev = consensus::dev_keypair(params);
  const std::string address =
      primitives::Address::from_public_key(params.dev_key_scheme, dev.public_key)
          .to_string(primitives::Network::kRegtest);
  const CliResult ok = mine("linear", "1", {"--miner-address", address});
  ASSERT_EQ(ok.code, kExitOk) << ok.err;
  const std::string main_address =
      primitives::Address::from_public_key(params.dev_key_scheme, dev.public_key)
          .to_string(primitives::Network::kMain);
  expect_usage_error(mine("linear", "1", {"--miner-address", main_address}), "--miner-address");
}

TEST_F(CliMine, RefusesWhatStandaloneMiningCannotDo) {
  // Without --standalone, mining needs a running node: no cookie in the datadir means none.
  const CliResult no_node = run({"mine", "--datadir", root_.string()});
  EXPECT_EQ(no_node.code, kExitNegative);
  EXPECT_NE(no_node.err.find("no RPC cookie"), std::string::npos) << no_node.err;
  EXPECT_NE(no_node.err.find("--standalone"), std::string::npos) << no_node.err;
  expect_usage_error(mine("linear", "1", {"--network", "main"}), "regtest only");
  expect_usage_error(mine("linear", "1", {"--network", "test"}), "regtest only");
  expect_usage_error(mine("linear", "1", {"--network", "moon"}), "--network");
  expect_usage_error(mine("sideways", "1"), "--strategy");
  expect_usage_error(mine("linear", "0"), "--blocks: 0 is out of range");
  expect_usage_error(mine("linear", "1001"), "--blocks: 1001 is out of range");
  expect_usage_error(mine("linear", "-1"), "--blocks: '-1' is negative");
  expect_usage_error(run({"mine", "--standalone", "--datadir", root_.string(), "--threads", "0"}),
                     "--threads: 0 is out of range");
  expect_usage_error(mine("linear", "1", {"--exploration", "2"}), "only to --strategy omega-prm");
  expect_usage_error(mine("omega-prm", "1", {"--branching-bits", "9"}), "--branching-bits");
  expect_usage_error(mine("omega-prm", "1", {"--batch", "0"}), "--batch");
  expect_usage_error(mine("omega-prm", "1", {"--prune-threshold", "1.5"}), "--prune-threshold");
  expect_usage_error(mine("omega-prm", "1", {"--exploration", "-1"}), "--exploration");
  // Nothing was created for a refused command.
  EXPECT_FALSE(std::filesystem::exists(root_ / "regtest"));
}

nlohmann::json parse_json(const CliResult& r) {
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
  return nlohmann::json::accept(r.out) ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

TEST(CliBench, HashRateJson) {
  for (const std::string strategy : {"linear", "omega-prm"}) {
    const nlohmann::json j = parse_json(run(
        {"bench", "mine", "--strategy", strategy, "--threads", "2", "--seconds", "0.3", "--json"}));
    EXPECT_EQ(j.value("strategy", ""), strategy);
    EXPECT_EQ(j.value("threads", 0), 2);
    EXPECT_GT(j.value("hashes", std::uint64_t{0}), 0u);
    EXPECT_GE(j.value("seconds", 0.0), 0.3);
    EXPECT_GT(j.value("hashes_per_second", 0.0), 0.0);
    EXPECT_EQ(j.contains("tree_nodes"), strategy == "omega-prm");
    EXPECT_EQ(j.contains("prunes"), strategy == "omega-prm");
  }
}

TEST(CliBench, ThreadsAtTheUpperBound) {
  const nlohmann::json j =
      parse_json(run({"bench", "mine", "--threads", std::to_string(kMineThreadsMax), "--seconds",
                      "0.05", "--json"}));
  EXPECT_EQ(j.value("threads", std::size_t{0}), kMineThreadsMax);
}

TEST(CliBench, HashRateTable) {
  const CliResult r = run({"bench", "mine", "--seconds", "0.05"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("strategy           linear\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("hashes_per_second"), std::string::npos) << r.out;
}

TEST(CliBench, CompareJson) {
  const nlohmann::json j = parse_json(
      run({"bench", "mine", "--compare", "--puzzles", "20", "--difficulty-bits", "6", "--json"}));
  EXPECT_EQ(j.value("puzzles", 0), 20);
  EXPECT_EQ(j.value("difficulty_bits", 0), 6);
  EXPECT_EQ(j.value("threads", 0), 1);
  ASSERT_TRUE(j.contains("strategies")) << j.dump();
  for (const char* name : {"linear", "omega-prm"}) {
    ASSERT_TRUE(j["strategies"].contains(name)) << j.dump();
    const nlohmann::json& s = j["strategies"][name];
    for (const char* key : {"mean_hashes", "ci95_low", "ci95_high", "mean_seconds",
                            "seconds_ci95_low", "seconds_ci95_high", "hashes_per_second"}) {
      EXPECT_TRUE(s.contains(key) && s[key].is_number()) << name << " " << key;
    }
    EXPECT_LE(s["ci95_low"].get<double>(), s["mean_hashes"].get<double>());
    EXPECT_GE(s["ci95_high"].get<double>(), s["mean_hashes"].get<double>());
    ASSERT_TRUE(s.contains("gof_p_value"));
    EXPECT_TRUE(s["gof_p_value"].is_number()) << s.dump();
  }
  EXPECT_GT(j.value("ratio_of_means", 0.0), 0.0);
  EXPECT_GT(j.value("ratio_of_mean_seconds", 0.0), 0.0);
}

TEST(CliBench, CompareAtTheLowestBoundsAndAsATable) {
  const CliResult r = run({"bench", "mine", "--compare", "--puzzles", "2", "--difficulty-bits", "1",
                           "--threads", "2", "--seed", "9"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("omega-prm / linear"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("n/a"), std::string::npos) << r.out;  // two puzzles are too few to fit
}

void expect_bench_usage_error(std::vector<std::string> extra, const std::string& fragment) {
  std::vector<std::string> args = {"bench", "mine"};
  args.insert(args.end(), extra.begin(), extra.end());
  expect_usage_error(run(args), fragment);
}

TEST(CliBench, BadArguments) {
  expect_bench_usage_error({"--strategy", "sideways"}, "--strategy");
  expect_bench_usage_error({"--threads", "0"}, "--threads: 0 is out of range");
  expect_bench_usage_error({"--threads", "-3"}, "--threads: '-3' is negative");
  expect_bench_usage_error({"--threads", std::to_string(kMineThreadsMax + 1)}, "--threads");
  expect_bench_usage_error({"--seconds", "0"}, "--seconds: 0 is out of range");
  expect_bench_usage_error({"--seconds", "86400.5"}, "--seconds");
  expect_bench_usage_error({"--seconds", "-1"}, "--seconds");
  expect_bench_usage_error({"--seconds", "abc"}, "--seconds");
  expect_bench_usage_error({"--puzzles", "5"}, "--puzzles applies only to --compare");
  expect_bench_usage_error({"--batch", "64"}, "only to --strategy omega-prm");

  expect_bench_usage_error({"--compare", "--difficulty-bits", "0"}, "--difficulty-bits: 0");
  expect_bench_usage_error({"--compare", "--difficulty-bits", "41"}, "--difficulty-bits: 41");
  expect_bench_usage_error({"--compare", "--puzzles", "1"}, "--puzzles: 1 is out of range");
  expect_bench_usage_error({"--compare", "--puzzles", "1000001"}, "--puzzles: 1000001");
  expect_bench_usage_error({"--compare", "--puzzles", "-1"}, "--puzzles: '-1' is negative");
  expect_bench_usage_error({"--compare", "--seed", "-1"}, "--seed: '-1' is negative");
  expect_bench_usage_error({"--compare", "--threads", "0"}, "--threads");
  expect_bench_usage_error({"--compare", "--seconds", "1"}, "--seconds applies only");
  expect_bench_usage_error({"--compare", "--strategy", "linear"}, "--strategy does not apply");
  expect_bench_usage_error({"--compare", "--branching-bits", "0"}, "--branching-bits");
  expect_usage_error(run({"bench"}), "subcommand");
}

}  // namespace
}  // namespace qpow::app
