// The runtime's small helpers: the log line format (UTC ISO-8601 time, padded level, one line,
// bounded length) and host:port splitting and resolution.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "net/peer_address.h"
#include "runtime/resolve.h"
#include "runtime/stderr_log.h"

namespace qpow::runtime {
namespace {

using namespace std::chrono_literals;

// 2026-11-22T01:02:03.123Z (1795309323 s since the epoch, from Python's calendar.timegm).
const std::chrono::system_clock::time_point kSample =
    std::chrono::system_clock::time_point(1795309323s + 123ms);

TEST(StderrLogTest, FormatsOneUtcLine) {
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kInfo, "message"),
            "2026-11-22T01:02:03.123Z info  message\n");
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kWarning, "w"),
            "2026-11-22T01:02:03.123Z warn  w\n");
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kError, "e"),
            "2026-11-22T01:02:03.123Z error e\n");
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kDebug, "d"),
            "2026-11-22T01:02:03.123Z debug d\n");
  EXPECT_EQ(format_log_line(std::chrono::system_clock::time_point{}, node::LogLevel::kInfo, ""),
            "1970-01-01T00:00:00.000Z info  \n");
}

TEST(StderrLogTest, KeepsAMessageOnOneBoundedLine) {
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kInfo, "a\nfake line\r\x1b"),
            "2026-11-22T01:02:03.123Z info  a fake line  \n");
  const std::string prefix = "2026-11-22T01:02:03.123Z info  ";
  const std::string at_bound(kLogMessageBytesMax, 'x');
  EXPECT_EQ(format_log_line(kSample, node::LogLevel::kInfo, at_bound), prefix + at_bound + "\n");
  const std::string line =
      format_log_line(kSample, node::LogLevel::kInfo, std::string(kLogMessageBytesMax + 1, 'x'));
  EXPECT_EQ(line.size(), prefix.size() + kLogMessageBytesMax + 1);
  EXPECT_EQ(line.substr(line.size() - 4), "...\n");
}

TEST(StderrLogTest, MinimumLevel) {
  StderrLog log(node::LogLevel::kWarning);
  EXPECT_FALSE(log.enabled(node::LogLevel::kDebug));
  EXPECT_FALSE(log.enabled(node::LogLevel::kInfo));
  EXPECT_TRUE(log.enabled(node::LogLevel::kWarning));
  EXPECT_TRUE(log.enabled(node::LogLevel::kError));
}

TEST(ResolveTest, SplitsHostAndPort) {
  const auto split = [](std::string_view text) { return split_host_port(text, 28633); };
  EXPECT_EQ(split("localhost:8633")->host, "localhost");
  EXPECT_EQ(split("localhost:8633")->port, 8633);
  EXPECT_EQ(split("localhost")->port, 28633);
  EXPECT_EQ(split("1.2.3.4:0")->port, 0);
  EXPECT_EQ(split("h:65535")->port, 65535);
  EXPECT_EQ(split("[::1]:5")->host, "::1");
  EXPECT_EQ(split("[::1]:5")->port, 5);
  EXPECT_EQ(split("[::1]")->port, 28633);
  EXPECT_EQ(split("::1")->host, "::1");  // bare IPv6, no port
  EXPECT_EQ(split("::1")->port, 28633);
  EXPECT_EQ(split(std::string(kHostNameBytesMax, 'a'))->host.size(), kHostNameBytesMax);

  for (const std::string_view bad :
       {"", ":5", "[]:5", "[::1", "[::1]x", "[::1]:", "h:", "h:65536", "h:-1", "h:1a", "h: 1"}) {
    const auto r = split(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.status().code(), util::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(split(std::string(kHostNameBytesMax + 1, 'a')).is_ok());
}

TEST(ResolveTest, ResolvesNumericAndLocalNames) {
  auto v4 = resolve("127.0.0.1:7", 1);
  ASSERT_TRUE(v4.is_ok()) << v4.status().to_string();
  EXPECT_EQ(*v4, std::vector<net::PeerAddress>{net::ipv4_address(127, 0, 0, 1, 7)});

  auto v6 = resolve("[::1]:3", 1);
  ASSERT_TRUE(v6.is_ok()) << v6.status().to_string();
  ASSERT_EQ(v6->size(), 1u);
  EXPECT_TRUE(v6->front().is_loopback());
  EXPECT_FALSE(v6->front().is_ipv4());
  EXPECT_EQ(v6->front().port, 3);

  auto local = resolve("localhost", 9);
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  EXPECT_EQ(local->front(), net::ipv4_address(127, 0, 0, 1, 9));  // IPv4 first

  EXPECT_EQ(resolve("h:99999", 1).status().code(), util::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace qpow::runtime
