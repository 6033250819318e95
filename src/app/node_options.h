// Internal to the app layer: the options every command that talks to a running node shares
// (--rpc-host, --rpc-port, --rpc-user, --rpc-password, --datadir, --network), added to a CLI11
// command in one call, and the endpoint they name (rpc_client.h).
#pragma once

#include <string>
#include <string_view>

#include "app/rpc_client.h"
#include "primitives/network.h"
#include "util/result.h"

namespace CLI {
class App;
}

namespace qpow::app {

struct NodeClientOptions {
  std::string network = "main";
  RpcOptions rpc = {};
};

inline constexpr std::string_view kNodeDatadirHelp =
    "The node's data directory (default: $QPOW_DATADIR, else ~/.qpow); its RPC cookie is "
    "<datadir>/.cookie";

struct NodeOptionSet {
  // False where the command already has a --network of its own (`qpow wallet`'s).
  bool network = true;
  std::string_view datadir_help = kNodeDatadirHelp;
};

// Adds the options to `cmd`, writing into `options` (which must outlive the parse). The network's
// current value is shown as the default.
void add_node_client_options(CLI::App& cmd, NodeClientOptions& options, NodeOptionSet set = {});

// The network the options name (an error names --network).
util::Result<primitives::Network> client_network(const NodeClientOptions& options);

}  // namespace qpow::app
