// What the node's RPC methods share (rpc_methods_*.cpp): the context they are registered with,
// and node_call, which runs a closure on the node's thread.
//
// The rule every method follows: copy what it needs out of the node inside the closure (the node
// is single-threaded and its objects may change as soon as the closure returns), then build the
// JSON outside, so the node thread is held as briefly as possible.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <utility>

#include "consensus/chain_params.h"
#include "http/json_rpc.h"
#include "node/node.h"
#include "node/node_access.h"

namespace qpow::http {

struct MethodContext {
  node::NodeAccess& access;
  const consensus::ChainParams& params;
  std::chrono::steady_clock::time_point started;  // when the methods were made, for "uptime"
};

// Runs fn(node) -> RpcOr<T> on the node's thread (node::kDefaultNodeCallTimeoutMs). When the
// node cannot take the call: kUnavailable becomes -28, kTimeout -1. An exception inside fn
// (allocation) is answered with -32603 and never reaches the node's thread.
template <class T, class Fn>
RpcOr<T> node_call(node::NodeAccess& access, Fn&& fn) {
  std::optional<RpcOr<T>> out;
  const util::Status status = access.call(
      [&](node::Node& node) {
        try {
          out.emplace(fn(node));
        } catch (const std::exception& e) {
          out.emplace(RpcError{kRpcInternalError, std::string("Internal error: ") + e.what()});
        }
      },
      node::kDefaultNodeCallTimeoutMs);
  if (!status.is_ok()) {
    RpcError error = rpc_error_from_status(status);
    error.message = "node: " + error.message;
    return error;
  }
  if (!out) return RpcError{kRpcInternalError, "Internal error: the node call did not run"};
  return std::move(*out);
}

// A method that takes the context: bind_method makes it a dispatcher handler.
using NodeMethod = RpcResult (*)(const MethodContext& context, const nlohmann::json& params);
inline RpcHandler bind_method(const MethodContext& context, NodeMethod method) {
  return [context, method](const nlohmann::json& params) { return method(context, params); };
}

// Each topic's methods (rpc_methods_<topic>.cpp).
void add_block_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context);
void add_transaction_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context);
void add_network_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context);
void add_mining_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context);

}  // namespace qpow::http
