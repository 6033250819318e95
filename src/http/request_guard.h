// What the RPC server decides about a request from its head alone, before it reads any body:
// which route it goes to, or the HTTP error that refuses it. Pure (no sockets), so every guard is
// tested without a server.
//
// Checks, in order:
//   1. Host: the Host header must be in the allow-list (403 "host not allowed"). A web page that
//      a browser loads from an attacker's domain can make the browser send requests to
//      127.0.0.1 (DNS rebinding), but the Host header then names the attacker's domain.
//   2. Route: "/" for JSON-RPC, "/health", "/ready", "/metrics"; anything else 404.
//   3. Method: POST on "/", GET on the others (405 with an Allow header).
//   4. For JSON-RPC only: HTTP Basic auth (401 with WWW-Authenticate: Basic realm="qpow"),
//      then Content-Type application/json, parameters such as charset allowed (415), then a
//      declared Content-Length over the body limit (413).
// The three GET routes need no credentials: load balancers' health probes and Prometheus
// scrapers do not carry any, and they reveal nothing a caller could not learn from the P2P port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/rpc_auth.h"

namespace qpow::http {

inline constexpr std::string_view kJsonContentType = "application/json";
// The Prometheus text exposition format, version 0.0.4.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4";
inline constexpr std::string_view kAuthRealmHeader = "Basic realm=\"qpow\"";

enum class Route : std::uint8_t { kJsonRpc, kHealth, kReady, kMetrics, kDashboard };

struct RequestHead {
  std::string_view method = {};  // "GET", "POST", ...
  std::string_view target = {};  // the request-target, e.g. "/" or "/health"
  std::optional<std::string_view> host = {};
  std::optional<std::string_view> authorization = {};
  std::optional<std::string_view> content_type = {};
  std::optional<std::uint64_t> content_length = {};  // absent for chunked or no body
};

struct GuardDecision {
  std::optional<Route> route = {};  // set when the request may proceed
  unsigned status = 200;            // the HTTP status refusing it otherwise
  std::string message = {};
  std::string_view allow = {};  // for 405: the method the route takes
};

struct GuardPolicy {
  std::vector<std::string> allowed_hosts = {};  // compared without regard to case
  const RpcCredentials* credentials = nullptr;
  std::uint64_t body_bytes_max = 0;
};

// The Host values allowed when none are configured: the loopback names with and without the
// server's port ("127.0.0.1", "localhost", "[::1]", "127.0.0.1:8632", ...).
std::vector<std::string> default_allowed_hosts(std::uint16_t port);

// True if the media type of a Content-Type value is application/json (any case, any parameters).
bool is_json_content_type(std::string_view content_type);

GuardDecision check_request(const RequestHead& head, const GuardPolicy& policy);

}  // namespace qpow::http
