// RpcServer: the node's HTTP/1.1 server for JSON-RPC 2.0 (POST /) and the probes GET /health,
// GET /ready and GET /metrics, with the guards of request_guard.h (Host allow-list, Basic auth,
// content type, sizes) plus time and connection limits:
//   - a request head over header_bytes_max: 431; a body over body_bytes_max: 413;
//   - a request (head and body) not received within request_timeout_ms, or a response not taken
//     within it: the connection is closed; an idle keep-alive connection is closed after it too;
//   - a connection beyond connections_max: closed as soon as it is accepted.
// Every refusal (4xx) closes the connection after the response, since the rest of the request
// may still be on the wire. Successful requests keep the connection alive as HTTP/1.1 says.
//
// JSON-RPC answers are HTTP 200 with the JSON body, JSON-RPC errors included (a body that does
// not parse gets 200 and the -32700 response too): the HTTP status speaks about the transport,
// the JSON-RPC error about the call. A body of notifications only gets 204 No Content.
//
// Authentication: a fresh random cookie every start (user "__cookie__", see rpc_auth.h), written
// to cookie_path when one is configured (mode 0600, atomically) and removed at stop; and the
// optional rpc_auth user. GET /health answers 200 {"status":"ok"} whenever the server answers at
// all; GET /ready answers 200 or 503 after hooks.ready; GET /metrics serves hooks.metrics_text.
//
// Threading: the server runs its own io_context on kServerThreads threads. JSON-RPC handlers
// and hooks run on those threads, so a handler that waits (for the node) delays other requests
// on its thread; each must be safe to call concurrently. The dispatcher and the hooks must
// outlive the server. stop() must not be called from a handler or a hook (it waits for them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/json_rpc.h"
#include "util/result.h"

namespace qpow::http {

inline constexpr std::size_t kServerThreads = 2;
inline constexpr std::size_t kDefaultBodyBytesMax = 32 * 1024 * 1024;
inline constexpr std::size_t kDefaultHeaderBytesMax = 8 * 1024;
inline constexpr std::uint64_t kDefaultRequestTimeoutMs = 30'000;
inline constexpr std::size_t kDefaultConnectionsMax = 256;

struct RpcServerConfig {
  std::string bind_address = "127.0.0.1";  // a numeric IPv4 or IPv6 address
  std::uint16_t port = 0;                  // 0: any free port (see RpcServer::port)
  // Host header values accepted (without regard to case). Empty: the loopback names with and
  // without ":<port>" (request_guard.h, default_allowed_hosts).
  std::vector<std::string> allowed_hosts = {};
  // Non-empty: the cookie file "__cookie__:<64 hex>\n" is written here at start, removed at stop.
  std::string cookie_path = {};
  // "<user>:<salt>$<hex SHA3-256(salt || password)>" (rpc_auth.h).
  std::optional<std::string> rpc_auth = {};
  std::size_t body_bytes_max = kDefaultBodyBytesMax;
  // Bytes of the whole request head: request line, fields and the blank line that ends them.
  std::size_t header_bytes_max = kDefaultHeaderBytesMax;
  std::uint64_t request_timeout_ms = kDefaultRequestTimeoutMs;
  std::size_t connections_max = kDefaultConnectionsMax;
};

struct ServerHooks {
  // False: GET /ready answers 503. Unset: always ready.
  std::function<bool()> ready = {};
  // The body of GET /metrics (Prometheus text format). Unset: an empty body.
  std::function<std::string()> metrics_text = {};
};

class RpcServer {
 public:
  // Binds, listens, writes the cookie file and starts the threads. Errors: a bind address that
  // is not numeric, a port in use, a malformed rpc_auth, a zero limit, the cookie file.
  static util::Result<std::unique_ptr<RpcServer>> start(RpcServerConfig config,
                                                        const JsonRpcDispatcher& dispatcher,
                                                        ServerHooks hooks);
  ~RpcServer();  // stop()s
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // The port the server listens on (the one chosen when the config said 0).
  std::uint16_t port() const;
  // The cookie's secret (the password of user "__cookie__") for in-process clients.
  const std::string& cookie_secret() const;
  // Stops accepting, lets requests already being answered finish for up to 2 s (so the reply to
  // "stop" reaches its caller), then closes every connection, joins the threads and removes the
  // cookie file. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit RpcServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qpow::http
