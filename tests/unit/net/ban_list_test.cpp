// BanList: bans key on the host, only ever extend, expire at their time, stay within kBanListMax
// by dropping the earliest expiry, and round-trip through a canonical encoding.
#include "net/ban_list.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include "util/bytes.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

constexpr std::uint64_t kNow = 1'700'000'000;
constexpr std::uint16_t kPort = 8633;

// The i-th of up to 2^24 distinct hosts.
PeerAddress host(std::uint32_t i, std::uint16_t port = kPort) {
  return ipv4_address(10, static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 8),
                      static_cast<std::uint8_t>(i), port);
}

// kBanListMax hosts, the i-th banned until kNow + 1000 + i.
BanList full_list() {
  BanList list;
  for (std::uint32_t i = 0; i < kBanListMax; ++i) list.ban(host(i), kNow + 1000 + i);
  return list;
}

TEST(BanList, BansTheHostOnEveryPortUntilTheGivenTime) {
  BanList list;
  list.ban(host(1), kNow + 100);
  EXPECT_TRUE(list.is_banned(host(1), kNow));
  EXPECT_TRUE(list.is_banned(host(1, 1), kNow));
  EXPECT_TRUE(list.is_banned(host(1), kNow + 99));
  EXPECT_FALSE(list.is_banned(host(1), kNow + 100));  // the ban ends at until_s
  EXPECT_FALSE(list.is_banned(host(2), kNow));
  ASSERT_EQ(list.entries().size(), 1u);
  EXPECT_EQ(list.entries().begin()->first, host(1, 0));
  EXPECT_EQ(list.entries().begin()->second, kNow + 100);
}

TEST(BanList, ExtendsButNeverShortens) {
  BanList list;
  list.ban(host(1), kNow + 100);
  list.ban(host(1, 1), kNow + 50);
  EXPECT_EQ(list.entries().at(host(1, 0)), kNow + 100);
  list.ban(host(1, 2), kNow + 200);
  EXPECT_EQ(list.entries().at(host(1, 0)), kNow + 200);
  EXPECT_EQ(list.entries().size(), 1u);
}

TEST(BanList, UnbanLiftsTheBanForTheHost) {
  BanList list;
  list.ban(host(1), kNow + 100);
  list.ban(host(2), kNow + 100);
  list.unban(host(1, 9));
  list.unban(host(3));  // not banned: ignored
  EXPECT_FALSE(list.is_banned(host(1), kNow));
  EXPECT_TRUE(list.is_banned(host(2), kNow));
  EXPECT_EQ(list.entries().size(), 1u);
}

TEST(BanList, SweepDropsOnlyExpiredEntries) {
  BanList list;
  list.ban(host(1), kNow - 1);
  list.ban(host(2), kNow);
  list.ban(host(3), kNow + 1);
  list.sweep(kNow);
  ASSERT_EQ(list.entries().size(), 1u);
  EXPECT_TRUE(list.entries().contains(host(3, 0)));
  list.sweep(kNow + 1);
  EXPECT_TRUE(list.entries().empty());
}

TEST(BanList, HoldsKBanListMaxAndDropsTheEarliestExpiryPastIt) {
  BanList list = full_list();
  EXPECT_EQ(list.entries().size(), kBanListMax);
  EXPECT_TRUE(list.is_banned(host(0), kNow));

  // One past the limit: the entry that expires first (host 0) makes room.
  list.ban(host(kBanListMax), kNow + 5000 + kBanListMax);
  EXPECT_EQ(list.entries().size(), kBanListMax);
  EXPECT_FALSE(list.is_banned(host(0), kNow));
  EXPECT_TRUE(list.is_banned(host(1), kNow));
  EXPECT_TRUE(list.is_banned(host(kBanListMax), kNow));

  // A newcomer that would expire before everyone else is itself the one that does not fit.
  list.ban(host(kBanListMax + 1), kNow + 1);
  EXPECT_EQ(list.entries().size(), kBanListMax);
  EXPECT_FALSE(list.is_banned(host(kBanListMax + 1), kNow));

  // Extending a ban when full adds nothing and drops nothing.
  list.ban(host(1), kNow + 1'000'000);
  EXPECT_EQ(list.entries().size(), kBanListMax);
  EXPECT_EQ(list.entries().at(host(1, 0)), kNow + 1'000'000);
  EXPECT_TRUE(list.is_banned(host(2), kNow));
}

TEST(BanList, EncodeDecodeRoundTrips) {
  BanList list;
  list.ban(host(5), kNow + 5);
  list.ban(ipv4_address(192, 0, 2, 1, kPort), kNow + 7);
  list.ban(PeerAddress{.ip = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                       .port = kPort},
           kNow + 9);
  const util::Bytes bytes = list.encode();
  const util::Result<BanList> decoded = BanList::decode(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->entries(), list.entries());
  EXPECT_EQ(decoded->encode(), bytes);

  const util::Result<BanList> empty = BanList::decode(BanList().encode());
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->entries().empty());
}

TEST(BanList, DecodeAcceptsKBanListMaxEntriesAndRejectsOneMore) {
  const BanList list = full_list();
  const util::Result<BanList> decoded = BanList::decode(list.encode());
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->entries().size(), kBanListMax);

  util::Writer w;
  w.u8(1);
  w.compact_size(kBanListMax + 1);
  EXPECT_EQ(BanList::decode(w.data()).status().code(), util::StatusCode::kOutOfRange);
}

TEST(BanList, DecodeRejectsEveryTruncationAndATrailingByte) {
  BanList list;
  list.ban(host(1), kNow + 1);
  list.ban(host(2), kNow + 2);
  const util::Bytes bytes = list.encode();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(BanList::decode(util::ByteSpan(bytes).first(n)).is_ok()) << n;
  }
  util::Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_EQ(BanList::decode(trailing).status().code(), util::StatusCode::kMalformed);
}

util::Bytes encode_entries(std::initializer_list<PeerAddress> hosts) {
  util::Writer w;
  w.u8(1);
  w.compact_size(hosts.size());
  for (const PeerAddress& h : hosts) {
    write_peer_address(w, h);
    w.u64(kNow);
  }
  return std::move(w).take();
}

TEST(BanList, DecodeRejectsNonCanonicalEntries) {
  ASSERT_TRUE(BanList::decode(encode_entries({host(1, 0), host(2, 0)})).is_ok());
  EXPECT_FALSE(BanList::decode(encode_entries({host(2, 0), host(1, 0)})).is_ok());  // unsorted
  EXPECT_FALSE(BanList::decode(encode_entries({host(1, 0), host(1, 0)})).is_ok());  // duplicate
  const util::Status with_port = BanList::decode(encode_entries({host(1, kPort)})).status();
  EXPECT_NE(with_port.message().find("entry 0: 10.0.0.1:8633 has a port"), std::string::npos)
      << with_port.to_string();

  util::Bytes bad_version = BanList().encode();
  bad_version[0] = 2;
  EXPECT_FALSE(BanList::decode(bad_version).is_ok());
}

}  // namespace
}  // namespace qpow::net
