// Internal to the app layer: a small synchronous JSON-RPC 2.0 client for the commands that talk
// to a running node (`qpow wallet balance|send`, `qpow mine` without --standalone). One call is
// one HTTP/1.1 POST / on a fresh connection with Basic authentication, as docs/node.md describes;
// the node's answer is bounded in size (kRpcResponseBytesMax) and the whole exchange in time.
//
// Errors are one-line Statuses a command prints as they are:
//   - the node is not there: "cannot reach the node's RPC at 127.0.0.1:28632: connection refused";
//   - a JSON-RPC error: "rpc <method>: <code> <message>", e.g. "rpc sendrawtransaction: -26 ...";
//   - credentials refused, another HTTP status, an answer that is not JSON-RPC, a timeout.
//
// Boost.Beast stays inside rpc_client.cpp (DEPENDENCIES §2.1). Calls share nothing, so they may
// run on several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "primitives/network.h"
#include "util/result.h"

namespace qpow::app {

// The largest answer body accepted (a getblock of a full block in hex is far below it).
inline constexpr std::size_t kRpcResponseBytesMax = 64 * 1024 * 1024;
// Connect, send and receive together, per call.
inline constexpr std::uint64_t kRpcDefaultTimeoutMs = 60'000;
// The cookie file is one line, "__cookie__:<64 hex>"; anything longer is not a cookie.
inline constexpr std::size_t kCookieFileBytesMax = 1024;
inline constexpr std::string_view kCookieFileName = ".cookie";

struct RpcEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string user = {};
  std::string password = {};
};

// How a command names its node, as typed (node_options.h adds these options to a command).
struct RpcOptions {
  std::string datadir = {};                // empty: default_datadir()
  std::string host = "127.0.0.1";          // --rpc-host
  std::optional<std::uint16_t> port = {};  // --rpc-port; empty: the network's default
  std::string user = {};                   // --rpc-user
  std::string password = {};               // --rpc-password
};

// The node's data directory when none is given: $QPOW_DATADIR, else ~/.qpow (as `qpow node`).
util::Result<std::string> default_datadir();

// The endpoint for `options` on `network`: the given user and password, or else the cookie in
// <datadir>/.cookie (an error that says the node may not be running when there is none). A user
// without a password, or the reverse, is an invalid argument.
util::Result<RpcEndpoint> endpoint_from_options(primitives::Network network,
                                                const RpcOptions& options);

// Reads "<user>:<password>" from a cookie file into endpoint's user and password.
util::Status read_cookie(const std::string& path, RpcEndpoint& endpoint);

struct RpcCallOptions {
  std::uint64_t timeout_ms = kRpcDefaultTimeoutMs;
  std::size_t response_bytes_max = kRpcResponseBytesMax;
};

// Calls `method` with `params` (an array or an object) and returns its "result".
util::Result<nlohmann::json> rpc_call(const RpcEndpoint& endpoint, std::string_view method,
                                      const nlohmann::json& params,
                                      const RpcCallOptions& options = {});

}  // namespace qpow::app
