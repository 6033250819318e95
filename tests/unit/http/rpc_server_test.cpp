// The RPC server over real loopback HTTP with a toy dispatcher: every guard (Host, auth, content
// type, method, sizes at the limit and one past, slow clients, connection limit), the probes,
// keep-alive, 100-continue, and the cookie file's mode and lifetime.
#include "http/rpc_server.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "http/rpc_auth.h"
#include "unit/http/http_test_client.h"
#include "util/bytes.h"

namespace qpow::http {
namespace {

using nlohmann::json;
using test::HttpReply;
using test::make_request;
using test::TestConnection;

constexpr std::string_view kEcho = R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":1})";

class RpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher.add("echo", [](const json& params) -> RpcResult { return params; });
  }

  void start(RpcServerConfig config = {}, ServerHooks hooks = {}) {
    auto started = RpcServer::start(std::move(config), dispatcher, std::move(hooks));
    ASSERT_TRUE(started.is_ok()) << started.status().to_string();
    server = std::move(started).value();
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(server->port()); }
  std::string auth_header() const {
    return "Authorization: Basic " +
           base64_encode(util::as_bytes("__cookie__:" + server->cookie_secret())) + "\r\n";
  }
  std::string post(std::string_view body, std::string_view extra = "") const {
    return make_request("POST", "/", host(),
                        auth_header() + "Content-Type: application/json\r\n" + std::string(extra),
                        body);
  }

  // Sends one request on a fresh connection and returns the response.
  HttpReply exchange(const std::string& request) {
    TestConnection c(server->port());
    EXPECT_TRUE(c.connected());
    EXPECT_TRUE(c.send(request));
    auto reply = c.read_reply();
    EXPECT_TRUE(reply.has_value()) << request.substr(0, 200);
    return reply.value_or(HttpReply{});
  }

  JsonRpcDispatcher dispatcher;
  std::unique_ptr<RpcServer> server;
};

TEST_F(RpcServerTest, GoodCookieGetsTheJsonRpcResult) {
  start();
  const HttpReply reply = exchange(post(kEcho));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(json::parse(reply.body)["result"], json::parse("[1]"));
}

TEST_F(RpcServerTest, JsonRpcErrorsAndParseErrorsAreHttp200) {
  start();
  const HttpReply unknown = exchange(post(R"({"jsonrpc":"2.0","method":"x","id":1})"));
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(json::parse(unknown.body)["error"]["code"], kRpcMethodNotFound);
  const HttpReply garbage = exchange(post("{not json"));
  EXPECT_EQ(garbage.status, 200);
  EXPECT_EQ(json::parse(garbage.body)["error"]["code"], kRpcParseError);
}

TEST_F(RpcServerTest, NotificationGets204) {
  start();
  EXPECT_EQ(exchange(post(R"({"jsonrpc":"2.0","method":"echo"})")).status, 204);
}

TEST_F(RpcServerTest, WrongHostIs403EvenForProbes) {
  start();
  const std::string headers = auth_header() + "Content-Type: application/json\r\n";
  const HttpReply reply = exchange(make_request("POST", "/", "evil.example", headers, kEcho));
  EXPECT_EQ(reply.status, 403);
  EXPECT_NE(reply.body.find("host not allowed"), std::string::npos);
  EXPECT_EQ(exchange(make_request("GET", "/health", "evil.example:80", "", "")).status, 403);
  EXPECT_EQ(exchange(make_request("POST", "/", "", headers, kEcho)).status, 403);
  EXPECT_EQ(exchange(make_request("GET", "/health", "localhost", "", "")).status, 200);
}

TEST_F(RpcServerTest, MissingOrBadAuthIs401WithChallenge) {
  start();
  const HttpReply none =
      exchange(make_request("POST", "/", host(), "Content-Type: application/json\r\n", kEcho));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Basic realm=\"qpow\"");
  const std::string wrong = "Authorization: Basic " +
                            base64_encode(util::as_bytes("__cookie__:nope")) +
                            "\r\nContent-Type: application/json\r\n";
  EXPECT_EQ(exchange(make_request("POST", "/", host(), wrong, kEcho)).status, 401);
}

TEST_F(RpcServerTest, RpcAuthUserWorksAndWrongPasswordFails) {
  start({.rpc_auth = make_rpc_auth("alice", "salt", "correct horse")});
  const auto as = [&](std::string_view user_password) {
    return make_request("POST", "/", host(),
                        "Authorization: Basic " + base64_encode(util::as_bytes(user_password)) +
                            "\r\nContent-Type: application/json\r\n",
                        kEcho);
  };
  EXPECT_EQ(exchange(as("alice:correct horse")).status, 200);
  EXPECT_EQ(exchange(as("alice:correct horsf")).status, 401);
  EXPECT_EQ(exchange(as("mallory:correct horse")).status, 401);
  EXPECT_EQ(exchange(post(kEcho)).status, 200);  // the cookie still works
}

TEST_F(RpcServerTest, MalformedRpcAuthFailsStart) {
  EXPECT_FALSE(RpcServer::start({.rpc_auth = "alice"}, dispatcher, {}).is_ok());
}

TEST_F(RpcServerTest, WrongContentTypeIs415) {
  start();
  const std::string text =
      make_request("POST", "/", host(), auth_header() + "Content-Type: text/plain\r\n", kEcho);
  EXPECT_EQ(exchange(text).status, 415);
  const std::string none = make_request("POST", "/", host(), auth_header(), kEcho);
  EXPECT_EQ(exchange(none).status, 415);
  EXPECT_EQ(exchange(post(kEcho, "")).status, 200);
  const std::string charset =
      make_request("POST", "/", host(),
                   auth_header() + "Content-Type: application/json; charset=utf-8\r\n", kEcho);
  EXPECT_EQ(exchange(charset).status, 200);
}

TEST_F(RpcServerTest, OtherMethodsAre405) {
  start();
  const HttpReply get = exchange(make_request("GET", "/", host(), auth_header(), ""));
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("allow"), "POST");
  EXPECT_EQ(exchange(make_request("DELETE", "/", host(), auth_header(), "")).status, 405);
  EXPECT_EQ(exchange(make_request("POST", "/health", host(), "", "")).status, 405);
  EXPECT_EQ(exchange(make_request("GET", "/wallet", host(), "", "")).status, 404);
}

TEST_F(RpcServerTest, BodyAtTheLimitIsReadAndOnePastIs413) {
  start({.body_bytes_max = 4096});
  // A valid request padded with spaces to exactly the limit.
  std::string body(kEcho);
  body += std::string(4096 - body.size(), ' ');
  EXPECT_EQ(exchange(post(body)).status, 200);
  body += ' ';
  EXPECT_EQ(exchange(post(body)).status, 413);
}

TEST_F(RpcServerTest, ChunkedBodyOverTheLimitIs413) {
  start({.body_bytes_max = 1000});
  TestConnection c(server->port());
  const std::string head = "POST / HTTP/1.1\r\nHost: " + host() + "\r\n" + auth_header() +
                           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE(c.send(head + "3e8\r\n" + std::string(1000, ' ') + "\r\n1\r\n \r\n0\r\n\r\n"));
  const auto reply = c.read_reply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
}

// The limit counts the whole head: request line, fields and the blank line that ends them.
TEST_F(RpcServerTest, HeaderAtTheLimitIsReadAndOnePastIs431) {
  constexpr std::size_t kLimit = 2048;
  start({.header_bytes_max = kLimit});
  const auto padded = [&](std::size_t head_bytes) {
    const std::string bare = post(kEcho, "X-Pad: \r\n");
    const std::size_t bare_head = bare.find("\r\n\r\n") + 4;
    return post(kEcho, "X-Pad: " + std::string(head_bytes - bare_head, 'a') + "\r\n");
  };
  EXPECT_EQ(exchange(padded(kLimit)).status, 200);
  EXPECT_EQ(exchange(padded(kLimit + 1)).status, 431);
  EXPECT_EQ(exchange(padded(4 * kLimit)).status, 431);
}

TEST_F(RpcServerTest, Probes) {
  bool ready = true;
  start({}, {.ready = [&ready] { return ready; },
             .metrics_text = [] { return std::string("qpow_test 1\n"); }});
  const HttpReply health = exchange(make_request("GET", "/health", host(), "", ""));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  EXPECT_EQ(exchange(make_request("GET", "/ready", host(), "", "")).status, 200);
  ready = false;
  EXPECT_EQ(exchange(make_request("GET", "/ready", host(), "", "")).status, 503);
  const HttpReply metrics = exchange(make_request("GET", "/metrics", host(), "", ""));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4");
  EXPECT_EQ(metrics.body, "qpow_test 1\n");
  // The dashboard page reads /metrics; it is served without credentials, behind the Host check.
  const HttpReply page = exchange(make_request("GET", "/dashboard", host(), "", ""));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("fetch(\"/metrics\""), std::string::npos);
  EXPECT_EQ(exchange(make_request("GET", "/dashboard", "evil.example", "", "")).status, 403);
}

TEST_F(RpcServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  TestConnection c(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(post(kEcho)));
    const auto reply = c.read_reply();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->status, 200);
  }
  // Two requests sent back to back are answered in order.
  ASSERT_TRUE(c.send(post(kEcho) + make_request("GET", "/health", host(), "", "")));
  EXPECT_EQ(c.read_reply()->status, 200);
  EXPECT_EQ(c.read_reply()->body, R"({"status":"ok"})");
}

TEST_F(RpcServerTest, RefusalClosesTheConnection) {
  start();
  TestConnection c(server->port());
  ASSERT_TRUE(c.send(make_request("POST", "/", "evil", "", kEcho)));
  EXPECT_EQ(c.read_reply()->status, 403);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(RpcServerTest, ExpectContinueGets100BeforeTheBody) {
  start();
  TestConnection c(server->port());
  const std::string request = post(kEcho, "Expect: 100-continue\r\n");
  const std::size_t head_end = request.find("\r\n\r\n") + 4;
  ASSERT_TRUE(c.send(request.substr(0, head_end)));
  const auto interim = c.read_reply();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send(request.substr(head_end)));
  EXPECT_EQ(c.read_reply()->status, 200);
}

TEST_F(RpcServerTest, SlowClientIsClosedAtTheTimeout) {
  start({.request_timeout_ms = 200});
  TestConnection c(server->port());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: "));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer(3000));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
  // An idle keep-alive connection is closed after the timeout too.
  TestConnection idle(server->port());
  ASSERT_TRUE(idle.send(post(kEcho)));
  EXPECT_EQ(idle.read_reply()->status, 200);
  EXPECT_TRUE(idle.closed_by_peer(3000));
}

TEST_F(RpcServerTest, ConnectionsOverTheLimitAreClosed) {
  start({.connections_max = 2});
  auto first = std::make_unique<TestConnection>(server->port());
  TestConnection second(server->port());
  for (TestConnection* c : {first.get(), &second}) {
    ASSERT_TRUE(c->send(post(kEcho)));
    ASSERT_EQ(c->read_reply()->status, 200);
  }
  TestConnection third(server->port());
  EXPECT_TRUE(third.closed_by_peer());
  // The two within the limit still work; once one leaves, a new connection is served.
  ASSERT_TRUE(second.send(post(kEcho)));
  EXPECT_EQ(second.read_reply()->status, 200);
  ASSERT_TRUE(first->send(make_request("GET", "/health", host(), "Connection: close\r\n", "")));
  EXPECT_EQ(first->read_reply()->status, 200);
  EXPECT_TRUE(first->closed_by_peer());
  first.reset();
  // The server notices the closed connection asynchronously; retry for a while.
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    TestConnection fourth(server->port());
    if (fourth.send(post(kEcho))) {
      const auto reply = fourth.read_reply(200);
      served = reply && reply->status == 200;
    }
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(served);
}

TEST_F(RpcServerTest, CookieFileIsPrivateAndRemovedAtStop) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("qpow_http_cookie_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / ".cookie").string();
  start({.cookie_path = path});
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "__cookie__:" + server->cookie_secret() + "\n");
  EXPECT_EQ(server->cookie_secret().size(), 64u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  // The secret in the file is what authenticates.
  EXPECT_EQ(exchange(post(kEcho)).status, 200);
  server->stop();
  EXPECT_FALSE(std::filesystem::exists(path));
  server->stop();  // idempotent
  std::filesystem::remove_all(dir);
}

TEST_F(RpcServerTest, StopLetsARequestBeingAnsweredFinish) {
  std::atomic<bool> entered{false};
  dispatcher.add("slow", [&entered](const json&) -> RpcResult {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return json("done");
  });
  start();
  TestConnection c(server->port());
  ASSERT_TRUE(c.send(post(R"({"jsonrpc":"2.0","method":"slow","id":1})")));
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread stopper([this] { server->stop(); });
  const auto reply = c.read_reply();
  stopper.join();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(json::parse(reply->body)["result"], "done");
  // Nothing is accepted any more.
  TestConnection late(server->port());
  EXPECT_FALSE(late.connected() && late.send(post(kEcho)) && late.read_reply(500).has_value());
}

TEST_F(RpcServerTest, EachStartHasAFreshCookie) {
  start();
  const std::string first = server->cookie_secret();
  server.reset();
  start();
  EXPECT_NE(server->cookie_secret(), first);
}

TEST_F(RpcServerTest, BadConfigFailsStart) {
  EXPECT_FALSE(RpcServer::start({.bind_address = "localhost"}, dispatcher, {}).is_ok());
  EXPECT_FALSE(RpcServer::start({.connections_max = 0}, dispatcher, {}).is_ok());
  EXPECT_FALSE(
      RpcServer::start({.cookie_path = "/nonexistent-dir/x/.cookie"}, dispatcher, {}).is_ok());
  start();
  // The same port twice cannot be bound... unless SO_REUSEADDR lets it; a listening port never.
  EXPECT_FALSE(RpcServer::start({.port = server->port()}, dispatcher, {}).is_ok());
}

TEST_F(RpcServerTest, ConcurrentClients) {
  start();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      TestConnection c(server->port());
      for (int i = 0; i < 20; ++i) {
        if (!c.send(post(kEcho))) return;
        const auto reply = c.read_reply();
        if (reply && reply->status == 200) ++ok;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ok.load(), 160);
}

}  // namespace
}  // namespace qpow::http
