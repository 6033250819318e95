#include "http/json_rpc.h"

#include <exception>
#include <new>

#include <fmt/format.h>

namespace qpow::http {
namespace {

using nlohmann::json;

// Thrown by the parse callback to stop at the first container past kJsonDepthMax; caught in
// parse_body and never seen outside this file.
struct DepthExceeded {};

json error_object(const RpcError& error) {
  return json{{"code", error.code}, {"message", error.message}};
}

json error_response(const json& id, const RpcError& error) {
  return json{{"jsonrpc", "2.0"}, {"error", error_object(error)}, {"id", id}};
}

json result_response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"result", std::move(result)}, {"id", id}};
}

// The body as JSON, or the parse error (-32700) that answers it.
RpcOr<json> parse_body(std::string_view body) {
  // depth counts the containers around the one that starts, so the new one is at depth + 1.
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t event, json&) {
    const bool starts =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (starts && static_cast<std::size_t>(depth) + 1 > kJsonDepthMax) throw DepthExceeded{};
    return true;
  };
  try {
    return json::parse(body.begin(), body.end(), limit_depth);
  } catch (const DepthExceeded&) {
    return RpcError{kRpcParseError,
                    fmt::format("Parse error: JSON nested deeper than {} levels", kJsonDepthMax)};
  } catch (const json::exception& e) {
    return RpcError{kRpcParseError, fmt::format("Parse error: {}", e.what())};
  }
}

bool valid_id(const json& id) {
  return id.is_string() || id.is_number() || id.is_null();
}

// Why the request object is not a valid JSON-RPC 2.0 request, or nullopt if it is.
std::optional<std::string> request_shape_error(const json& request) {
  const auto version = request.find("jsonrpc");
  if (version == request.end() || !version->is_string() || *version != "2.0") {
    return "Invalid Request: \"jsonrpc\" must be \"2.0\"";
  }
  const auto method = request.find("method");
  if (method == request.end() || !method->is_string()) {
    return "Invalid Request: \"method\" must be a string";
  }
  const auto params = request.find("params");
  if (params != request.end() && !params->is_array() && !params->is_object()) {
    return "Invalid Request: \"params\" must be an array or an object";
  }
  return std::nullopt;
}

}  // namespace

RpcError rpc_error_from_status(const util::Status& status) {
  using util::StatusCode;
  int code = kRpcMiscError;
  switch (status.code()) {
    case StatusCode::kNotFound:
      code = kRpcInvalidAddressOrKey;
      break;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      code = kRpcInvalidParameter;
      break;
    case StatusCode::kMalformed:
      code = kRpcDeserializationError;
      break;
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
      code = kRpcDatabaseError;
      break;
    case StatusCode::kUnavailable:
      code = kRpcInWarmup;
      break;
    default:
      code = kRpcMiscError;
      break;
  }
  return RpcError{code, status.message()};
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonRpcDispatcher::add(std::string name, RpcHandler handler) {
  QPOW_ASSERT_MSG(static_cast<bool>(handler), "an RPC method needs a handler");
  const bool inserted = methods_.emplace(std::move(name), std::move(handler)).second;
  QPOW_ASSERT_MSG(inserted, "RPC method registered twice");
}

std::vector<std::string> JsonRpcDispatcher::method_names() const {
  std::vector<std::string> names;
  names.reserve(methods_.size());
  for (const auto& [name, handler] : methods_) names.push_back(name);
  return names;
}

std::optional<std::string> JsonRpcDispatcher::handle(std::string_view body) const {
  try {
    RpcOr<json> parsed = parse_body(body);
    if (!parsed.is_ok()) return dump_json(error_response(nullptr, parsed.error()));
    const json& request = *parsed;
    const std::optional<json> response =
        request.is_array() ? handle_batch(request) : handle_one(request);
    if (!response) return std::nullopt;
    return dump_json(*response);
  } catch (...) {
    // Only allocation can fail here (handlers' exceptions are caught in call()); a fixed text
    // needs no allocation to build.
    return std::string(
        R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":null})");
  }
}

std::optional<json> JsonRpcDispatcher::handle_batch(const json& batch) const {
  if (batch.empty()) {
    return error_response(nullptr, {kRpcInvalidRequest, "Invalid Request: empty batch"});
  }
  if (batch.size() > kBatchMax) {
    return error_response(
        nullptr, {kRpcInvalidRequest, fmt::format("Invalid Request: batch of {} requests, the "
                                                  "limit is {}",
                                                  batch.size(), kBatchMax)});
  }
  json responses = json::array();
  for (const json& request : batch) {
    std::optional<json> response = handle_one(request);
    if (response) responses.push_back(std::move(*response));
  }
  if (responses.empty()) return std::nullopt;
  return responses;
}

std::optional<json> JsonRpcDispatcher::handle_one(const json& request) const {
  if (!request.is_object()) {
    return error_response(nullptr, {kRpcInvalidRequest, "Invalid Request: not an object"});
  }
  const auto id_it = request.find("id");
  const bool notification = id_it == request.end();
  if (!notification && !valid_id(*id_it)) {
    return error_response(
        nullptr, {kRpcInvalidRequest, "Invalid Request: \"id\" must be a string, number or null"});
  }
  const json id = notification ? json(nullptr) : *id_it;
  if (std::optional<std::string> shape = request_shape_error(request)) {
    return error_response(id, {kRpcInvalidRequest, std::move(*shape)});
  }
  const std::string& name = request["method"].get_ref<const std::string&>();
  const auto method = methods_.find(name);
  if (method == methods_.end()) {
    if (notification) return std::nullopt;
    return error_response(id, {kRpcMethodNotFound, fmt::format("Method not found: '{}'", name)});
  }
  const auto params_it = request.find("params");
  RpcResult result = call(method->second, params_it == request.end() ? json(nullptr) : *params_it);
  if (notification) return std::nullopt;
  if (!result.is_ok()) return error_response(id, result.error());
  return result_response(id, std::move(result).value());
}

RpcResult JsonRpcDispatcher::call(const RpcHandler& handler, const json& params) const {
  try {
    return handler(params);
  } catch (const std::exception& e) {
    return RpcError{kRpcInternalError, fmt::format("Internal error: {}", e.what())};
  } catch (...) {
    return RpcError{kRpcInternalError, "Internal error"};
  }
}

}  // namespace qpow::http
