// Status: the outcome of an operation that can fail because of its input, the disk or the
// network. Errors are values: a failing Status carries a code and a message that says what was
// wrong and where ("tx.amount: need 8 bytes at offset 93, have 4"), never "invalid input".
// Callers must look at it ([[nodiscard]]); QPOW_RETURN_IF_ERROR forwards it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace qpow::util {

enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,  // a caller-supplied value outside the documented contract
  kMalformed,        // bytes or text that do not decode
  kOutOfRange,       // a length, count or value past a hard limit
  kNotFound,
  kAlreadyExists,
  kIoError,
  kCorruption,  // stored data that fails its integrity check
  kUnsupported,
  kInternal,
  kUnavailable,  // the service is shutting down or not running (retry later or elsewhere)
  kTimeout,      // an operation did not finish within its time limit
};

// Stable lower-case name of a code, e.g. "malformed".
std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  // The default Status is success.
  Status() = default;

  static Status ok() { return Status(); }
  static Status error(StatusCode code, std::string message) {
    return Status(code, std::move(message));
  }
  static Status invalid_argument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status malformed(std::string message) {
    return Status(StatusCode::kMalformed, std::move(message));
  }
  static Status out_of_range(std::string message) {
    return Status(StatusCode::kOutOfRange, std::move(message));
  }
  static Status not_found(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status io_error(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status timeout(std::string message) {
    return Status(StatusCode::kTimeout, std::move(message));
  }
  static Status unsupported(std::string message) {
    return Status(StatusCode::kUnsupported, std::move(message));
  }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // The same error with "<context>: " in front of its message; success stays success.
  Status with_context(std::string_view context) const;

  // "ok", or "<code name>: <message>".
  std::string to_string() const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  Status(StatusCode code, std::string message);

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace qpow::util
