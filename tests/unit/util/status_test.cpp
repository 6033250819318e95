// Status, Result<T>, the forwarding macros and QPOW_ASSERT: errors are values that keep their
// code through every layer of forwarding, and programmer errors abort in every build.
#include "util/status.h"

#include <memory>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "util/assert.h"
#include "util/result.h"

namespace qpow::util {
namespace {

TEST(Status, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_TRUE(status.message().empty());
  EXPECT_EQ(status.to_string(), "ok");
  EXPECT_EQ(status, Status::ok());
}

TEST(Status, FactoriesSetTheirCodes) {
  EXPECT_EQ(Status::invalid_argument("x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Status::malformed("x").code(), StatusCode::kMalformed);
  EXPECT_EQ(Status::out_of_range("x").code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Status::not_found("x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Status::io_error("x").code(), StatusCode::kIoError);
  EXPECT_EQ(Status::unsupported("x").code(), StatusCode::kUnsupported);
  EXPECT_EQ(Status::error(StatusCode::kCorruption, "x").code(), StatusCode::kCorruption);
  EXPECT_FALSE(Status::malformed("x").is_ok());
}

TEST(Status, CodeNamesAreStable) {
  EXPECT_EQ(status_code_name(StatusCode::kOk), "ok");
  EXPECT_EQ(status_code_name(StatusCode::kInvalidArgument), "invalid argument");
  EXPECT_EQ(status_code_name(StatusCode::kMalformed), "malformed");
  EXPECT_EQ(status_code_name(StatusCode::kOutOfRange), "out of range");
  EXPECT_EQ(status_code_name(StatusCode::kNotFound), "not found");
  EXPECT_EQ(status_code_name(StatusCode::kAlreadyExists), "already exists");
  EXPECT_EQ(status_code_name(StatusCode::kIoError), "i/o error");
  EXPECT_EQ(status_code_name(StatusCode::kCorruption), "corruption");
  EXPECT_EQ(status_code_name(StatusCode::kUnsupported), "unsupported");
  EXPECT_EQ(status_code_name(StatusCode::kInternal), "internal");
  EXPECT_EQ(status_code_name(StatusCode::kUnavailable), "unavailable");
  EXPECT_EQ(status_code_name(StatusCode::kTimeout), "timeout");
}

TEST(Status, ToStringIsCodeNameAndMessage) {
  const Status status = Status::malformed("tx.amount: need 8 bytes at offset 93, have 4");
  EXPECT_EQ(status.message(), "tx.amount: need 8 bytes at offset 93, have 4");
  EXPECT_EQ(status.to_string(), "malformed: tx.amount: need 8 bytes at offset 93, have 4");
  EXPECT_EQ(Status::out_of_range("too long").to_string(), "out of range: too long");
}

TEST(Status, WithContextKeepsCodeAndPrefixesMessage) {
  const Status inner = Status::out_of_range("length 5 exceeds the limit of 4");
  const Status outer = inner.with_context("block").with_context("peer 7");
  EXPECT_EQ(outer.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(outer.message(), "peer 7: block: length 5 exceeds the limit of 4");
  // The original is a value and does not change.
  EXPECT_EQ(inner.message(), "length 5 exceeds the limit of 4");
}

TEST(Status, WithContextLeavesOkAlone) {
  const Status status = Status::ok().with_context("block");
  EXPECT_TRUE(status.is_ok());
  EXPECT_TRUE(status.message().empty());
  EXPECT_EQ(status.to_string(), "ok");
}

TEST(Status, EqualityComparesCodeAndMessage) {
  EXPECT_EQ(Status::malformed("a"), Status::malformed("a"));
  EXPECT_NE(Status::malformed("a"), Status::malformed("b"));
  EXPECT_NE(Status::malformed("a"), Status::out_of_range("a"));
  EXPECT_NE(Status::malformed("a"), Status::ok());
}

TEST(Result, HoldsAValue) {
  Result<int> result = 42;
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(*result, 42);
  EXPECT_TRUE(result.status().is_ok());
  result.value() = 7;
  EXPECT_EQ(*result, 7);
}

TEST(Result, HoldsAnError) {
  const Result<int> result = Status::not_found("block 00ff");
  EXPECT_FALSE(result.is_ok());
  EXPECT_EQ(result.status(), Status::not_found("block 00ff"));
}

TEST(Result, ArrowReachesTheValue) {
  const Result<std::string> result = std::string("hello");
  EXPECT_EQ(result->size(), 5u);
}

TEST(Result, MoveOnlyValue) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(5);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(**result, 5);
  std::unique_ptr<int> owned = std::move(result).value();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 5);
}

TEST(Result, MoveOnlyError) {
  Result<std::unique_ptr<int>> result = Status::io_error("disk");
  EXPECT_FALSE(result.is_ok());
  EXPECT_EQ(std::move(result).status().code(), StatusCode::kIoError);
}

// Helpers that forward errors with the macros, the way library code does.
Status check_positive(int v) {
  if (v <= 0) return Status::invalid_argument("not positive: " + std::to_string(v));
  return Status::ok();
}

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return Status::malformed(std::string("not a digit: ") + c);
  return c - '0';
}

Status forward_status(int v) {
  QPOW_RETURN_IF_ERROR(check_positive(v));
  return Status::ok();
}

Status forward_result_as_status(char c) {
  QPOW_RETURN_IF_ERROR(parse_digit(c));
  return Status::ok();
}

Result<int> sum_digits(char a, char b) {
  QPOW_ASSIGN_OR_RETURN(const int x, parse_digit(a));
  QPOW_ASSIGN_OR_RETURN(const int y, parse_digit(b));
  return x + y;
}

Result<int> assign_existing(char c) {
  int value = -1;
  QPOW_ASSIGN_OR_RETURN(value, parse_digit(c));
  return value * 10;
}

Result<std::unique_ptr<int>> make_boxed(int v) {
  if (v < 0) return Status::out_of_range("negative");
  return std::make_unique<int>(v);
}

Result<int> unbox(int v) {
  QPOW_ASSIGN_OR_RETURN(std::unique_ptr<int> boxed, make_boxed(v));
  return *boxed + 1;
}

TEST(Macros, ReturnIfErrorForwardsStatus) {
  EXPECT_TRUE(forward_status(1).is_ok());
  const Status status = forward_status(-3);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "not positive: -3");
}

TEST(Macros, ReturnIfErrorForwardsResult) {
  EXPECT_TRUE(forward_result_as_status('4').is_ok());
  const Status status = forward_result_as_status('x');
  EXPECT_EQ(status.code(), StatusCode::kMalformed);
  EXPECT_EQ(status.message(), "not a digit: x");
}

TEST(Macros, AssignOrReturnBindsValues) {
  const Result<int> result = sum_digits('3', '4');
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(*result, 7);
}

TEST(Macros, AssignOrReturnForwardsTheFirstError) {
  EXPECT_EQ(sum_digits('a', '4').status(), Status::malformed("not a digit: a"));
  EXPECT_EQ(sum_digits('3', 'b').status(), Status::malformed("not a digit: b"));
}

TEST(Macros, AssignOrReturnToExistingVariable) {
  const Result<int> ok = assign_existing('9');
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(*ok, 90);
  EXPECT_EQ(assign_existing('?').status().code(), StatusCode::kMalformed);
}

TEST(Macros, AssignOrReturnMovesMoveOnlyValues) {
  const Result<int> ok = unbox(41);
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(*ok, 42);
  EXPECT_EQ(unbox(-1).status(), Status::out_of_range("negative"));
}

TEST(ResultDeathTest, ValueOfFailedResultAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Result<int> result = Status::malformed("bad");
  EXPECT_DEATH(static_cast<void>(result.value()), "value\\(\\) of a failed Result");
}

TEST(ResultDeathTest, FailedResultFromOkStatusAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(static_cast<void>(Result<int>(Status::ok())), "assertion failed");
}

TEST(AssertDeathTest, FalseConditionAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(QPOW_ASSERT(false), "assertion failed");
  volatile bool condition = false;
  EXPECT_DEATH(QPOW_ASSERT(condition), "assertion failed: condition");
  EXPECT_DEATH(QPOW_ASSERT_MSG(condition, "the reason"), "assertion failed.*the reason");
}

TEST(AssertDeathTest, TrueConditionDoesNothing) {
  volatile bool condition = true;
  QPOW_ASSERT(condition);
  QPOW_ASSERT_MSG(condition, "never printed");
  SUCCEED();
}

}  // namespace
}  // namespace qpow::util
