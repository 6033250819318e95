#include "app/node_options.h"

#include <vector>

#include <CLI/CLI.hpp>

namespace qpow::app {
namespace {

const std::vector<std::string> kNetworkNames = {"main", "test", "regtest"};

}  // namespace

void add_node_client_options(CLI::App& cmd, NodeClientOptions& options, NodeOptionSet set) {
  if (set.network) {
    cmd.add_option("--network", options.network, "Network: main, test or regtest")
        ->capture_default_str()
        ->check(CLI::IsMember(kNetworkNames));
  }
  cmd.add_option("--datadir", options.rpc.datadir, std::string(set.datadir_help));
  cmd.add_option("--rpc-host", options.rpc.host, "The node's RPC address")->capture_default_str();
  cmd.add_option("--rpc-port", options.rpc.port, "The node's RPC port (default per network)");
  cmd.add_option("--rpc-user", options.rpc.user,
                 "RPC user (with --rpc-password; default: the cookie in <datadir>/.cookie)");
  cmd.add_option("--rpc-password", options.rpc.password, "RPC password (with --rpc-user)");
}

util::Result<primitives::Network> client_network(const NodeClientOptions& options) {
  util::Result<primitives::Network> network = primitives::parse_network(options.network);
  if (!network.is_ok()) return network.status().with_context("--network");
  return network;
}

}  // namespace qpow::app
