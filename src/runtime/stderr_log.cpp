#include "runtime/stderr_log.h"

#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace qpow::runtime {
namespace {

constexpr std::string_view kEllipsis = "...";

// The message as one line of at most kLogMessageBytesMax bytes.
std::string sanitize(std::string_view message) {
  const bool cut = message.size() > kLogMessageBytesMax;
  std::string out(cut ? message.substr(0, kLogMessageBytesMax - kEllipsis.size()) : message);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  if (cut) out += kEllipsis;
  return out;
}

}  // namespace

std::string_view log_level_name(node::LogLevel level) {
  switch (level) {
    case node::LogLevel::kDebug:
      return "debug";
    case node::LogLevel::kInfo:
      return "info";
    case node::LogLevel::kWarning:
      return "warn";
    case node::LogLevel::kError:
      return "error";
  }
  return "?";
}

std::string format_log_line(std::chrono::system_clock::time_point at, node::LogLevel level,
                            std::string_view message) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto since_epoch_ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
  // Floor division, so instants before 1970 still get a millisecond field in [0, 999].
  std::int64_t seconds = since_epoch_ms / 1000;
  std::int64_t millis = since_epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {:<5} {}\n", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis,
                     log_level_name(level), sanitize(message));
}

void StderrLog::write(node::LogLevel level, std::string_view message) {
  if (!enabled(level)) return;
  const std::string line = format_log_line(std::chrono::system_clock::now(), level, message);
  const std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace qpow::runtime
