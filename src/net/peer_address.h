// PeerAddress: a TCP endpoint of a peer (IPv4 or IPv6 and a port), as the wire carries it and the
// address book keys it. IPv4 is held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), so every
// address has one 16-byte form and compares, sorts and encodes the same way.
//
// Host names are not resolved here (no I/O below the runtime): the runtime resolves a name given
// on the command line and hands the node numeric addresses.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"
#include "util/serialize.h"

namespace qpow::net {

struct PeerAddress {
  std::array<std::uint8_t, 16> ip{};
  std::uint16_t port = 0;

  bool is_ipv4() const;  // an IPv4-mapped address
  bool is_loopback() const;  // 127.0.0.0/8 or ::1
  // "1.2.3.4:8633" or "[2001:db8::1]:8633".
  std::string to_string() const;
  // The same host with port 0: what bans and per-host limits key on.
  PeerAddress host_only() const;

  friend bool operator==(const PeerAddress&, const PeerAddress&) = default;
  friend auto operator<=>(const PeerAddress&, const PeerAddress&) = default;
};

// a.b.c.d as an IPv4-mapped address.
PeerAddress ipv4_address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                         std::uint16_t port);

// Parses "a.b.c.d", "a.b.c.d:port", "[v6]" or "[v6]:port" (a bare IPv6 without brackets is
// accepted when it has no port). A missing port is default_port. Errors name what was wrong:
// "peer address '1.2.3': expected four dotted decimal octets".
util::Result<PeerAddress> parse_peer_address(std::string_view text, std::uint16_t default_port);

// The network group an address belongs to, for diversity: /16 for IPv4, /32 for IPv6, with a
// leading family byte so the two never collide. The address book places addresses by it so that
// one network range cannot fill the book, and the peer manager keeps outbound peers in
// distinct groups.
util::Bytes network_group(const PeerAddress& address);

// Wire form: 16 address bytes then the port as u16 little-endian (18 bytes).
inline constexpr std::size_t kPeerAddressBytes = 18;
void write_peer_address(util::Writer& w, const PeerAddress& address);
util::Result<PeerAddress> read_peer_address(util::Reader& r);

}  // namespace qpow::net
