// Result<T>: a value of T, or the Status that explains why there is none. It is g++ 12's stand-in
// for std::expected (C++23). Accessing the value of a failed Result is a bug and aborts.
//
//   Result<Header> decode(ByteSpan bytes);
//   QPOW_ASSIGN_OR_RETURN(auto header, decode(bytes));   // forwards the error, else binds
//   QPOW_RETURN_IF_ERROR(check(header));                 // works on Status and Result<T>
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "util/assert.h"
#include "util/status.h"

namespace qpow::util {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>, "use Status, not Result<Status>");
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");

 public:
  // Success. Implicit so that `return value;` works in a function returning Result<T>.
  Result(T value) : state_(std::in_place_index<1>, std::move(value)) {}  // NOLINT
  // Failure. Implicit so that `return Status::malformed(...);` works. Must be an error.
  Result(Status status) : state_(std::in_place_index<0>, std::move(status)) {  // NOLINT
    QPOW_ASSERT_MSG(!std::get<0>(state_).is_ok(), "a failed Result needs an error Status");
  }

  bool is_ok() const { return state_.index() == 1; }

  // The error, or an ok Status when there is a value.
  Status status() const& { return is_ok() ? Status::ok() : std::get<0>(state_); }
  Status status() && { return is_ok() ? Status::ok() : std::get<0>(std::move(state_)); }

  const T& value() const& {
    QPOW_ASSERT_MSG(is_ok(), "value() of a failed Result");
    return std::get<1>(state_);
  }
  T& value() & {
    QPOW_ASSERT_MSG(is_ok(), "value() of a failed Result");
    return std::get<1>(state_);
  }
  T&& value() && {
    QPOW_ASSERT_MSG(is_ok(), "value() of a failed Result");
    return std::get<1>(std::move(state_));
  }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> state_;
};

namespace detail {
inline Status status_of(const Status& status) {
  return status;
}
inline Status status_of(Status&& status) {
  return std::move(status);
}
template <class T>
Status status_of(const Result<T>& result) {
  return result.status();
}
}  // namespace detail

}  // namespace qpow::util

#define QPOW_CONCAT_INNER_(a, b) a##b
#define QPOW_CONCAT_(a, b) QPOW_CONCAT_INNER_(a, b)

// Evaluates expr (a Status or a Result<T>) and returns its error from the enclosing function.
#define QPOW_RETURN_IF_ERROR(expr)                                               \
  do {                                                                           \
    ::qpow::util::Status qpow_status_ = ::qpow::util::detail::status_of((expr)); \
    if (!qpow_status_.is_ok()) return qpow_status_;                              \
  } while (false)

// Evaluates expr (a Result<T>); on error returns it, else binds its value to lhs, which may be a
// declaration (`auto x`) or an existing variable.
#define QPOW_ASSIGN_OR_RETURN(lhs, expr) \
  QPOW_ASSIGN_OR_RETURN_IMPL_(QPOW_CONCAT_(qpow_result_, __LINE__), lhs, expr)
#define QPOW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.is_ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()
