// A method's parameters, given by position (an array) or by name (an object), bound to the names
// the method declares. Every error is kRpcInvalidParams (-32602) with a message that names the
// method and the parameter ("getblock: parameter 'verbosity' must be an integer"); a value of the
// right type outside what the method accepts is the method's own kRpcInvalidParameter (-8).
//
// A parameter given as JSON null counts as not given (as in Bitcoin Core), so a positional call
// can skip an optional parameter. The RpcParams refers into the request's JSON, which must
// outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/json_rpc.h"

namespace qpow::http {

// For a method without parameters: the -32602 error when some are given anyway (an empty array,
// an empty object or none at all is fine).
std::optional<RpcError> check_no_params(std::string_view method, const nlohmann::json& params);

class RpcParams {
 public:
  // Binds params (array, object or null) to `names`; the first required_count names must be
  // given. Errors: more positional values than names, a name that is not declared, a required
  // parameter missing.
  static RpcOr<RpcParams> bind(std::string_view method, const nlohmann::json& params,
                               std::initializer_list<std::string_view> names,
                               std::size_t required_count);

  // The value of parameter i, or nullptr when it was not given.
  const nlohmann::json* get(std::size_t i) const;
  bool has(std::size_t i) const { return get(i) != nullptr; }

  // Typed readers; each fails with -32602 naming the parameter when it is missing or of another
  // JSON type. The optional_ forms give nullopt for a parameter not given.
  RpcOr<std::string> string(std::size_t i) const;
  RpcOr<std::optional<std::string>> optional_string(std::size_t i) const;
  // A non-negative integer (a JSON number with no fraction), at most max.
  RpcOr<std::uint64_t> uint(std::size_t i, std::uint64_t max) const;
  RpcOr<std::optional<std::uint64_t>> optional_uint(std::size_t i, std::uint64_t max) const;
  RpcOr<bool> boolean(std::size_t i) const;
  RpcOr<std::optional<bool>> optional_boolean(std::size_t i) const;

  // The error for parameter i: "<method>: parameter '<name>' <what>".
  RpcError invalid(std::size_t i, std::string_view what) const;

 private:
  RpcParams(std::string_view method, std::initializer_list<std::string_view> names)
      : method_(method), names_(names), values_(names.size(), nullptr) {}

  std::string method_;
  std::vector<std::string_view> names_;  // string literals of the method table
  std::vector<const nlohmann::json*> values_;
};

}  // namespace qpow::http
