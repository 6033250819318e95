// Runs the qpow command line in-process for the app tests and captures what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

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

}  // namespace qpow::test
