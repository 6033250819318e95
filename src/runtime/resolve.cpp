#include "runtime/resolve.h"

#include <algorithm>
#include <charconv>
#include <exception>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "runtime/endpoint.h"

namespace qpow::runtime {
namespace {

util::Status bad(std::string_view host_port, std::string_view why) {
  return util::Status::invalid_argument("address '" + std::string(host_port) +
                                        "': " + std::string(why));
}

util::Result<std::uint16_t> parse_port(std::string_view host_port, std::string_view text) {
  std::uint32_t port = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || ec != std::errc() || ptr != end || port > UINT16_MAX) {
    return bad(host_port, "port '" + std::string(text) + "' is not a number in [0, 65535]");
  }
  return static_cast<std::uint16_t>(port);
}

}  // namespace

util::Result<HostPort> split_host_port(std::string_view host_port, std::uint16_t default_port) {
  HostPort out{.host = {}, .port = default_port};
  std::string_view host = host_port;
  std::string_view port_text;
  bool has_port = false;
  if (!host_port.empty() && host_port.front() == '[') {
    const std::size_t close = host_port.find(']');
    if (close == std::string_view::npos) return bad(host_port, "'[' without ']'");
    host = host_port.substr(1, close - 1);
    const std::string_view rest = host_port.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad(host_port, "expected ':port' after ']'");
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (const std::size_t colon = host_port.find(':');
             colon != std::string_view::npos &&
             host_port.find(':', colon + 1) == std::string_view::npos) {
    // Exactly one colon: host and port. More than one is a bare IPv6 literal without a port.
    host = host_port.substr(0, colon);
    port_text = host_port.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return bad(host_port, "no host");
  if (host.size() > kHostNameBytesMax) {
    return bad(host_port, "host longer than " + std::to_string(kHostNameBytesMax) + " bytes");
  }
  if (has_port) {
    QPOW_ASSIGN_OR_RETURN(out.port, parse_port(host_port, port_text));
  }
  out.host = std::string(host);
  return out;
}

util::Result<std::vector<net::PeerAddress>> resolve(std::string_view host_port,
                                                    std::uint16_t default_port) {
  QPOW_ASSIGN_OR_RETURN(const HostPort split, split_host_port(host_port, default_port));
  std::vector<net::PeerAddress> found;
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    const auto results = resolver.resolve(split.host, std::to_string(split.port),
                                          boost::asio::ip::tcp::resolver::numeric_service, ec);
    if (ec) {
      return util::Status::not_found("address '" + std::string(host_port) +
                                     "': cannot resolve: " + ec.message());
    }
    for (const auto& entry : results) {
      const net::PeerAddress address = detail::to_peer_address(entry.endpoint());
      if (std::find(found.begin(), found.end(), address) == found.end()) found.push_back(address);
    }
  } catch (const std::exception& e) {
    return util::Status::io_error("address '" + std::string(host_port) + "': " + e.what());
  }
  if (found.empty()) {
    return util::Status::not_found("address '" + std::string(host_port) + "': no addresses");
  }
  std::stable_partition(found.begin(), found.end(), detail::is_ipv4_mapped);
  if (found.size() > kResolvedAddressesMax) found.resize(kResolvedAddressesMax);
  return found;
}

}  // namespace qpow::runtime
