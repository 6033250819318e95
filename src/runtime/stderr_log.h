// StderrLog: the runtime's log. Each message becomes one line on stderr,
//   2026-11-22T01:02:03.123Z info  peer 3 connected
// a UTC ISO-8601 time with milliseconds, the level padded to five characters, then the message.
// Lines below the configured minimum level are dropped. A message is kept to one line (control
// characters become spaces) and to kLogMessageBytesMax bytes, so a peer-supplied string quoted in
// a message can neither forge extra lines nor flood the terminal.
//
// Thread-safe: lines from different threads never interleave.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "node/env.h"

namespace qpow::runtime {

// Longest message text kept in one line; longer text is cut and ends in "...".
inline constexpr std::size_t kLogMessageBytesMax = 4096;

// "debug", "info", "warn", "error".
std::string_view log_level_name(node::LogLevel level);

// The line for `message` logged at `at`, with its trailing newline.
std::string format_log_line(std::chrono::system_clock::time_point at, node::LogLevel level,
                            std::string_view message);

class StderrLog {
 public:
  explicit StderrLog(node::LogLevel min_level) : min_level_(min_level) {}

  bool enabled(node::LogLevel level) const { return level >= min_level_; }
  // Writes the line for `message` now, if its level is enabled.
  void write(node::LogLevel level, std::string_view message);

 private:
  const node::LogLevel min_level_;
  std::mutex mutex_;  // one line at a time
};

}  // namespace qpow::runtime
