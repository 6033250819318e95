// The JSON-RPC 2.0 dispatcher: every error path of the specification (§4, §5, §6), batches and
// notifications, the nesting bound at its limit and one past it, handlers that fail or throw, and
// seeded random garbage that must never crash it.
#include "http/json_rpc.h"

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/rpc_params.h"

namespace qpow::http {
namespace {

using nlohmann::json;

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dispatcher.add("echo", [](const json& params) -> RpcResult { return params; });
    dispatcher.add("fail", [](const json&) -> RpcResult {
      return RpcError{kRpcInvalidParameter, "always fails"};
    });
    dispatcher.add("throw", [](const json&) -> RpcResult { throw std::runtime_error("boom"); });
    dispatcher.add("count", [this](const json&) -> RpcResult { return json(++calls); });
  }

  // The parsed response to body; fails the test if there is none.
  json reply(const std::string& body) {
    const std::optional<std::string> text = dispatcher.handle(body);
    EXPECT_TRUE(text.has_value()) << body;
    if (!text) return nullptr;
    return json::parse(*text);
  }

  static int code_of(const json& response) { return response.at("error").at("code").get<int>(); }

  JsonRpcDispatcher dispatcher;
  int calls = 0;
};

TEST_F(DispatcherTest, CallsTheMethodAndEchoesTheId) {
  const json r = reply(R"({"jsonrpc":"2.0","method":"echo","params":[1,"a"],"id":7})");
  EXPECT_EQ(r["jsonrpc"], "2.0");
  EXPECT_EQ(r["id"], 7);
  EXPECT_EQ(r["result"], json::parse(R"([1,"a"])"));
  EXPECT_FALSE(r.contains("error"));
}

TEST_F(DispatcherTest, AcceptsStringNullAndFractionalIds) {
  EXPECT_EQ(reply(R"({"jsonrpc":"2.0","method":"echo","id":"x"})")["id"], "x");
  EXPECT_TRUE(reply(R"({"jsonrpc":"2.0","method":"echo","id":null})")["id"].is_null());
  EXPECT_EQ(reply(R"({"jsonrpc":"2.0","method":"echo","id":1.5})")["id"], 1.5);
}

TEST_F(DispatcherTest, AbsentParamsReachTheHandlerAsNull) {
  EXPECT_TRUE(reply(R"({"jsonrpc":"2.0","method":"echo","id":1})")["result"].is_null());
  EXPECT_EQ(reply(R"({"jsonrpc":"2.0","method":"echo","params":{"a":1},"id":1})")["result"],
            json::parse(R"({"a":1})"));
}

TEST_F(DispatcherTest, ParseErrorHasNullId) {
  for (const char* body : {"", "{", "nope", R"({"jsonrpc":"2.0",})", "[1,2", "\"unterminated"}) {
    const json r = reply(body);
    EXPECT_EQ(code_of(r), kRpcParseError) << body;
    EXPECT_TRUE(r["id"].is_null());
  }
}

TEST_F(DispatcherTest, InvalidRequestShapes) {
  struct Case {
    const char* body;
    bool id_kept;
  };
  const Case cases[] = {
      {R"(1)", false},
      {R"("text")", false},
      {R"({"method":"echo","id":1})", true},                  // no jsonrpc
      {R"({"jsonrpc":"1.0","method":"echo","id":1})", true},  // wrong version
      {R"({"jsonrpc":2.0,"method":"echo","id":1})", true},    // version not a string
      {R"({"jsonrpc":"2.0","id":1})", true},                  // no method
      {R"({"jsonrpc":"2.0","method":5,"id":1})", true},       // method not a string
      {R"({"jsonrpc":"2.0","method":"echo","params":5,"id":1})", true},
      {R"({"jsonrpc":"2.0","method":"echo","params":"a","id":1})", true},
      {R"({"jsonrpc":"2.0","method":"echo","id":[1]})", false},  // id an array
      {R"({"jsonrpc":"2.0","method":"echo","id":{"a":1}})", false},
      {R"({"jsonrpc":"2.0","method":"echo","id":true})", false},
  };
  for (const Case& c : cases) {
    const json r = reply(c.body);
    EXPECT_EQ(code_of(r), kRpcInvalidRequest) << c.body;
    if (c.id_kept) {
      EXPECT_EQ(r["id"], 1) << c.body;
    } else {
      EXPECT_TRUE(r["id"].is_null()) << c.body;
    }
  }
}

TEST_F(DispatcherTest, UnknownMethod) {
  const json r = reply(R"({"jsonrpc":"2.0","method":"nosuch","id":"q"})");
  EXPECT_EQ(code_of(r), kRpcMethodNotFound);
  EXPECT_EQ(r["id"], "q");
  EXPECT_NE(r["error"]["message"].get<std::string>().find("nosuch"), std::string::npos);
}

TEST_F(DispatcherTest, HandlerErrorAndExceptionBecomeErrors) {
  const json failed = reply(R"({"jsonrpc":"2.0","method":"fail","id":1})");
  EXPECT_EQ(code_of(failed), kRpcInvalidParameter);
  EXPECT_EQ(failed["error"]["message"], "always fails");
  const json thrown = reply(R"({"jsonrpc":"2.0","method":"throw","id":2})");
  EXPECT_EQ(code_of(thrown), kRpcInternalError);
  EXPECT_EQ(thrown["id"], 2);
}

TEST_F(DispatcherTest, NotificationRunsButGetsNoResponse) {
  EXPECT_FALSE(dispatcher.handle(R"({"jsonrpc":"2.0","method":"count"})").has_value());
  EXPECT_EQ(calls, 1);
  // Even failing or unknown notifications stay silent.
  EXPECT_FALSE(dispatcher.handle(R"({"jsonrpc":"2.0","method":"fail"})").has_value());
  EXPECT_FALSE(dispatcher.handle(R"({"jsonrpc":"2.0","method":"throw"})").has_value());
  EXPECT_FALSE(dispatcher.handle(R"({"jsonrpc":"2.0","method":"nosuch"})").has_value());
  // An invalid request without an id is not a notification: it is answered.
  EXPECT_EQ(code_of(reply(R"({"jsonrpc":"2.0"})")), kRpcInvalidRequest);
}

TEST_F(DispatcherTest, BatchAnswersEachRequestInOrderAndSkipsNotifications) {
  const json r = reply(R"([
    {"jsonrpc":"2.0","method":"echo","params":[1],"id":1},
    {"jsonrpc":"2.0","method":"count"},
    {"jsonrpc":"2.0","method":"nosuch","id":2},
    5,
    {"jsonrpc":"2.0","method":"echo","params":[3],"id":3}
  ])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0]["result"], json::parse("[1]"));
  EXPECT_EQ(code_of(r[1]), kRpcMethodNotFound);
  EXPECT_EQ(code_of(r[2]), kRpcInvalidRequest);
  EXPECT_EQ(r[3]["id"], 3);
  EXPECT_EQ(calls, 1);
}

TEST_F(DispatcherTest, BatchOfNotificationsHasNoResponse) {
  EXPECT_FALSE(dispatcher
                   .handle(R"([{"jsonrpc":"2.0","method":"count"},
                               {"jsonrpc":"2.0","method":"count"}])")
                   .has_value());
  EXPECT_EQ(calls, 2);
}

TEST_F(DispatcherTest, EmptyBatchIsOneInvalidRequest) {
  const json r = reply("[]");
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(code_of(r), kRpcInvalidRequest);
}

TEST_F(DispatcherTest, BatchAtTheLimitIsServedAndOnePastIsRefused) {
  json batch = json::array();
  for (std::size_t i = 0; i < kBatchMax; ++i) {
    batch.push_back({{"jsonrpc", "2.0"}, {"method", "count"}, {"id", i}});
  }
  const json at_limit = reply(batch.dump());
  ASSERT_TRUE(at_limit.is_array());
  EXPECT_EQ(at_limit.size(), kBatchMax);
  EXPECT_EQ(calls, static_cast<int>(kBatchMax));

  batch.push_back({{"jsonrpc", "2.0"}, {"method", "count"}, {"id", "last"}});
  const json over = reply(batch.dump());
  ASSERT_TRUE(over.is_object());
  EXPECT_EQ(code_of(over), kRpcInvalidRequest);
  EXPECT_EQ(calls, static_cast<int>(kBatchMax));  // nothing of the refused batch ran
}

// A request whose params nest so that the whole body is `depth` levels deep.
std::string nested_request(std::size_t depth) {
  // The request object is one level and "params" another; the rest are inner arrays.
  std::string params;
  for (std::size_t i = 0; i + 1 < depth; ++i) params += '[';
  for (std::size_t i = 0; i + 1 < depth; ++i) params += ']';
  return R"({"jsonrpc":"2.0","method":"echo","id":1,"params":)" + params + "}";
}

TEST_F(DispatcherTest, NestingAtTheLimitParsesAndOnePastIsAParseError) {
  const json ok = reply(nested_request(kJsonDepthMax));
  EXPECT_TRUE(ok.contains("result"));
  const json deep = reply(nested_request(kJsonDepthMax + 1));
  EXPECT_EQ(code_of(deep), kRpcParseError);
}

TEST_F(DispatcherTest, VeryDeepNestingIsRefusedWithoutRecursion) {
  const std::string body(1'000'000, '[');
  EXPECT_EQ(code_of(reply(body)), kRpcParseError);
  std::string objects;
  for (int i = 0; i < 200'000; ++i) objects += R"({"a":)";
  EXPECT_EQ(code_of(reply(objects)), kRpcParseError);
}

TEST_F(DispatcherTest, InvalidUtf8InAMessageIsReplacedNotThrown) {
  dispatcher.add("quote", [](const json&) -> RpcResult {
    return RpcError{kRpcMiscError, std::string("bad byte \xff here")};
  });
  const json r = reply(R"({"jsonrpc":"2.0","method":"quote","id":1})");
  EXPECT_EQ(code_of(r), kRpcMiscError);
}

TEST_F(DispatcherTest, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(20240611);
  const std::string alphabet = "{}[]\",:0123456789.eE-+truefalsnl \\u\x01\xff jsonrpc2.0methodid";
  for (int round = 0; round < 5000; ++round) {
    std::string body(rng() % 200, ' ');
    for (char& c : body) c = alphabet[rng() % alphabet.size()];
    const std::optional<std::string> text = dispatcher.handle(body);
    if (text) {
      EXPECT_TRUE(json::accept(*text)) << *text;
    }
  }
}

TEST_F(DispatcherTest, MutatedValidRequestsNeverCrash) {
  std::mt19937_64 rng(7);
  const std::string base =
      R"([{"jsonrpc":"2.0","method":"echo","params":{"a":[1,2,{"b":null}]},"id":1},)"
      R"({"jsonrpc":"2.0","method":"count"}])";
  for (int round = 0; round < 5000; ++round) {
    std::string body = base;
    for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) {
      body[rng() % body.size()] = static_cast<char>(rng() % 256);
    }
    const std::optional<std::string> text = dispatcher.handle(body);
    if (text) {
      EXPECT_TRUE(json::accept(*text)) << *text;
    }
  }
}

TEST(RpcErrorFromStatus, MapsStatusCodesToBitcoinCodes) {
  EXPECT_EQ(rpc_error_from_status(util::Status::not_found("x")).code, kRpcInvalidAddressOrKey);
  EXPECT_EQ(rpc_error_from_status(util::Status::invalid_argument("x")).code, kRpcInvalidParameter);
  EXPECT_EQ(rpc_error_from_status(util::Status::out_of_range("x")).code, kRpcInvalidParameter);
  EXPECT_EQ(rpc_error_from_status(util::Status::malformed("x")).code, kRpcDeserializationError);
  EXPECT_EQ(rpc_error_from_status(util::Status::io_error("x")).code, kRpcDatabaseError);
  EXPECT_EQ(rpc_error_from_status(util::Status::unavailable("x")).code, kRpcInWarmup);
  EXPECT_EQ(rpc_error_from_status(util::Status::timeout("x")).code, kRpcMiscError);
  EXPECT_EQ(rpc_error_from_status(util::Status::unsupported("why")).message, "why");
}

TEST(DispatcherNames, ListsMethodsSorted) {
  JsonRpcDispatcher d;
  d.add("b", [](const json&) -> RpcResult { return json(1); });
  d.add("a", [](const json&) -> RpcResult { return json(1); });
  EXPECT_EQ(d.method_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(d.has("a"));
  EXPECT_FALSE(d.has("c"));
}

}  // namespace
}  // namespace qpow::http
