#include "http/rpc_params.h"

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::http {

using nlohmann::json;

RpcOr<RpcParams> RpcParams::bind(std::string_view method, const json& params,
                                 std::initializer_list<std::string_view> names,
                                 std::size_t required_count) {
  QPOW_ASSERT(required_count <= names.size());
  RpcParams bound(method, names);
  if (params.is_array()) {
    if (params.size() > names.size()) {
      return RpcError{kRpcInvalidParams, fmt::format("{}: takes at most {} parameter(s), got {}",
                                                     method, names.size(), params.size())};
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (!params[i].is_null()) bound.values_[i] = &params[i];
    }
  } else if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      std::size_t i = 0;
      while (i < names.size() && bound.names_[i] != key) ++i;
      if (i == names.size()) {
        return RpcError{kRpcInvalidParams, fmt::format("{}: unknown parameter '{}'", method, key)};
      }
      if (!value.is_null()) bound.values_[i] = &value;
    }
  } else if (!params.is_null()) {
    return RpcError{kRpcInvalidParams,
                    fmt::format("{}: parameters must be an array or an object", method)};
  }
  for (std::size_t i = 0; i < required_count; ++i) {
    if (bound.values_[i] == nullptr) return bound.invalid(i, "is missing");
  }
  return bound;
}

std::optional<RpcError> check_no_params(std::string_view method, const json& params) {
  RpcOr<RpcParams> bound = RpcParams::bind(method, params, {}, 0);
  if (!bound.is_ok()) return std::move(bound).error();
  return std::nullopt;
}

const json* RpcParams::get(std::size_t i) const {
  QPOW_ASSERT(i < values_.size());
  return values_[i];
}

RpcError RpcParams::invalid(std::size_t i, std::string_view what) const {
  QPOW_ASSERT(i < names_.size());
  return RpcError{kRpcInvalidParams,
                  fmt::format("{}: parameter '{}' {}", method_, names_[i], what)};
}

RpcOr<std::optional<std::string>> RpcParams::optional_string(std::size_t i) const {
  const json* value = get(i);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return invalid(i, "must be a string");
  return std::optional<std::string>(value->get<std::string>());
}

RpcOr<std::string> RpcParams::string(std::size_t i) const {
  RpcOr<std::optional<std::string>> value = optional_string(i);
  if (!value.is_ok()) return std::move(value).error();
  if (!value->has_value()) return invalid(i, "is missing");
  return **value;
}

RpcOr<std::optional<std::uint64_t>> RpcParams::optional_uint(std::size_t i,
                                                             std::uint64_t max) const {
  const json* value = get(i);
  if (value == nullptr) return std::optional<std::uint64_t>();
  // A float such as 1.0 is refused too: the caller meant a count or a height, and accepting
  // fractions would mean choosing a rounding.
  if (!value->is_number_integer()) return invalid(i, "must be an integer");
  if (value->is_number_unsigned()) {
    const auto v = value->get<std::uint64_t>();
    if (v > max) return invalid(i, fmt::format("must be at most {}, got {}", max, v));
    return std::optional<std::uint64_t>(v);
  }
  const auto v = value->get<std::int64_t>();
  if (v < 0) return invalid(i, fmt::format("must not be negative, got {}", v));
  if (static_cast<std::uint64_t>(v) > max) {
    return invalid(i, fmt::format("must be at most {}, got {}", max, v));
  }
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(v));
}

RpcOr<std::uint64_t> RpcParams::uint(std::size_t i, std::uint64_t max) const {
  RpcOr<std::optional<std::uint64_t>> value = optional_uint(i, max);
  if (!value.is_ok()) return std::move(value).error();
  if (!value->has_value()) return invalid(i, "is missing");
  return **value;
}

RpcOr<std::optional<bool>> RpcParams::optional_boolean(std::size_t i) const {
  const json* value = get(i);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return invalid(i, "must be true or false");
  return std::optional<bool>(value->get<bool>());
}

RpcOr<bool> RpcParams::boolean(std::size_t i) const {
  RpcOr<std::optional<bool>> value = optional_boolean(i);
  if (!value.is_ok()) return std::move(value).error();
  if (!value->has_value()) return invalid(i, "is missing");
  return **value;
}

}  // namespace qpow::http
