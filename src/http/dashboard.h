// The node's web dashboard: one static page served at GET /dashboard. It reads the node's state
// from GET /metrics (the same Prometheus text a scraper gets, which needs no credentials) every
// two seconds and shows it; it holds no secrets and calls no state-changing method, so it needs
// no RPC credentials and gives a page on another site nothing to abuse.
#pragma once

#include <string_view>

namespace qpow::http {

// The page (HTML with inline CSS and JavaScript; no external resources).
std::string_view dashboard_html();

}  // namespace qpow::http
