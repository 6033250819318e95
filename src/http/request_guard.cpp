#include "http/request_guard.h"

#include <fmt/format.h>

#include "http/ascii.h"
#include "util/assert.h"

namespace qpow::http {
namespace {

std::optional<Route> find_route(std::string_view target) {
  if (target == "/") return Route::kJsonRpc;
  if (target == "/health") return Route::kHealth;
  if (target == "/ready") return Route::kReady;
  if (target == "/metrics") return Route::kMetrics;
  if (target == "/dashboard") return Route::kDashboard;
  return std::nullopt;
}

GuardDecision refuse(unsigned status, std::string message) {
  return GuardDecision{
      .route = std::nullopt, .status = status, .message = std::move(message), .allow = {}};
}

}  // namespace

std::vector<std::string> default_allowed_hosts(std::uint16_t port) {
  std::vector<std::string> hosts;
  for (const std::string_view name : {"127.0.0.1", "localhost", "[::1]"}) {
    hosts.emplace_back(name);
    hosts.push_back(fmt::format("{}:{}", name, port));
  }
  return hosts;
}

bool is_json_content_type(std::string_view content_type) {
  const std::string_view media = trim_whitespace(content_type.substr(0, content_type.find(';')));
  return equals_ignoring_case(media, kJsonContentType);
}

GuardDecision check_request(const RequestHead& head, const GuardPolicy& policy) {
  QPOW_ASSERT(policy.credentials != nullptr);
  bool host_ok = false;
  if (head.host) {
    const std::string_view host = trim_whitespace(*head.host);
    for (const std::string& allowed : policy.allowed_hosts) {
      host_ok = host_ok || equals_ignoring_case(host, allowed);
    }
  }
  if (!host_ok) return refuse(403, "host not allowed");

  const std::optional<Route> route = find_route(head.target);
  if (!route) return refuse(404, "not found");
  const std::string_view method = *route == Route::kJsonRpc ? "POST" : "GET";
  if (head.method != method) {
    GuardDecision decision = refuse(405, "method not allowed");
    decision.allow = method;
    return decision;
  }
  if (*route != Route::kJsonRpc) return GuardDecision{.route = route, .status = 200};

  if (!head.authorization || !policy.credentials->check(*head.authorization)) {
    return refuse(401, "authorization required");
  }
  if (!head.content_type || !is_json_content_type(*head.content_type)) {
    return refuse(415, "content type must be application/json");
  }
  if (head.content_length && *head.content_length > policy.body_bytes_max) {
    return refuse(413, fmt::format("body of {} bytes, the limit is {}", *head.content_length,
                                   policy.body_bytes_max));
  }
  return GuardDecision{.route = route, .status = 200};
}

}  // namespace qpow::http
