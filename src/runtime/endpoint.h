// Conversions between net::PeerAddress and Asio's TCP endpoints. Internal to the runtime: it
// includes Boost.Asio, so only the runtime's .cpp files include it, never a public header.
#pragma once

#include <algorithm>
#include <cstdint>

#include <boost/asio/ip/tcp.hpp>

#include "net/peer_address.h"

namespace qpow::runtime::detail {

// Bytes 0..11 of an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
inline bool is_ipv4_mapped(const net::PeerAddress& address) {
  const auto& ip = address.ip;
  return std::all_of(ip.begin(), ip.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
         ip[10] == 0xff && ip[11] == 0xff;
}

// An IPv4-mapped address becomes an IPv4 endpoint, so it reaches IPv4-only listeners.
inline boost::asio::ip::tcp::endpoint to_endpoint(const net::PeerAddress& address) {
  namespace ip = boost::asio::ip;
  if (is_ipv4_mapped(address)) {
    const ip::address_v4::bytes_type v4{address.ip[12], address.ip[13], address.ip[14],
                                        address.ip[15]};
    return {ip::address_v4(v4), address.port};
  }
  ip::address_v6::bytes_type v6{};
  std::copy(address.ip.begin(), address.ip.end(), v6.begin());
  return {ip::address_v6(v6), address.port};
}

inline net::PeerAddress to_peer_address(const boost::asio::ip::tcp::endpoint& endpoint) {
  net::PeerAddress out;
  out.port = endpoint.port();
  const boost::asio::ip::address address = endpoint.address();
  if (address.is_v4()) {
    const auto v4 = address.to_v4().to_bytes();
    out.ip[10] = 0xff;
    out.ip[11] = 0xff;
    std::copy(v4.begin(), v4.end(), out.ip.begin() + 12);
  } else {
    const auto v6 = address.to_v6().to_bytes();
    std::copy(v6.begin(), v6.end(), out.ip.begin());
  }
  return out;
}

}  // namespace qpow::runtime::detail
