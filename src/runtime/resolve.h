// Host names to peer addresses, for names given at startup (--listen, --connect
// "localhost:28633"). The node itself only ever sees numeric addresses (net/peer_address.h).
//
// Accepted forms: "host", "host:port", "[ipv6]", "[ipv6]:port", and a bare IPv6 literal without
// a port ("::1"). A missing port is the caller's default. Names go through the system resolver
// (getaddrinfo), which blocks: call this at startup, not on the node thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/peer_address.h"
#include "util/result.h"

namespace qpow::runtime {

// The longest host name the DNS allows (RFC 1035 §2.3.4).
inline constexpr std::size_t kHostNameBytesMax = 253;
// Most addresses one name resolves to that are kept.
inline constexpr std::size_t kResolvedAddressesMax = 16;

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// Splits host_port without resolving anything. Errors (kInvalidArgument) name what was wrong:
// an empty host, a host over kHostNameBytesMax, an unclosed bracket, a port that is not a decimal
// number in [0, 65535].
util::Result<HostPort> split_host_port(std::string_view host_port, std::uint16_t default_port);

// The addresses of host_port, IPv4 first (so "localhost" means 127.0.0.1 where a listener on
// 127.0.0.1 is the common case), then IPv6, each in the resolver's order, without duplicates, at
// most kResolvedAddressesMax. Errors: split_host_port's; kNotFound when the name does not resolve.
util::Result<std::vector<net::PeerAddress>> resolve(std::string_view host_port,
                                                    std::uint16_t default_port);

}  // namespace qpow::runtime
