// PeerAddress: strict parsing of IPv4 and IPv6 text with ports, RFC 5952 canonical printing
// (vectors from RFC 5952 §4), loopback and network groups, and the 18-byte wire form.
#include "net/peer_address.h"

#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "util/hex.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

constexpr std::uint16_t kDefaultPort = 8633;

PeerAddress parse_ok(std::string_view text) {
  auto parsed = parse_peer_address(text, kDefaultPort);
  EXPECT_TRUE(parsed.is_ok()) << text << ": " << parsed.status().to_string();
  return parsed.is_ok() ? *parsed : PeerAddress{};
}

// The host part of the canonical text of an IPv6 address.
std::string canonical_v6(std::string_view text) {
  const std::string full = parse_ok(text).to_string();
  return full.substr(1, full.rfind(']') - 1);
}

TEST(PeerAddress, ParsesIpv4WithAndWithoutPort) {
  EXPECT_EQ(parse_ok("1.2.3.4"), ipv4_address(1, 2, 3, 4, kDefaultPort));
  EXPECT_EQ(parse_ok("1.2.3.4:18633"), ipv4_address(1, 2, 3, 4, 18633));
  EXPECT_EQ(parse_ok("0.0.0.0:1"), ipv4_address(0, 0, 0, 0, 1));
  EXPECT_EQ(parse_ok("255.255.255.255:65535"), ipv4_address(255, 255, 255, 255, 65535));
  EXPECT_TRUE(parse_ok("10.0.0.1").is_ipv4());
  EXPECT_EQ(parse_ok("192.168.1.20:8000").to_string(), "192.168.1.20:8000");
}

TEST(PeerAddress, RejectsMalformedIpv4) {
  for (std::string_view bad : {"",
                               "1.2.3",
                               "1.2.3.4.5",
                               "256.1.1.1",
                               "1.2.3.1000",
                               "01.2.3.4",
                               "1.2.3.04",
                               "1..3.4",
                               ".1.2.3",
                               "1.2.3.",
                               "1.2.3.a",
                               " 1.2.3.4",
                               "1.2.3.4 ",
                               "+1.2.3.4",
                               "-1.2.3.4",
                               "1.2.3.4/8",
                               "localhost",
                               "example.com:8633",
                               "1.2.3.4:",
                               "1.2.3.4:0",
                               "1.2.3.4:65536",
                               "1.2.3.4:-1",
                               "1.2.3.4:+1",
                               "1.2.3.4:08633",
                               "1.2.3.4:123456",
                               "1.2.3.4:86x3",
                               ":8633"}) {
    auto parsed = parse_peer_address(bad, kDefaultPort);
    EXPECT_FALSE(parsed.is_ok()) << "'" << bad << "' parsed as " << parsed->to_string();
  }
}

TEST(PeerAddress, ErrorsQuoteTheTextAndSayWhatIsWrong) {
  auto octets = parse_peer_address("1.2.3", kDefaultPort);
  ASSERT_FALSE(octets.is_ok());
  EXPECT_EQ(octets.status().message().rfind(
                "peer address '1.2.3': expected four dotted decimal octets", 0),
            0u)
      << octets.status().message();
  auto port = parse_peer_address("1.2.3.4:70000", kDefaultPort);
  ASSERT_FALSE(port.is_ok());
  EXPECT_NE(port.status().message().find("port '70000'"), std::string::npos);
  auto bracket = parse_peer_address("[::1", kDefaultPort);
  ASSERT_FALSE(bracket.is_ok());
  EXPECT_NE(bracket.status().message().find("missing ']'"), std::string::npos);
}

TEST(PeerAddress, PortsAtTheirBounds) {
  EXPECT_EQ(parse_ok("1.2.3.4:1").port, 1);
  EXPECT_FALSE(parse_peer_address("1.2.3.4:0", kDefaultPort).is_ok());
  EXPECT_EQ(parse_ok("[::1]:65535").port, 65535);
  EXPECT_FALSE(parse_peer_address("[::1]:65536", kDefaultPort).is_ok());
}

TEST(PeerAddress, ParsesIpv6InBracketsAndBare) {
  const PeerAddress loopback = parse_ok("[::1]:18633");
  EXPECT_EQ(loopback.port, 18633);
  EXPECT_EQ(util::to_hex(loopback.ip), "00000000000000000000000000000001");
  EXPECT_EQ(parse_ok("::1"), (PeerAddress{.ip = loopback.ip, .port = kDefaultPort}));
  EXPECT_EQ(parse_ok("[::1]"), (PeerAddress{.ip = loopback.ip, .port = kDefaultPort}));
  EXPECT_EQ(util::to_hex(parse_ok("2001:DB8:0:0:8:800:200C:417A").ip),
            "20010db80000000000080800200c417a");
  EXPECT_EQ(util::to_hex(parse_ok("[ff01::101]:1").ip), "ff010000000000000000000000000101");
  EXPECT_EQ(util::to_hex(parse_ok("::").ip), "00000000000000000000000000000000");
  EXPECT_EQ(util::to_hex(parse_ok("1::").ip), "00010000000000000000000000000000");
  // Seven groups and "::" standing for one zero group.
  EXPECT_EQ(util::to_hex(parse_ok("1:2:3:4:5:6:7::").ip), "00010002000300040005000600070000");
}

TEST(PeerAddress, Ipv4MappedTextIsTheIpv4Address) {
  EXPECT_EQ(parse_ok("[::ffff:1.2.3.4]:9"), ipv4_address(1, 2, 3, 4, 9));
  EXPECT_EQ(parse_ok("[::ffff:102:304]:9"), ipv4_address(1, 2, 3, 4, 9));
  EXPECT_EQ(parse_ok("[::ffff:1.2.3.4]:9").to_string(), "1.2.3.4:9");
  // A dotted tail that is not a mapped address stays IPv6.
  EXPECT_EQ(parse_ok("[64:ff9b::192.0.2.33]:9").to_string(), "[64:ff9b::c000:221]:9");
}

TEST(PeerAddress, RejectsMalformedIpv6) {
  for (std::string_view bad : {"[::1",
                               "[::1]x",
                               "[::1]:",
                               "[::1]:0",
                               "[]",
                               "[1.2.3.4]",
                               "[1.2.3.4]:5",
                               "1::2::3",
                               ":::",
                               "::::",
                               ":1:2:3:4:5:6:7",
                               "1:2:3:4:5:6:7:",
                               "1:2:3:4:5:6:7",
                               "1:2:3:4:5:6:7:8:9",
                               "1:2:3:4:5:6:7:8::",
                               "::1:2:3:4:5:6:7:8",
                               "12345::",
                               "::g",
                               "[fe80::1%eth0]",
                               "::1.2.3",
                               "::1.2.3.4.5",
                               "::256.1.1.1",
                               "1.2.3.4::",
                               "::1.2.3.4:5",
                               "[::1]]",
                               "[[::1]]",
                               "::1:8633:",
                               "2001:db8::1:8633x"}) {
    auto parsed = parse_peer_address(bad, kDefaultPort);
    EXPECT_FALSE(parsed.is_ok()) << "'" << bad << "' parsed as " << parsed->to_string();
  }
}

TEST(PeerAddress, PrintsIpv6InRfc5952CanonicalForm) {
  // RFC 5952 §4.1 leading zeros, §4.2.1 longest run, §4.2.2 one group is not shortened,
  // §4.2.3 the first of equal runs, §4.3 lower case.
  EXPECT_EQ(canonical_v6("2001:0db8::0001"), "2001:db8::1");
  EXPECT_EQ(canonical_v6("2001:db8:0:0:0:0:2:1"), "2001:db8::2:1");
  EXPECT_EQ(canonical_v6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(canonical_v6("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
  EXPECT_EQ(canonical_v6("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(canonical_v6("2001:DB8::AbCd"), "2001:db8::abcd");
  EXPECT_EQ(canonical_v6("0:0:0:0:0:0:0:0"), "::");
  EXPECT_EQ(canonical_v6("0:0:0:0:0:0:0:1"), "::1");
  EXPECT_EQ(canonical_v6("1:0:0:0:0:0:0:0"), "1::");
  EXPECT_EQ(canonical_v6("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
  EXPECT_EQ(canonical_v6("1:0:2:0:3:0:4:0"), "1:0:2:0:3:0:4:0");
  EXPECT_EQ(canonical_v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(parse_ok("[2001:db8::1]:8633").to_string(), "[2001:db8::1]:8633");
}

TEST(PeerAddress, ToStringParsesBackToTheSameAddress) {
  std::mt19937_64 rng(0x6e6574);
  for (int i = 0; i < 2000; ++i) {
    PeerAddress a;
    for (auto& b : a.ip) b = static_cast<std::uint8_t>(rng() % 3 == 0 ? 0 : rng());
    if (i % 4 == 0) a = ipv4_address(rng() & 0xff, rng() & 0xff, rng() & 0xff, rng() & 0xff, 0);
    a.port = static_cast<std::uint16_t>(1 + rng() % 65535);
    EXPECT_EQ(parse_ok(a.to_string()), a) << a.to_string();
  }
}

TEST(PeerAddress, LoopbackIs127Slash8AndColonColon1) {
  EXPECT_TRUE(parse_ok("127.0.0.1").is_loopback());
  EXPECT_TRUE(parse_ok("127.255.3.9").is_loopback());
  EXPECT_TRUE(parse_ok("::1").is_loopback());
  EXPECT_TRUE(parse_ok("::ffff:127.0.0.1").is_loopback());
  EXPECT_FALSE(parse_ok("128.0.0.1").is_loopback());
  EXPECT_FALSE(parse_ok("126.255.255.255").is_loopback());
  EXPECT_FALSE(parse_ok("::2").is_loopback());
  EXPECT_FALSE(parse_ok("::").is_loopback());
  EXPECT_FALSE(parse_ok("::127.0.0.1").is_loopback());
}

TEST(PeerAddress, HostOnlyDropsThePort) {
  const PeerAddress a = parse_ok("[2001:db8::5]:1234");
  EXPECT_EQ(a.host_only().port, 0);
  EXPECT_EQ(a.host_only().ip, a.ip);
  EXPECT_EQ(parse_ok("1.2.3.4:5").host_only(), parse_ok("1.2.3.4:6").host_only());
}

TEST(PeerAddress, NetworkGroupIsSlash16ForIpv4AndSlash32ForIpv6) {
  const util::Bytes v4 = network_group(parse_ok("1.2.3.4"));
  EXPECT_EQ(v4, network_group(parse_ok("1.2.200.9:77")));
  EXPECT_NE(v4, network_group(parse_ok("1.3.3.4")));
  EXPECT_NE(v4, network_group(parse_ok("2.2.3.4")));
  const util::Bytes v6 = network_group(parse_ok("2001:db8:1::1"));
  EXPECT_EQ(v6, network_group(parse_ok("2001:db8:ffff:ffff::9")));
  EXPECT_NE(v6, network_group(parse_ok("2001:db9::1")));
  // The family byte keeps an IPv6 /32 apart from an IPv4 /16 with the same leading bytes.
  EXPECT_NE(network_group(parse_ok("0.0.0.0")), network_group(parse_ok("::")));
  EXPECT_NE(v4.front(), v6.front());
}

TEST(PeerAddress, WireFormIsIpThenPortLittleEndian) {
  const PeerAddress a = ipv4_address(10, 0, 0, 1, 0x2169);
  util::Writer w;
  write_peer_address(w, a);
  ASSERT_EQ(w.size(), kPeerAddressBytes);
  EXPECT_EQ(util::to_hex(w.data()), "00000000000000000000ffff0a0000016921");
  util::Reader r(w.data());
  auto back = read_peer_address(r);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, a);
  EXPECT_TRUE(r.at_end());
}

TEST(PeerAddress, WireFormTruncatedAnywhereFails) {
  util::Writer w;
  write_peer_address(w, parse_ok("[2001:db8::1]:8633"));
  for (std::size_t n = 0; n < kPeerAddressBytes; ++n) {
    util::Reader r(util::ByteSpan(w.data()).first(n), "addr");
    auto back = read_peer_address(r);
    ASSERT_FALSE(back.is_ok()) << n;
    EXPECT_NE(back.status().message().find("addr.address."), std::string::npos) << n;
  }
}

}  // namespace
}  // namespace qpow::net
