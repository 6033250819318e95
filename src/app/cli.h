// The `qpow` command line: one entry point that parses arguments with CLI11 and runs a
// subcommand. Each subcommand lives in its own cmd_<name>.cpp and registers itself here.
//
// Exit codes: 0 success, 1 a negative answer that is not an error (e.g. `verify` says invalid),
// 2 a bad argument or unreadable input, with one line on the error stream.
#pragma once

#include <iosfwd>
#include <span>
#include <string>

namespace qpow::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNegative = 1;
inline constexpr int kExitUsage = 2;

// The streams a command reads and writes; main() passes the process's own, tests pass strings.
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Runs `qpow <args...>` (args excludes the program name) and returns the exit code.
int run_cli(std::span<const std::string> args, Io io);

}  // namespace qpow::app
