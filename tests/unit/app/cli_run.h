// Runs the qpow command line in-process for the app tests and captures what it prints.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/cli.h"

namespace qpow::test {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult run(std::vector<std::string> args, const std::string& stdin_text = {}) {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  const int code = app::run_cli(args, {in, out, err});
  return {code, out.str(), err.str()};
}

// A failed command: exit `code`, nothing on standard output, and exactly one line
// "qpow: error: ..." on standard error that contains `fragment`.
inline void expect_error(const CliResult& r, int code, const std::string& fragment) {
  EXPECT_EQ(r.code, code) << r.out << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("qpow: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

}  // namespace qpow::test
