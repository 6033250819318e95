// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) without sockets: a table of methods and
// the code that turns one HTTP body into one response body.
//
// How errors flow: a handler returns RpcResult, which holds either the method's JSON result or an
// RpcError {code, message}. Protocol errors use the specification's codes (§5.1); application
// errors use Bitcoin Core's codes where one exists, so existing tooling reads them the same way
// (rpc_error_from_status maps a util::Status onto them). A handler that throws (a bug, or an
// allocation failure) is answered with kRpcInternalError; nothing escapes handle().
//
// Requests are checked in this order: the body parses as JSON at most kJsonDepthMax levels deep
// (else -32700, id null); a batch is a non-empty array of at most kBatchMax requests (else one
// -32600 for the whole batch); each request is an object with "jsonrpc": "2.0", an id that is a
// string, number or null (or absent), a string "method" and "params" absent, an array or an
// object (else -32600, with the request's id when it was valid); an unknown method is -32601.
// A valid request without "id" is a notification: it runs, but gets no response entry, even on
// error. A batch of only notifications, or a single notification, has no response at all.
//
// Thread-safety: add() is for setup. Afterwards handle() is const and may be called from several
// threads at once; handlers then run concurrently and must be safe for that.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/assert.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::http {

// The most requests one batch may carry.
inline constexpr std::size_t kBatchMax = 100;
// The deepest nesting of arrays and objects a body may have (the top level counts as 1). Parsing
// is iterative in nlohmann/json, but walking and printing a value recurse, so depth is bounded
// at the door.
inline constexpr std::size_t kJsonDepthMax = 64;

// JSON-RPC 2.0 §5.1.
inline constexpr int kRpcParseError = -32700;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;
inline constexpr int kRpcInternalError = -32603;
// Bitcoin Core's application codes (src/rpc/protocol.h there).
inline constexpr int kRpcMiscError = -1;
inline constexpr int kRpcInvalidAddressOrKey = -5;  // also "not found"
inline constexpr int kRpcInvalidParameter = -8;
inline constexpr int kRpcDatabaseError = -20;
inline constexpr int kRpcDeserializationError = -22;
inline constexpr int kRpcClientNodeAlreadyAdded = -23;
inline constexpr int kRpcClientNodeNotAdded = -24;
inline constexpr int kRpcVerifyError = -25;     // block rejected
inline constexpr int kRpcVerifyRejected = -26;  // transaction rejected
inline constexpr int kRpcInWarmup = -28;        // the node is not available (starting, stopping)
inline constexpr int kRpcClientNodeNotConnected = -29;

struct RpcError {
  int code = kRpcMiscError;
  std::string message;

  friend bool operator==(const RpcError&, const RpcError&) = default;
};

// A value of T or the RpcError that explains why there is none (util::Result for RPC code, whose
// errors need a protocol code rather than a StatusCode). Reading the value of an error is a bug.
template <class T>
class [[nodiscard]] RpcOr {
 public:
  RpcOr(T value) : state_(std::in_place_index<1>, std::move(value)) {}         // NOLINT
  RpcOr(RpcError error) : state_(std::in_place_index<0>, std::move(error)) {}  // NOLINT

  bool is_ok() const { return state_.index() == 1; }
  const RpcError& error() const& {
    QPOW_ASSERT_MSG(!is_ok(), "error() of a successful RpcOr");
    return std::get<0>(state_);
  }
  RpcError error() && {
    QPOW_ASSERT_MSG(!is_ok(), "error() of a successful RpcOr");
    return std::get<0>(std::move(state_));
  }
  const T& value() const& {
    QPOW_ASSERT_MSG(is_ok(), "value() of a failed RpcOr");
    return std::get<1>(state_);
  }
  T&& value() && {
    QPOW_ASSERT_MSG(is_ok(), "value() of a failed RpcOr");
    return std::get<1>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<RpcError, T> state_;
};

using RpcResult = RpcOr<nlohmann::json>;

// Evaluates expr (an RpcOr<T>); on error returns its RpcError from the enclosing function, else
// binds the value to lhs (a declaration or an existing variable).
#define QPOW_RPC_ASSIGN_OR_RETURN(lhs, expr) \
  QPOW_RPC_ASSIGN_OR_RETURN_IMPL_(QPOW_CONCAT_(qpow_rpc_, __LINE__), lhs, expr)
#define QPOW_RPC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.is_ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
// params is the request's "params" member: an array, an object, or null when it was absent.
using RpcHandler = std::function<RpcResult(const nlohmann::json& params)>;

// The RPC error for a failed Status: not found -5, invalid argument and out of range -8,
// malformed -22, I/O and corruption -20, unavailable -28, anything else -1. The message is the
// Status's message.
RpcError rpc_error_from_status(const util::Status& status);

// The JSON text of a value, never throwing: invalid UTF-8 in strings (which parsing rejects, but
// an error message may quote a byte of the input) is replaced with U+FFFD.
std::string dump_json(const nlohmann::json& value);

class JsonRpcDispatcher {
 public:
  // Registers `name`. Registering a name twice is a bug (asserted).
  void add(std::string name, RpcHandler handler);
  bool has(std::string_view name) const { return methods_.find(name) != methods_.end(); }
  // Every registered name, sorted.
  std::vector<std::string> method_names() const;

  // The response body for a request body, or nullopt when none is owed (notifications only).
  // Never throws.
  std::optional<std::string> handle(std::string_view body) const;

 private:
  // One request of a body (or of a batch): its response, or nullopt for a notification.
  std::optional<nlohmann::json> handle_one(const nlohmann::json& request) const;
  std::optional<nlohmann::json> handle_batch(const nlohmann::json& batch) const;
  RpcResult call(const RpcHandler& handler, const nlohmann::json& params) const;

  std::map<std::string, RpcHandler, std::less<>> methods_;
};

}  // namespace qpow::http
