// make_node_methods, and the control methods: stop, uptime, help.
#include "http/rpc_methods.h"

#include <chrono>

#include "http/rpc_node_call.h"
#include "http/rpc_params.h"

namespace qpow::http {
namespace {

using nlohmann::json;

void add_control_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context) {
  dispatcher.add("stop", [context](const json& raw) -> RpcResult {
    if (auto error = check_no_params("stop", raw)) return *error;
    return node_call<json>(context.access, [](node::Node& node) -> RpcResult {
      node.request_shutdown();
      return json("qpow stopping");
    });
  });
  dispatcher.add("uptime", [context](const json& raw) -> RpcResult {
    if (auto error = check_no_params("uptime", raw)) return *error;
    const auto elapsed = std::chrono::steady_clock::now() - context.started;
    return json(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
  });
  // The table is complete when help is registered last; the handler reads it at call time.
  dispatcher.add("help", [&dispatcher](const json& raw) -> RpcResult {
    if (auto error = check_no_params("help", raw)) return *error;
    return json(dispatcher.method_names());
  });
}

}  // namespace

std::unique_ptr<JsonRpcDispatcher> make_node_methods(node::NodeAccess& access,
                                                     const consensus::ChainParams& params) {
  auto dispatcher = std::make_unique<JsonRpcDispatcher>();
  const MethodContext context{
      .access = access, .params = params, .started = std::chrono::steady_clock::now()};
  add_block_methods(*dispatcher, context);
  add_transaction_methods(*dispatcher, context);
  add_network_methods(*dispatcher, context);
  add_mining_methods(*dispatcher, context);
  add_control_methods(*dispatcher, context);
  return dispatcher;
}

}  // namespace qpow::http
