// The pure parts of the server's guards: base64 (RFC 4648 §10 vectors), rpc_auth lines, Basic
// credentials, the Host allow-list, content types and the order of the checks.
#include "http/request_guard.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/rpc_auth.h"
#include "util/bytes.h"

namespace qpow::http {
namespace {

std::string decode_text(std::string_view text) {
  auto bytes = base64_decode(text);
  EXPECT_TRUE(bytes.is_ok()) << text;
  return bytes.is_ok() ? std::string(bytes->begin(), bytes->end()) : "";
}

TEST(Base64, Rfc4648TestVectors) {
  // RFC 4648 §10.
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(util::as_bytes(plain)), encoded);
    EXPECT_EQ(decode_text(encoded), plain);
  }
}

TEST(Base64, RejectsNonCanonicalAndMalformed) {
  for (const char* bad :
       {"Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm=v", "=Zm9", "Zm9v!A==", "Zg==Zg==", "Zm 9v"}) {
    EXPECT_FALSE(base64_decode(bad).is_ok()) << bad;
  }
}

TEST(RpcAuth, MakeAndParseRoundTrip) {
  const std::string line = make_rpc_auth("alice", "s4lt", "hunter2");
  auto entry = parse_rpc_auth(line);
  ASSERT_TRUE(entry.is_ok()) << entry.status().to_string();
  EXPECT_EQ(entry->user, "alice");
  EXPECT_EQ(entry->salt, "s4lt");
  // SHA3-256("s4lt" || "hunter2") as the documented format says.
  const auto expected = crypto::Sha3_256::hash(util::as_bytes("s4lthunter2"));
  EXPECT_EQ(entry->hash, expected);
}

TEST(RpcAuth, RejectsMalformedLines) {
  const std::string hash(64, 'a');
  for (const std::string& bad : std::vector<std::string>{
           "alice", "alice:salt", ":salt$" + hash, "alice:$" + hash,
           "alice:salt$" + std::string(63, 'a'), "alice:salt$" + std::string(64, 'g'),
           "alice$" + hash + ":x", std::string(kRpcAuthFieldBytesMax + 1, 'u') + ":s$" + hash}) {
    EXPECT_FALSE(parse_rpc_auth(bad).is_ok()) << bad;
  }
  EXPECT_TRUE(parse_rpc_auth(std::string(kRpcAuthFieldBytesMax, 'u') + ":s$" + hash).is_ok());
}

std::string basic(std::string_view user_password) {
  return "Basic " + base64_encode(util::as_bytes(user_password));
}

TEST(RpcCredentials, CookieAndRpcAuthUser) {
  const RpcCredentials credentials("c00k1e", *parse_rpc_auth(make_rpc_auth("bob", "x", "pw")));
  EXPECT_TRUE(credentials.check(basic("__cookie__:c00k1e")));
  EXPECT_TRUE(credentials.check("basic " + base64_encode(util::as_bytes("__cookie__:c00k1e"))));
  EXPECT_TRUE(credentials.check(basic("bob:pw")));
  EXPECT_FALSE(credentials.check(basic("bob:pw2")));
  EXPECT_FALSE(credentials.check(basic("bobby:pw")));
  EXPECT_FALSE(credentials.check(basic("__cookie__:c00k1")));
  EXPECT_FALSE(credentials.check(basic("__cookie__c00k1e")));
  EXPECT_FALSE(credentials.check("Bearer " + base64_encode(util::as_bytes("bob:pw"))));
  EXPECT_FALSE(credentials.check("Basic"));
  EXPECT_FALSE(credentials.check("Basic !!!!"));
  EXPECT_FALSE(credentials.check(""));
}

TEST(RpcCredentials, AuthorizationLengthBound) {
  const RpcCredentials credentials("k", std::nullopt);
  // Padding the header with spaces to exactly the bound still works; one byte past fails.
  std::string header = basic("__cookie__:k");
  header += std::string(kAuthorizationBytesMax - header.size(), ' ');
  EXPECT_TRUE(credentials.check(header));
  header += ' ';
  EXPECT_FALSE(credentials.check(header));
}

TEST(CookieSecret, IsFreshHex) {
  auto a = make_cookie_secret();
  auto b = make_cookie_secret();
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->size(), 2 * kCookieSecretBytes);
  EXPECT_NE(*a, *b);
}

TEST(ContentType, JsonWithParameters) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type(" application/json ;charset=UTF-8"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/json-rpc"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type(""));
}

class GuardTest : public ::testing::Test {
 protected:
  RpcCredentials credentials{"secret", std::nullopt};
  GuardPolicy policy{.allowed_hosts = default_allowed_hosts(8632),
                     .credentials = &credentials,
                     .body_bytes_max = 100};
  std::string auth = basic("__cookie__:secret");

  RequestHead post() {
    return RequestHead{.method = "POST",
                       .target = "/",
                       .host = "127.0.0.1:8632",
                       .authorization = auth,
                       .content_type = "application/json",
                       .content_length = 10};
  }
};

TEST_F(GuardTest, GoodPostIsRoutedToJsonRpc) {
  const GuardDecision d = check_request(post(), policy);
  ASSERT_TRUE(d.route.has_value());
  EXPECT_EQ(*d.route, Route::kJsonRpc);
}

TEST_F(GuardTest, HostAllowList) {
  for (const char* host : {"127.0.0.1", "localhost", "LOCALHOST:8632", "[::1]", "[::1]:8632"}) {
    RequestHead head = post();
    head.host = host;
    EXPECT_TRUE(check_request(head, policy).route.has_value()) << host;
  }
  for (const char* host : {"evil.example", "127.0.0.1:8633", "localhost.evil.example", ""}) {
    RequestHead head = post();
    head.host = host;
    EXPECT_EQ(check_request(head, policy).status, 403u) << host;
  }
  RequestHead no_host = post();
  no_host.host.reset();
  EXPECT_EQ(check_request(no_host, policy).status, 403u);
  // The probes are guarded by Host too.
  EXPECT_EQ(check_request({.method = "GET", .target = "/health", .host = "evil"}, policy).status,
            403u);
}

TEST_F(GuardTest, ConfiguredHostsReplaceTheDefaults) {
  policy.allowed_hosts = {"node.internal:8632"};
  RequestHead head = post();
  EXPECT_EQ(check_request(head, policy).status, 403u);
  head.host = "Node.Internal:8632";
  EXPECT_TRUE(check_request(head, policy).route.has_value());
}

TEST_F(GuardTest, RoutesAndMethods) {
  const auto get = [&](std::string_view target) {
    return check_request({.method = "GET", .target = target, .host = "localhost"}, policy);
  };
  EXPECT_EQ(*get("/health").route, Route::kHealth);
  EXPECT_EQ(*get("/ready").route, Route::kReady);
  EXPECT_EQ(*get("/metrics").route, Route::kMetrics);
  EXPECT_EQ(*get("/dashboard").route, Route::kDashboard);
  EXPECT_EQ(get("/nothing").status, 404u);
  EXPECT_EQ(get("/health?x=1").status, 404u);
  const GuardDecision get_root = get("/");
  EXPECT_EQ(get_root.status, 405u);
  EXPECT_EQ(get_root.allow, "POST");
  RequestHead post_health = post();
  post_health.target = "/health";
  EXPECT_EQ(check_request(post_health, policy).status, 405u);
  EXPECT_EQ(check_request(post_health, policy).allow, "GET");
  RequestHead put = post();
  put.method = "PUT";
  EXPECT_EQ(check_request(put, policy).status, 405u);
}

TEST_F(GuardTest, AuthThenContentTypeThenLength) {
  RequestHead head = post();
  head.authorization.reset();
  head.content_type = "text/plain";
  head.content_length = 1000;
  EXPECT_EQ(check_request(head, policy).status, 401u);
  const std::string wrong = basic("__cookie__:wrong");  // outlives the view in head
  head.authorization = wrong;
  EXPECT_EQ(check_request(head, policy).status, 401u);
  head.authorization = auth;
  EXPECT_EQ(check_request(head, policy).status, 415u);
  head.content_type.reset();
  EXPECT_EQ(check_request(head, policy).status, 415u);
  head.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(check_request(head, policy).status, 413u);
}

TEST_F(GuardTest, BodyLengthAtTheLimitAndOnePast) {
  RequestHead head = post();
  head.content_length = policy.body_bytes_max;
  EXPECT_TRUE(check_request(head, policy).route.has_value());
  head.content_length = policy.body_bytes_max + 1;
  EXPECT_EQ(check_request(head, policy).status, 413u);
}

}  // namespace
}  // namespace qpow::http
