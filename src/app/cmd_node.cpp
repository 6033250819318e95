// `qpow node`: run a full node (docs/node.md).
//
//   qpow node [--network main|test|regtest] [--datadir D] [--listen ADDR] [--no-listen]
//             [--connect ADDR]... [--mine --miner-address A --threads N --strategy S]
//             [--rpc-bind ADDR] [--rpc-port P] [--rpc-allow-host H]... [--rpc-auth U:SALT$HASH]
//             [--outbound N] [--block-relay-only N] [--max-inbound N] [--validation-threads N]
//             [--log-level debug|info|warning|error]
//   qpow node --dev [--datadir D]
//
// The chain lives in <datadir>/<network>/chain; the RPC cookie is <datadir>/.cookie (rewritten at
// every start, removed at shutdown). --dev is a one-command local network: regtest, data in
// --datadir or a fresh temporary directory, mining on to a new wallet in <datadir>/wallet
// (passphrase "dev": development only), RPC on 127.0.0.1; it prints where everything is.
//
// Exit codes: 0 after a clean shutdown (SIGINT, SIGTERM or the RPC "stop"), 1 when the node
// could not start or failed, 2 for a malformed argument.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
#include "app/search_options.h"
#include "consensus/chain_params.h"
#include "http/metrics.h"
#include "http/rpc_methods.h"
#include "http/rpc_server.h"
#include "net/frame.h"
#include "primitives/address.h"
#include "primitives/network.h"
#include "node/node.h"
#include "runtime/node_runtime.h"
#include "wallet/keystore.h"

namespace qpow::app {
namespace {

using util::Result;
using util::Status;

// The dev wallet's passphrase: printed and documented; regtest coins have no value.
constexpr std::string_view kDevPassphrase = "dev";

struct NodeOptions {
  bool dev = false;
  std::string network = "main";
  std::string datadir;
  std::string listen;
  bool no_listen = false;
  std::vector<std::string> connect;
  bool mine = false;
  std::string miner_address;
  std::size_t threads = 1;
  std::string strategy = "linear";
  std::string rpc_bind = "127.0.0.1";
  std::optional<std::uint16_t> rpc_port;
  std::vector<std::string> rpc_allow_hosts;
  std::string rpc_auth;
  std::size_t outbound = node::kDefaultOutboundFullTarget;
  std::size_t block_relay_only = node::kDefaultBlockRelayTarget;
  std::size_t max_inbound = node::kDefaultInboundMax;
  std::size_t validation_threads = 0;
  std::string log_level = "info";
};

Result<node::LogLevel> parse_log_level(std::string_view s) {
  if (s == "debug") return node::LogLevel::kDebug;
  if (s == "info") return node::LogLevel::kInfo;
  if (s == "warning") return node::LogLevel::kWarning;
  if (s == "error") return node::LogLevel::kError;
  return Status::invalid_argument(
      fmt::format("--log-level: '{}' is not one of debug, info, warning, error", s));
}

Result<std::string> resolve_datadir(const NodeOptions& o) {
  if (!o.datadir.empty()) return o.datadir;
  if (o.dev) {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) return Status::io_error("no temporary directory: " + ec.message());
    std::string pattern = (base / "qpow-dev-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return Status::io_error("could not create a temporary data directory in " + base.string());
    }
    return pattern;
  }
  if (const char* dir = std::getenv("QPOW_DATADIR"); dir != nullptr && *dir != '\0') {
    return std::string(dir);
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".qpow").string();
  }
  return Status::invalid_argument("no data directory: give --datadir, or set QPOW_DATADIR or HOME");
}

// The dev wallet: opened if it exists, else created with one key; returns its first address.
Result<primitives::Address> dev_wallet(const std::string& datadir) {
  const std::filesystem::path dir = std::filesystem::path(datadir) / "wallet";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::io_error(fmt::format("{}: {}", dir.string(), ec.message()));
  const std::string path = (dir / "keystore.dat").string();
  if (std::filesystem::exists(path)) {
    QPOW_ASSIGN_OR_RETURN(wallet::Keystore ks, wallet::Keystore::open(path, kDevPassphrase));
    if (!ks.keys().empty()) return ks.keys().front().address;
    QPOW_ASSIGN_OR_RETURN(primitives::Address a, ks.add_key(crypto::kDefaultScheme, "dev"));
    QPOW_RETURN_IF_ERROR(ks.save());
    return a;
  }
  QPOW_ASSIGN_OR_RETURN(wallet::Keystore ks, wallet::Keystore::create(path, kDevPassphrase));
  QPOW_ASSIGN_OR_RETURN(primitives::Address a, ks.add_key(crypto::kDefaultScheme, "dev"));
  QPOW_RETURN_IF_ERROR(ks.save());
  return a;
}

struct NodeSetup {
  runtime::RuntimeConfig runtime;
  http::RpcServerConfig rpc;
  std::string datadir;
};

Result<NodeSetup> build_setup(NodeOptions o) {
  if (o.dev) {
    o.network = "regtest";
    o.mine = true;
  }
  NodeSetup s;
  QPOW_ASSIGN_OR_RETURN(const primitives::Network network, primitives::parse_network(o.network));
  const consensus::ChainParams& params = consensus::chain_params(network);
  QPOW_ASSIGN_OR_RETURN(s.datadir, resolve_datadir(o));
  s.runtime.network = network;
  s.runtime.chain_dir =
      (std::filesystem::path(s.datadir) / primitives::network_name(network) / "chain").string();
  if (!o.no_listen) {
    s.runtime.listen = o.listen.empty()
                           ? fmt::format("{}:{}", o.dev ? "127.0.0.1" : "0.0.0.0",
                                         net::default_p2p_port(network))
                           : o.listen;
  }
  s.runtime.connect = o.connect;
  s.runtime.mining_threads = o.threads;
  s.runtime.mining_strategy = o.strategy;
  s.runtime.validation_threads = o.validation_threads;
  QPOW_ASSIGN_OR_RETURN(s.runtime.log_level, parse_log_level(o.log_level));
  node::NodeConfig& nc = s.runtime.node;
  nc.outbound_full_target = o.outbound;
  nc.block_relay_target = o.block_relay_only;
  nc.inbound_max = o.max_inbound;
  nc.mine = o.mine;
  // A dev network mines at its target spacing rather than as fast as regtest's difficulty allows.
  if (o.dev) nc.mine_pace_ms = static_cast<std::uint64_t>(params.target_spacing_s) * 1000;
  if (o.mine) {
    if (!o.miner_address.empty()) {
      auto a = primitives::parse_address(o.miner_address, network);
      if (!a.is_ok()) return a.status().with_context("--miner-address");
      nc.miner_address = *a;
    } else if (o.dev) {
      QPOW_ASSIGN_OR_RETURN(nc.miner_address, dev_wallet(s.datadir));
    } else {
      return Status::invalid_argument("--mine needs --miner-address");
    }
  }
  s.rpc.bind_address = o.rpc_bind;
  s.rpc.port = o.rpc_port.value_or(net::default_rpc_port(network));
  s.rpc.allowed_hosts = o.rpc_allow_hosts;
  s.rpc.cookie_path = (std::filesystem::path(s.datadir) / ".cookie").string();
  if (!o.rpc_auth.empty()) s.rpc.rpc_auth = o.rpc_auth;
  return s;
}

// /ready: the node answers and is not catching up; /metrics: the node's counters.
http::ServerHooks node_hooks(node::NodeAccess& access) {
  http::ServerHooks hooks;
  hooks.ready = [&access] {
    bool ready = false;
    const Status s = access.call(
        [&ready](node::Node& n) { ready = !n.sync_info().initial_download; }, 5'000);
    return s.is_ok() && ready;
  };
  hooks.metrics_text = [&access] {
    Result<std::string> text = http::node_metrics_text(access);
    return text.is_ok() ? *text : std::string("# node unavailable: ") + text.status().to_string();
  };
  return hooks;
}

int run_node(const NodeOptions& o, CommandContext& ctx) {
  Result<NodeSetup> setup = build_setup(o);
  if (!setup.is_ok()) return fail_usage(ctx, setup.status());
  QPOW_ASSERT(setup.is_ok());
  std::error_code ec;
  std::filesystem::create_directories(setup->runtime.chain_dir, ec);
  if (ec) {
    return fail_operation(
        ctx, Status::io_error(fmt::format("{}: {}", setup->runtime.chain_dir, ec.message())));
  }
  Result<std::unique_ptr<runtime::NodeRuntime>> rt = runtime::NodeRuntime::create(setup->runtime);
  if (!rt.is_ok()) return fail_operation(ctx, rt.status());
  std::unique_ptr<http::JsonRpcDispatcher> methods =
      http::make_node_methods(**rt, consensus::chain_params(setup->runtime.network));
  http::ServerHooks hooks = node_hooks(**rt);
  Result<std::unique_ptr<http::RpcServer>> rpc =
      http::RpcServer::start(setup->rpc, *methods, hooks);
  if (!rpc.is_ok()) return fail_operation(ctx, rpc.status().with_context("rpc"));
  const std::string rpc_url = fmt::format("http://{}:{}/", setup->rpc.bind_address, (*rpc)->port());
  ctx.io.out << fmt::format("qpow node: network {}, data in {}\n",
                            primitives::network_name(setup->runtime.network), setup->datadir);
  if ((*rt)->p2p_port() != 0) ctx.io.out << fmt::format("  p2p on port {}\n", (*rt)->p2p_port());
  ctx.io.out << fmt::format("  rpc       {} (cookie {})\n", rpc_url, setup->rpc.cookie_path);
  ctx.io.out << fmt::format("  dashboard {}dashboard\n", rpc_url);
  if (o.dev) {
    ctx.io.out << fmt::format("  dev wallet {}/wallet (passphrase \"{}\"), mining to {}\n",
                              setup->datadir, kDevPassphrase,
                              setup->runtime.node.miner_address.to_string(
                                  setup->runtime.network));
  }
  ctx.io.out.flush();
  const Status ran = (*rt)->run();
  (*rpc)->stop();
  if (!ran.is_ok()) return fail_operation(ctx, ran);
  return kExitOk;
}

}  // namespace

void add_node_command(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<NodeOptions>();
  CLI::App* cmd = app.add_subcommand("node", "Run a full node");
  cmd->add_flag("--dev", o->dev,
                "One-command local network: regtest, mining, a dev wallet, RPC on loopback");
  cmd->add_option("--network", o->network, "Network: main, test or regtest")->capture_default_str();
  cmd->add_option("--datadir", o->datadir, "Data directory (default $QPOW_DATADIR or ~/.qpow)");
  cmd->add_option("--listen", o->listen, "Accept peers on HOST:PORT");
  cmd->add_flag("--no-listen", o->no_listen, "Accept no inbound peers");
  cmd->add_option("--connect", o->connect, "Keep a connection to HOST:PORT (repeatable)");
  cmd->add_flag("--mine", o->mine, "Mine blocks");
  cmd->add_option("--miner-address", o->miner_address, "Address paid by mined blocks");
  cmd->add_option("--threads", o->threads, "Mining threads")->capture_default_str();
  cmd->add_option("--strategy", o->strategy, "Nonce search: linear or omega-prm")
      ->capture_default_str();
  cmd->add_option("--rpc-bind", o->rpc_bind, "RPC listen address")->capture_default_str();
  cmd->add_option("--rpc-port", o->rpc_port, "RPC port (default per network)");
  cmd->add_option("--rpc-allow-host", o->rpc_allow_hosts,
                  "Host header accepted by the RPC server (repeatable; default loopback names)");
  cmd->add_option("--rpc-auth", o->rpc_auth, "RPC user as USER:SALT$HEX(SHA3-256(SALT||PASSWORD))");
  cmd->add_option("--outbound", o->outbound, "Outbound full-relay peers")->capture_default_str();
  cmd->add_option("--block-relay-only", o->block_relay_only, "Outbound block-relay-only peers")
      ->capture_default_str();
  cmd->add_option("--max-inbound", o->max_inbound, "Most inbound peers")->capture_default_str();
  cmd->add_option("--validation-threads", o->validation_threads,
                  "Threads for block validation (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--log-level", o->log_level, "debug, info, warning or error")
      ->capture_default_str();
  cmd->callback([o, &ctx] { ctx.exit_code = run_node(*o, ctx); });
}

}  // namespace qpow::app
