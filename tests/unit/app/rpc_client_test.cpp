// The app's JSON-RPC client against a real http::RpcServer with a toy dispatcher (results, errors
// and their codes, the cookie file, credentials, the response bound at the limit and one past,
// timeouts), against a closed port, and against a canned server that answers what no node
// would (an HTTP error, a body that is not JSON or not JSON-RPC, nesting past the bound).
#include "app/rpc_client.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/json_rpc.h"
#include "http/rpc_auth.h"
#include "http/rpc_server.h"
#include "net/frame.h"

namespace qpow::app {
namespace {

using nlohmann::json;
using util::StatusCode;

constexpr auto kRegtest = primitives::Network::kRegtest;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qpow-rpcc-XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class RpcClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher_.add("echo", [](const json& params) -> http::RpcResult { return params; });
    dispatcher_.add("reject", [](const json&) -> http::RpcResult {
      return http::RpcError{http::kRpcVerifyRejected, "tx-bad-nonce: nonce 3, expected 2"};
    });
    dispatcher_.add("missing", [](const json&) -> http::RpcResult {
      return http::RpcError{http::kRpcInvalidAddressOrKey, "No such block"};
    });
    dispatcher_.add("big",
                    [](const json&) -> http::RpcResult { return json(std::string(1000, 'x')); });
    dispatcher_.add("slow", [](const json&) -> http::RpcResult {
      std::this_thread::sleep_for(std::chrono::milliseconds(800));
      return json(true);
    });
  }

  void start(http::RpcServerConfig config = {}) {
    auto started = http::RpcServer::start(std::move(config), dispatcher_, {});
    ASSERT_TRUE(started.is_ok()) << started.status().to_string();
    server_ = std::move(started).value();
  }

  RpcEndpoint endpoint() const {
    return {.host = "127.0.0.1",
            .port = server_->port(),
            .user = std::string(http::kCookieUser),
            .password = server_->cookie_secret()};
  }

  http::JsonRpcDispatcher dispatcher_;
  std::unique_ptr<http::RpcServer> server_;
};

TEST_F(RpcClientTest, ReturnsTheResult) {
  start();
  const auto result = rpc_call(endpoint(), "echo", json::array({1, "two", nullptr}));
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(*result, json::array({1, "two", nullptr}));
  const auto named = rpc_call(endpoint(), "echo", json{{"a", 1}});
  ASSERT_TRUE(named.is_ok()) << named.status().to_string();
  EXPECT_EQ(*named, json({{"a", 1}}));
}

TEST_F(RpcClientTest, JsonRpcErrorsCarryTheMethodCodeAndMessage) {
  start();
  const auto rejected = rpc_call(endpoint(), "reject", json::array());
  ASSERT_FALSE(rejected.is_ok());
  EXPECT_EQ(rejected.status().message(), "rpc reject: -26 tx-bad-nonce: nonce 3, expected 2");
  const auto missing = rpc_call(endpoint(), "missing", json::array());
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "rpc missing: -5 No such block");
  const auto unknown = rpc_call(endpoint(), "nosuch", json::array());
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(unknown.status().message().rfind("rpc nosuch: -32601 ", 0), 0u)
      << unknown.status().message();
}

TEST_F(RpcClientTest, CookieFileGivesTheCredentials) {
  const TempDir dir;
  start({.cookie_path = (dir.path() / ".cookie").string()});
  const auto endpoint =
      endpoint_from_options(kRegtest, {.datadir = dir.path().string(), .port = server_->port()});
  ASSERT_TRUE(endpoint.is_ok()) << endpoint.status().to_string();
  EXPECT_EQ(endpoint->user, http::kCookieUser);
  EXPECT_EQ(endpoint->password, server_->cookie_secret());
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  const auto result = rpc_call(*endpoint, "echo", json::array({7}));
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(*result, json::array({7}));
}

TEST_F(RpcClientTest, RpcUserAndWrongCredentials) {
  start({.rpc_auth = http::make_rpc_auth("alice", "salt", "secret")});
  const auto alice = endpoint_from_options(
      kRegtest, {.port = server_->port(), .user = "alice", .password = "secret"});
  ASSERT_TRUE(alice.is_ok()) << alice.status().to_string();
  EXPECT_TRUE(rpc_call(*alice, "echo", json::array()).is_ok());
  RpcEndpoint wrong = *alice;
  wrong.password = "guess";
  const auto refused = rpc_call(wrong, "echo", json::array());
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("refused the credentials (HTTP 401)"),
            std::string::npos)
      << refused.status().message();
}

TEST_F(RpcClientTest, ResponseBoundAtTheLimitAndOnePast) {
  start();
  // The exact body the server sends for the client's request (id 1, no params).
  const std::optional<std::string> body =
      dispatcher_.handle(R"({"jsonrpc":"2.0","id":1,"method":"big","params":[]})");
  ASSERT_TRUE(body.has_value());
  const auto at_limit =
      rpc_call(endpoint(), "big", json::array(), {.response_bytes_max = body->size()});
  ASSERT_TRUE(at_limit.is_ok()) << at_limit.status().to_string();
  EXPECT_EQ(*at_limit, std::string(1000, 'x'));
  const auto past =
      rpc_call(endpoint(), "big", json::array(), {.response_bytes_max = body->size() - 1});
  ASSERT_FALSE(past.is_ok());
  EXPECT_EQ(past.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(past.status().message().find("is larger than"), std::string::npos);
  EXPECT_EQ(RpcCallOptions{}.response_bytes_max, kRpcResponseBytesMax);
  EXPECT_EQ(kRpcResponseBytesMax, 64u * 1024 * 1024);
}

TEST_F(RpcClientTest, TimesOutOnASlowAnswer) {
  start();
  const auto started = std::chrono::steady_clock::now();
  const auto slow = rpc_call(endpoint(), "slow", json::array(), {.timeout_ms = 100});
  ASSERT_FALSE(slow.is_ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kTimeout);
  EXPECT_NE(slow.status().message().find("did not answer within 100 ms"), std::string::npos)
      << slow.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(700));
}

// A port nothing listens on: bound, then closed again.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(RpcClient, ConnectionRefusedNamesTheAddress) {
  const std::uint16_t port = closed_port();
  const auto refused = rpc_call({.host = "127.0.0.1", .port = port, .user = "u", .password = "p"},
                                "getblockcount", json::array());
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message(), "cannot reach the node's RPC at 127.0.0.1:" +
                                            std::to_string(port) + ": connection refused");
}

TEST(RpcClient, MissingCookieSaysTheNodeMayNotRun) {
  const TempDir dir;
  const auto endpoint = endpoint_from_options(kRegtest, {.datadir = dir.path().string()});
  ASSERT_FALSE(endpoint.is_ok());
  EXPECT_EQ(endpoint.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(endpoint.status().message(),
            "no RPC cookie at " + (dir.path() / ".cookie").string() +
                ": is the node running? (or pass --rpc-user/--rpc-password)");
}

TEST(RpcClient, EndpointOptions) {
  const TempDir dir;
  const auto given =
      endpoint_from_options(kRegtest, {.host = "localhost", .user = "bob", .password = "pw"});
  ASSERT_TRUE(given.is_ok()) << given.status().to_string();
  EXPECT_EQ(given->host, "localhost");
  EXPECT_EQ(given->port, net::default_rpc_port(kRegtest));
  EXPECT_EQ(given->port, 28632);
  const auto expect_invalid = [](const RpcOptions& options, const std::string& fragment) {
    const auto e = endpoint_from_options(kRegtest, options);
    ASSERT_FALSE(e.is_ok()) << fragment;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find(fragment), std::string::npos) << e.status().message();
  };
  expect_invalid({.user = "bob"}, "--rpc-user needs --rpc-password");
  expect_invalid({.password = "pw"}, "--rpc-password needs --rpc-user");
  expect_invalid({.user = "a:b", .password = "pw"}, "cannot contain ':'");
  expect_invalid({.port = 0, .user = "bob", .password = "pw"}, "--rpc-port");

  const auto write_cookie = [&](const std::string& text) {
    std::ofstream(dir.path() / ".cookie", std::ios::binary) << text;
    return endpoint_from_options(primitives::Network::kMain, {.datadir = dir.path().string()});
  };
  const auto cookie = write_cookie("__cookie__:abc\r\n");
  ASSERT_TRUE(cookie.is_ok()) << cookie.status().to_string();
  EXPECT_EQ(cookie->user, "__cookie__");
  EXPECT_EQ(cookie->password, "abc");
  EXPECT_EQ(cookie->port, 8632);
  EXPECT_EQ(write_cookie("no colon").status().code(), StatusCode::kMalformed);
  EXPECT_EQ(write_cookie(":pw").status().code(), StatusCode::kMalformed);
  EXPECT_EQ(write_cookie("user:").status().code(), StatusCode::kMalformed);
  EXPECT_TRUE(write_cookie("u:" + std::string(kCookieFileBytesMax - 2, 'p')).is_ok());
  EXPECT_EQ(write_cookie("u:" + std::string(kCookieFileBytesMax - 1, 'p')).status().code(),
            StatusCode::kMalformed);
}

// Accepts one connection on a loopback port, reads the request head and body, answers `reply`
// as raw bytes (or nothing, when it is empty, until the client hangs up), and closes.
class CannedServer {
 public:
  explicit CannedServer(std::string reply) : reply_(std::move(reply)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    socklen_t length = sizeof addr;
    EXPECT_EQ(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    thread_.join();
    ::close(listen_fd_);
  }
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  RpcEndpoint endpoint() const {
    return {.host = "127.0.0.1", .port = port_, .user = "u", .password = "p"};
  }

 private:
  static constexpr int kWaitMs = 5000;

  void serve() {
    pollfd p{.fd = listen_fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, kWaitMs) <= 0) return;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    std::string request;
    char chunk[4096];
    // The client's request is small and sent at once; read until the client stops sending.
    for (pollfd c{.fd = fd, .events = POLLIN, .revents = 0}; ::poll(&c, 1, 200) > 0;) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      request.append(chunk, static_cast<std::size_t>(n));
    }
    if (!reply_.empty()) {
      EXPECT_EQ(::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL),
                static_cast<ssize_t>(reply_.size()));
    } else {
      pollfd c{.fd = fd, .events = POLLIN, .revents = 0};
      (void)::poll(&c, 1, kWaitMs);  // until the client gives up and closes
    }
    ::close(fd);
  }

  std::string reply_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

std::string http_reply(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

util::Status canned_call(const std::string& reply, std::size_t response_bytes_max = 1 << 20) {
  CannedServer server(reply);
  return rpc_call(server.endpoint(), "m", json::array(),
                  {.timeout_ms = 2000, .response_bytes_max = response_bytes_max})
      .status();
}

TEST(RpcClient, ResponseBoundHoldsForEveryFraming) {
  const std::string body = R"({"result":"0123456789"})";  // 23 bytes
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n17\r\n" + body + "\r\n0\r\n\r\n";
  const std::string to_eof = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body;
  for (const std::string& reply : {http_reply(200, body), chunked, to_eof}) {
    EXPECT_TRUE(canned_call(reply, body.size()).is_ok()) << reply;
    EXPECT_EQ(canned_call(reply, body.size() - 1).code(), StatusCode::kOutOfRange) << reply;
  }
}

TEST(RpcClient, RefusesAnswersNoNodeWouldGive) {
  const auto expect = [](const util::Status& s, StatusCode code, const std::string& fragment) {
    EXPECT_EQ(s.code(), code) << s.to_string();
    EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
  };
  expect(canned_call(http_reply(500, "boom\nline")), StatusCode::kUnavailable,
         "answered HTTP 500: boom line");
  expect(canned_call(http_reply(200, "{not json")), StatusCode::kMalformed, "not JSON");
  expect(canned_call(http_reply(200, "[1]")), StatusCode::kMalformed, "not a JSON-RPC object");
  expect(canned_call(http_reply(200, R"({"jsonrpc":"2.0","id":1})")), StatusCode::kMalformed,
         "has no result");
  expect(canned_call(http_reply(200, R"({"id":1,"error":{"code":"x"}})")), StatusCode::kMalformed,
         "malformed error");
  const std::string nested_ok =
      std::string(http::kJsonDepthMax - 1, '[') + std::string(http::kJsonDepthMax - 1, ']');
  const std::string nested_past =
      std::string(http::kJsonDepthMax, '[') + std::string(http::kJsonDepthMax, ']');
  EXPECT_TRUE(canned_call(http_reply(200, R"({"result":)" + nested_ok + "}")).is_ok());
  expect(canned_call(http_reply(200, R"({"result":)" + nested_past + "}")), StatusCode::kMalformed,
         "deeper than");
  expect(canned_call("garbage\r\n\r\n"), StatusCode::kUnavailable, "reading the answer");
}

TEST(RpcClient, TimesOutWhenNoAnswerComes) {
  CannedServer silent("");
  const auto result = rpc_call(silent.endpoint(), "m", json::array(), {.timeout_ms = 300});
  EXPECT_EQ(result.status().code(), StatusCode::kTimeout) << result.status().to_string();
}

}  // namespace
}  // namespace qpow::app
