// Parameter binding: positional and named forms, nulls as "not given", count and type errors that
// name the method and the parameter, and integer bounds at the limit and one past.
#include "http/rpc_params.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace qpow::http {
namespace {

using nlohmann::json;

RpcParams bind_ok(const json& params) {
  auto bound = RpcParams::bind("m", params, {"first", "second"}, 1);
  EXPECT_TRUE(bound.is_ok()) << (bound.is_ok() ? "" : bound.error().message);
  return std::move(bound).value();
}

RpcError bind_error(const json& params) {
  auto bound = RpcParams::bind("m", params, {"first", "second"}, 1);
  EXPECT_FALSE(bound.is_ok());
  if (bound.is_ok()) return {};
  return std::move(bound).error();
}

TEST(RpcParams, PositionalAndNamedBindTheSameWay) {
  const json positional = json::parse(R"(["a", 5])");
  const json named = json::parse(R"({"second": 5, "first": "a"})");
  for (const json* params : {&positional, &named}) {
    const RpcParams p = bind_ok(*params);
    EXPECT_EQ(*p.string(0), "a");
    EXPECT_EQ(*p.uint(1, 10), 5u);
  }
}

TEST(RpcParams, OptionalMayBeAbsentOrNull) {
  const json one = json::parse(R"(["a"])");
  const json with_null = json::parse(R"(["a", null])");
  for (const json* params : {&one, &with_null}) {
    const RpcParams p = bind_ok(*params);
    EXPECT_FALSE(p.has(1));
    EXPECT_FALSE(p.optional_uint(1, 10)->has_value());
  }
}

TEST(RpcParams, CountAndNameErrorsAreInvalidParams) {
  const RpcError too_many = bind_error(json::parse(R"([1, 2, 3])"));
  EXPECT_EQ(too_many.code, kRpcInvalidParams);
  EXPECT_NE(too_many.message.find("at most 2"), std::string::npos);

  const RpcError unknown = bind_error(json::parse(R"({"first": 1, "third": 2})"));
  EXPECT_EQ(unknown.code, kRpcInvalidParams);
  EXPECT_NE(unknown.message.find("'third'"), std::string::npos);

  for (const char* missing : {"[]", "{}", "null", "[null]", R"({"second": 1})"}) {
    const RpcError e = bind_error(json::parse(missing));
    EXPECT_EQ(e.code, kRpcInvalidParams) << missing;
    EXPECT_NE(e.message.find("'first' is missing"), std::string::npos) << e.message;
  }
  EXPECT_EQ(bind_error(json(5)).code, kRpcInvalidParams);
}

TEST(RpcParams, TypeErrorsNameTheParameter) {
  const json p_json = json::parse(R"([7, "x"])");
  const RpcParams p = bind_ok(p_json);
  const auto s = p.string(0);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, kRpcInvalidParams);
  EXPECT_EQ(s.error().message, "m: parameter 'first' must be a string");
  EXPECT_FALSE(p.uint(1, 10).is_ok());
  EXPECT_FALSE(p.boolean(1).is_ok());
}

TEST(RpcParams, IntegersAtTheBoundAndOnePast) {
  const json p_json = json::parse(R"([10, 11])");
  const RpcParams p = bind_ok(p_json);
  EXPECT_EQ(*p.uint(0, 10), 10u);
  const auto over = p.uint(1, 10);
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.error().code, kRpcInvalidParams);

  const json q_json = json::parse(R"([-1, 1.5])");
  const RpcParams q = bind_ok(q_json);
  EXPECT_FALSE(q.uint(0, 10).is_ok());
  EXPECT_FALSE(q.uint(1, 10).is_ok());

  const json big_json = json::parse(R"([18446744073709551615])");
  const RpcParams big = bind_ok(big_json);
  EXPECT_EQ(*big.uint(0, std::numeric_limits<std::uint64_t>::max()),
            std::numeric_limits<std::uint64_t>::max());
}

TEST(RpcParams, NoParamsCheck) {
  EXPECT_FALSE(check_no_params("m", nullptr).has_value());
  EXPECT_FALSE(check_no_params("m", json::array()).has_value());
  EXPECT_FALSE(check_no_params("m", json::object()).has_value());
  const auto error = check_no_params("m", json::parse("[1]"));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, kRpcInvalidParams);
}

}  // namespace
}  // namespace qpow::http
