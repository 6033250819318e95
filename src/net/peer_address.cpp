#include "net/peer_address.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace qpow::net {
namespace {

// ::ffff:0:0/96, the IPv4-mapped prefix (RFC 4291 §2.5.5.2).
constexpr std::array<std::uint8_t, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
constexpr std::size_t kIpv6Groups = 8;
constexpr std::size_t kGroupHexDigitsMax = 4;
constexpr std::size_t kOctetDigitsMax = 3;
constexpr std::size_t kPortDigitsMax = 5;
// The leading byte of a network group, so an IPv4 /16 never equals an IPv6 /32.
constexpr std::uint8_t kGroupFamilyIpv4 = 4;
constexpr std::uint8_t kGroupFamilyIpv6 = 6;
constexpr std::size_t kIpv6GroupPrefixBytes = 4;  // /32

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<unsigned> hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
  return std::nullopt;
}

util::Status address_error(std::string_view text, std::string_view what) {
  return util::Status::malformed(fmt::format("peer address '{}': {}", text, what));
}

// A plain decimal number of at most max_digits digits, without sign or leading zeros (a leading
// zero reads as octal to inet_aton, so "010" is refused rather than read one way or the other).
std::optional<unsigned> parse_decimal(std::string_view digits, std::size_t max_digits) {
  if (digits.empty() || digits.size() > max_digits) return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// "a.b.c.d" into four bytes.
std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text) {
  std::array<std::uint8_t, 4> octets{};
  std::size_t start = 0;
  for (std::size_t i = 0; i < octets.size(); ++i) {
    const std::size_t dot = i + 1 < octets.size() ? text.find('.', start) : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const auto octet = parse_decimal(text.substr(start, dot - start), kOctetDigitsMax);
    if (!octet || *octet > 0xff) return std::nullopt;
    octets[i] = static_cast<std::uint8_t>(*octet);
    start = dot + 1;
  }
  return octets;
}

// The groups of one side of "::": hex groups separated by ':', the last of which may be a dotted
// IPv4 address worth two groups (RFC 4291 §2.2, form 3). Appends to groups.
bool parse_ipv6_groups(std::string_view text, bool last_side, std::vector<std::uint16_t>& groups) {
  if (text.empty()) return true;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = text.find(':', start);
    const std::string_view part = text.substr(
        start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (colon == std::string_view::npos && last_side && part.find('.') != std::string_view::npos) {
      const auto v4 = parse_ipv4(part);
      if (!v4) return false;
      groups.push_back(static_cast<std::uint16_t>(((*v4)[0] << 8) | (*v4)[1]));
      groups.push_back(static_cast<std::uint16_t>(((*v4)[2] << 8) | (*v4)[3]));
      return true;
    }
    if (part.empty() || part.size() > kGroupHexDigitsMax) return false;
    unsigned value = 0;
    for (char c : part) {
      const auto digit = hex_value(c);
      if (!digit) return false;
      value = value * 16 + *digit;
    }
    groups.push_back(static_cast<std::uint16_t>(value));
    if (groups.size() > kIpv6Groups) return false;
    if (colon == std::string_view::npos) return true;
    start = colon + 1;
  }
}

// An IPv6 address in any RFC 4291 §2.2 text form, without zone id.
std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text) {
  std::vector<std::uint16_t> head;
  std::vector<std::uint16_t> tail;
  const std::size_t gap = text.find("::");
  const bool compressed = gap != std::string_view::npos;
  if (compressed) {
    const std::string_view rest = text.substr(gap + 2);
    if (rest.find("::") != std::string_view::npos) return std::nullopt;
    if (!parse_ipv6_groups(text.substr(0, gap), /*last_side=*/false, head)) return std::nullopt;
    if (!parse_ipv6_groups(rest, /*last_side=*/true, tail)) return std::nullopt;
    // "::" stands for at least one zero group (RFC 4291 §2.2, 2.).
    if (head.size() + tail.size() >= kIpv6Groups) return std::nullopt;
  } else {
    if (!parse_ipv6_groups(text, /*last_side=*/true, head)) return std::nullopt;
    if (head.size() != kIpv6Groups) return std::nullopt;
  }
  std::array<std::uint16_t, kIpv6Groups> groups{};
  std::copy(head.begin(), head.end(), groups.begin());
  std::copy(tail.begin(), tail.end(), groups.end() - static_cast<std::ptrdiff_t>(tail.size()));
  std::array<std::uint8_t, 16> ip{};
  for (std::size_t i = 0; i < kIpv6Groups; ++i) {
    ip[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    ip[2 * i + 1] = static_cast<std::uint8_t>(groups[i]);
  }
  return ip;
}

// RFC 5952 §4: lower-case hex without leading zeros, the longest run of two or more zero groups
// (the first of equal runs) shortened to "::".
std::string format_ipv6(const std::array<std::uint8_t, 16>& ip) {
  std::array<unsigned, kIpv6Groups> groups{};
  for (std::size_t i = 0; i < kIpv6Groups; ++i) groups[i] = (ip[2 * i] << 8) | ip[2 * i + 1];
  std::size_t best_start = kIpv6Groups;
  std::size_t best_len = 1;  // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (std::size_t i = 0; i < kIpv6Groups;) {
    std::size_t j = i;
    while (j < kIpv6Groups && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (std::size_t i = 0; i < kIpv6Groups; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", groups[i]);
  }
  return out;
}

util::Result<std::uint16_t> parse_port(std::string_view text, std::string_view port) {
  const auto value = parse_decimal(port, kPortDigitsMax);
  if (!value || *value == 0 || *value > 0xffff) {
    return address_error(text, fmt::format("port '{}' is not a number from 1 to 65535", port));
  }
  return static_cast<std::uint16_t>(*value);
}

util::Result<PeerAddress> parse_bracketed(std::string_view text, std::uint16_t default_port) {
  const std::size_t close = text.find(']');
  if (close == std::string_view::npos) return address_error(text, "missing ']' after IPv6 address");
  const auto ip = parse_ipv6(text.substr(1, close - 1));
  if (!ip) return address_error(text, "not a valid IPv6 address inside '[...]'");
  PeerAddress address{.ip = *ip, .port = default_port};
  const std::string_view rest = text.substr(close + 1);
  if (rest.empty()) return address;
  if (rest[0] != ':') return address_error(text, "expected ':port' after ']'");
  QPOW_ASSIGN_OR_RETURN(address.port, parse_port(text, rest.substr(1)));
  return address;
}

}  // namespace

bool PeerAddress::is_ipv4() const {
  return std::equal(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), ip.begin());
}

bool PeerAddress::is_loopback() const {
  if (is_ipv4()) return ip[12] == 127;
  constexpr std::array<std::uint8_t, 16> kIpv6Loopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                          0, 0, 0, 0, 0, 0, 0, 1};
  return ip == kIpv6Loopback;
}

std::string PeerAddress::to_string() const {
  if (is_ipv4()) return fmt::format("{}.{}.{}.{}:{}", ip[12], ip[13], ip[14], ip[15], port);
  return fmt::format("[{}]:{}", format_ipv6(ip), port);
}

PeerAddress PeerAddress::host_only() const {
  return PeerAddress{.ip = ip, .port = 0};
}

PeerAddress ipv4_address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                         std::uint16_t port) {
  PeerAddress address{.ip = {}, .port = port};
  std::copy(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), address.ip.begin());
  address.ip[12] = a;
  address.ip[13] = b;
  address.ip[14] = c;
  address.ip[15] = d;
  return address;
}

util::Result<PeerAddress> parse_peer_address(std::string_view text, std::uint16_t default_port) {
  if (text.empty()) return address_error(text, "empty");
  if (text[0] == '[') return parse_bracketed(text, default_port);
  const std::size_t first_colon = text.find(':');
  if (first_colon != std::string_view::npos && text.find(':', first_colon + 1) != text.npos) {
    // Two colons or more: a bare IPv6 address, which cannot carry a port.
    const auto ip = parse_ipv6(text);
    if (!ip) return address_error(text, "not a valid IPv6 address (write a port as '[v6]:port')");
    return PeerAddress{.ip = *ip, .port = default_port};
  }
  const std::string_view host = text.substr(0, first_colon);
  const auto octets = parse_ipv4(host);
  if (!octets) {
    return address_error(text, "expected four dotted decimal octets (0-255, no leading zeros)");
  }
  PeerAddress address =
      ipv4_address((*octets)[0], (*octets)[1], (*octets)[2], (*octets)[3], default_port);
  if (first_colon != std::string_view::npos) {
    QPOW_ASSIGN_OR_RETURN(address.port, parse_port(text, text.substr(first_colon + 1)));
  }
  return address;
}

util::Bytes network_group(const PeerAddress& address) {
  if (address.is_ipv4()) return {kGroupFamilyIpv4, address.ip[12], address.ip[13]};
  util::Bytes group{kGroupFamilyIpv6};
  group.insert(group.end(), address.ip.begin(), address.ip.begin() + kIpv6GroupPrefixBytes);
  return group;
}

void write_peer_address(util::Writer& w, const PeerAddress& address) {
  w.bytes(address.ip);
  w.u16(address.port);
}

util::Result<PeerAddress> read_peer_address(util::Reader& r) {
  PeerAddress address;
  QPOW_RETURN_IF_ERROR(r.bytes_into("address.ip", address.ip));
  QPOW_ASSIGN_OR_RETURN(address.port, r.u16("address.port"));
  return address;
}

}  // namespace qpow::net
