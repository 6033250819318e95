// Wire messages: every command round-trips with realistic contents; payload layouts are the ones
// message.h documents; every list is accepted at its bound and rejected one past it; truncation,
// trailing bytes, unknown enums, non-0/1 booleans and unprintable user agents are rejected with
// errors that name the field.
#include "net/message.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sample_messages.h"
#include "util/hex.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

using test::filled_hash;
using test::sample_messages;

// Expects the payload to fail for `command` with an error containing `fragment`.
void expect_rejected(std::string_view command, util::ByteSpan payload, std::string_view fragment) {
  auto decoded = decode_payload(command, payload);
  ASSERT_FALSE(decoded.is_ok()) << command << ": decoded although it should not";
  EXPECT_NE(decoded.status().message().find(fragment), std::string::npos)
      << command << ": '" << decoded.status().message() << "' lacks '" << fragment << "'";
}

Message round_trip(const Message& message) {
  const util::Bytes payload = encode_payload(message);
  auto decoded = decode_payload(command_name(message), payload);
  EXPECT_TRUE(decoded.is_ok()) << command_name(message) << ": " << decoded.status().to_string();
  return decoded.is_ok() ? *decoded : Message{};
}

// A list payload written by hand (so it may exceed the limit encode_payload asserts).
util::Bytes inv_payload(std::size_t count, std::uint8_t type = 2) {
  util::Writer w;
  w.compact_size(count);
  for (std::size_t i = 0; i < count; ++i) {
    w.u8(type);
    w.bytes(filled_hash(static_cast<std::uint8_t>(i)));
  }
  return std::move(w).take();
}

util::Bytes version_payload_with_agent(util::ByteSpan agent) {
  util::Bytes payload = encode_payload(VersionMsg{});
  payload.pop_back();  // the empty user agent's length byte
  util::Writer w;
  w.var_bytes(agent);
  payload.insert(payload.end(), w.data().begin(), w.data().end());
  return payload;
}

TEST(Message, CommandNamesAreDistinctLowerCaseAndFitTheFrame) {
  std::set<std::string_view> seen;
  for (const Message& m : sample_messages()) {
    const std::string_view name = command_name(m);
    EXPECT_TRUE(seen.insert(name).second) << name;
    EXPECT_GE(name.size(), 1u);
    EXPECT_LE(name.size(), 12u);
    for (char c : name) EXPECT_TRUE(c >= 'a' && c <= 'z') << name;
  }
  EXPECT_EQ(seen.size(), std::variant_size_v<Message>);
  EXPECT_EQ(command_name(VersionMsg{}), "version");
  EXPECT_EQ(command_name(GetHeadersMsg{}), "getheaders");
  EXPECT_EQ(command_name(NotFoundMsg{}), "notfound");
}

TEST(Message, EveryCommandRoundTrips) {
  const std::vector<Message> samples = sample_messages();
  ASSERT_EQ(samples.size(), std::variant_size_v<Message>);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].index(), i);
    EXPECT_EQ(round_trip(samples[i]), samples[i]) << command_name(samples[i]);
  }
}

TEST(Message, EmptyListsAndDefaultsRoundTrip) {
  for (const Message& m : {Message(AddrMsg{}), Message(InvMsg{}), Message(GetDataMsg{}),
                           Message(NotFoundMsg{}), Message(GetHeadersMsg{}), Message(HeadersMsg{}),
                           Message(VersionMsg{}), Message(BlockMsg{})}) {
    EXPECT_EQ(round_trip(m), m) << command_name(m);
  }
}

TEST(Message, PayloadLayoutsAreTheDocumentedOnes) {
  EXPECT_EQ(util::to_hex(encode_payload(PingMsg{.nonce = 0x0102030405060708})), "0807060504030201");
  EXPECT_TRUE(encode_payload(VerackMsg{}).empty());
  EXPECT_TRUE(encode_payload(GetAddrMsg{}).empty());
  std::string ab_hash;
  for (int i = 0; i < 32; ++i) ab_hash += "ab";
  EXPECT_EQ(util::to_hex(encode_payload(
                InvMsg{.items = {{.type = InvType::kTx, .hash = filled_hash(0xab)}}})),
            "01"
            "01" +
                ab_hash);
  EXPECT_EQ(util::to_hex(encode_payload(
                GetHeadersMsg{.locator = {filled_hash(0xab)}, .stop = filled_hash(0xab)})),
            "01" + ab_hash + ab_hash);

  // version: fixed fields at fixed offsets, then the user agent.
  const VersionMsg v = test::sample_version();
  const util::Bytes b = encode_payload(v);
  ASSERT_EQ(b.size(), 62 + v.user_agent.size());
  EXPECT_EQ(util::load_le32(b.data() + 0), v.protocol_version);
  EXPECT_EQ(util::load_le32(b.data() + 4), v.chain_id);
  EXPECT_EQ(util::load_le64(b.data() + 8), v.services);
  EXPECT_EQ(util::load_le64(b.data() + 16), v.best_height);
  EXPECT_EQ(util::load_le64(b.data() + 24), v.nonce);
  EXPECT_EQ(util::load_le64(b.data() + 32), v.time_s);
  EXPECT_EQ(util::to_hex(util::ByteSpan(b).subspan(40, 18)),
            "00000000000000000000ffffcb007107d96f");
  EXPECT_EQ(util::load_le16(b.data() + 58), v.listen_port);
  EXPECT_EQ(b[60], 0);  // relay_txs false
  EXPECT_EQ(b[61], v.user_agent.size());
  EXPECT_EQ(std::string(b.begin() + 62, b.end()), v.user_agent);

  // addr: count, then (address 18, services 8, last_seen 8) per record.
  const AddrMsg addr{
      .addresses = {{.address = ipv4_address(1, 2, 3, 4, 5), .services = 1, .last_seen_s = 2}}};
  EXPECT_EQ(util::to_hex(encode_payload(addr)),
            "01"
            "00000000000000000000ffff01020304"
            "0500"
            "0100000000000000"
            "0200000000000000");

  // headers: count, then 280-byte headers; block and tx: the primitives encodings.
  const primitives::BlockHeader h = test::sample_net_header(5);
  const util::Bytes headers = encode_payload(HeadersMsg{.headers = {h}});
  ASSERT_EQ(headers.size(), 1 + primitives::kHeaderBytes);
  EXPECT_EQ(util::to_hex(util::ByteSpan(headers).subspan(1)),
            util::to_hex(primitives::encode_header(h)));
  const primitives::Block block = test::sample_net_block();
  EXPECT_EQ(encode_payload(BlockMsg{.block = block}), primitives::encode_block(block));
  EXPECT_EQ(encode_payload(TxMsg{.tx = block.txs[0]}), primitives::encode_tx(block.txs[0]));
}

TEST(Message, UnknownCommandsAreRejected) {
  for (std::string_view command :
       {"", "Version", "versio", "versionx", "reject", "mempool", "tx "}) {
    auto decoded = decode_payload(command, {});
    ASSERT_FALSE(decoded.is_ok()) << command;
    EXPECT_NE(decoded.status().message().find("unknown command"), std::string::npos);
  }
}

TEST(Message, TruncationAtEveryByteIsRejected) {
  for (const Message& m : sample_messages()) {
    const util::Bytes payload = encode_payload(m);
    for (std::size_t n = 0; n < payload.size(); ++n) {
      EXPECT_FALSE(decode_payload(command_name(m), util::ByteSpan(payload).first(n)).is_ok())
          << command_name(m) << " cut to " << n << " of " << payload.size() << " bytes";
    }
  }
}

TEST(Message, TrailingBytesAreRejected) {
  for (const Message& m : sample_messages()) {
    util::Bytes payload = encode_payload(m);
    payload.push_back(0);
    auto decoded = decode_payload(command_name(m), payload);
    ASSERT_FALSE(decoded.is_ok()) << command_name(m);
    EXPECT_NE(decoded.status().message().find("trailing"), std::string::npos)
        << decoded.status().message();
  }
}

TEST(Message, TruncationErrorsNameTheField) {
  util::Bytes ping = encode_payload(PingMsg{.nonce = 7});
  ping.pop_back();
  expect_rejected("ping", ping, "ping.nonce: need 8 bytes at offset 0, have 7");
  const util::Bytes version = encode_payload(test::sample_version());
  expect_rejected("version", util::ByteSpan(version).first(30), "version.nonce");
  expect_rejected("version", util::ByteSpan(version).first(60), "version.relay_txs");
  expect_rejected("getheaders", inv_payload(0), "getheaders.stop");
}

TEST(Message, HeadersAtTheLimitAndOnePast) {
  HeadersMsg at_limit;
  for (std::size_t i = 0; i < kHeadersCountMax; ++i) {
    at_limit.headers.push_back(test::sample_net_header(i));
  }
  EXPECT_EQ(round_trip(at_limit), Message(at_limit));
  util::Writer w;
  w.compact_size(kHeadersCountMax + 1);
  for (std::size_t i = 0; i <= kHeadersCountMax; ++i) {
    w.bytes(primitives::encode_header(test::sample_net_header(i)));
  }
  expect_rejected("headers", w.data(), "headers.count: 2001 above the limit 2000");
}

TEST(Message, InventoryListsAtTheLimitAndOnePast) {
  for (std::string_view command : {"inv", "getdata", "notfound"}) {
    auto decoded = decode_payload(command, inv_payload(kInvCountMax));
    ASSERT_TRUE(decoded.is_ok()) << command << ": " << decoded.status().to_string();
    EXPECT_EQ(encode_payload(*decoded), inv_payload(kInvCountMax));
    expect_rejected(command, inv_payload(kInvCountMax + 1),
                    std::string(command) + ".count: 50001 above the limit 50000");
  }
}

TEST(Message, AddrAtTheLimitAndOnePast) {
  AddrMsg at_limit;
  for (std::size_t i = 0; i < kAddrCountMax; ++i) {
    at_limit.addresses.push_back({.address = ipv4_address(10, 0, static_cast<std::uint8_t>(i >> 8),
                                                          static_cast<std::uint8_t>(i), 8633),
                                  .services = kServiceFullBlocks,
                                  .last_seen_s = 1'700'000'000 + i});
  }
  EXPECT_EQ(round_trip(at_limit), Message(at_limit));
  util::Bytes over = encode_payload(at_limit);
  over.erase(over.begin(), over.begin() + 3);  // the count 1000 takes fd e8 03
  util::Writer w;
  w.compact_size(kAddrCountMax + 1);
  over.insert(over.begin(), w.data().begin(), w.data().end());
  over.insert(over.end(), 34, 0x01);
  expect_rejected("addr", over, "addr.count: 1001 above the limit 1000");
}

TEST(Message, LocatorAtTheLimitAndOnePast) {
  GetHeadersMsg at_limit{.locator = {}, .stop = filled_hash(0xee)};
  for (std::size_t i = 0; i < kLocatorCountMax; ++i) {
    at_limit.locator.push_back(filled_hash(static_cast<std::uint8_t>(i)));
  }
  EXPECT_EQ(round_trip(at_limit), Message(at_limit));
  util::Writer w;
  w.compact_size(kLocatorCountMax + 1);
  for (std::size_t i = 0; i <= kLocatorCountMax + 1; ++i) w.bytes(filled_hash(1));  // + stop
  expect_rejected("getheaders", w.data(), "getheaders.count: 102 above the limit 101");
}

TEST(Message, CountsBeyondThePayloadAreRejectedBeforeAllocating) {
  // Three items claimed, one present.
  util::Bytes short_inv = inv_payload(1);
  short_inv[0] = 3;
  expect_rejected("inv", short_inv, "inv.count: 3 items need 99 bytes at offset 1, have 33");
  // A count at the limit with no items at all.
  util::Writer w;
  w.compact_size(kHeadersCountMax);
  expect_rejected("headers", w.data(), "headers.count: 2000 items need 560000 bytes");
  // A count past every CompactSize bound.
  expect_rejected("addr", test::unhex("ffffffffffffffffff"), "addr.count");
  // A count that is not minimally encoded.
  expect_rejected("inv", test::unhex("fd0100"), "non-canonical");
}

TEST(Message, UnknownInventoryTypesAreRejected) {
  for (std::string_view command : {"inv", "getdata", "notfound"}) {
    for (std::uint8_t type : {0, 3, 0x81, 0xff}) {
      util::Bytes payload = inv_payload(2);
      payload[1 + 33] = type;
      expect_rejected(command, payload,
                      std::string(command) + ".items[1].type: unknown type " +
                          std::to_string(type) + " at offset 34");
    }
  }
  EXPECT_TRUE(decode_payload("inv", inv_payload(1, 1)).is_ok());
  EXPECT_TRUE(decode_payload("inv", inv_payload(1, 2)).is_ok());
}

TEST(Message, RelayTxsMustBeZeroOrOne) {
  VersionMsg relaying;
  relaying.relay_txs = true;
  util::Bytes payload = encode_payload(relaying);
  constexpr std::size_t kRelayOffset = 60;
  ASSERT_EQ(payload[kRelayOffset], 1);
  for (std::uint8_t bad : {2, 0x80, 0xff}) {
    payload[kRelayOffset] = bad;
    expect_rejected("version", payload,
                    "version.relay_txs: " + std::to_string(bad) + " at offset 60, must be 0 or 1");
  }
  payload[kRelayOffset] = 0;
  auto decoded = decode_payload("version", payload);
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_FALSE(std::get<VersionMsg>(*decoded).relay_txs);
}

TEST(Message, UserAgentIsPrintableAsciiUpToTheLimit) {
  const std::string edge = std::string(" ~") + "/qpow:1.0/";
  auto ok = decode_payload("version", version_payload_with_agent(util::as_bytes(edge)));
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(std::get<VersionMsg>(*ok).user_agent, edge);
  for (std::uint8_t bad : {0x00, 0x0a, 0x1b, 0x1f, 0x7f, 0x80, 0xff}) {
    const util::Bytes agent = {'q', 'p', bad, 'w'};
    expect_rejected("version", version_payload_with_agent(agent), "version.user_agent: byte 0x");
  }
  const std::string at_limit(kUserAgentBytesMax, 'a');
  VersionMsg v;
  v.user_agent = at_limit;
  EXPECT_EQ(round_trip(v), Message(v));
  const std::string over(kUserAgentBytesMax + 1, 'a');
  expect_rejected("version", version_payload_with_agent(util::as_bytes(over)),
                  "version.user_agent: length 257 exceeds the limit of 256");
}

TEST(Message, EmptyMessagesCarryNoPayload) {
  expect_rejected("verack", test::unhex("00"), "verack: 1 trailing bytes at offset 0");
  expect_rejected("getaddr", test::unhex("0000"), "getaddr: 2 trailing bytes at offset 0");
}

TEST(Message, MalformedBlockAndTxAreRejected) {
  util::Bytes block = encode_payload(BlockMsg{.block = test::sample_net_block()});
  block[primitives::kHeaderBytes] = 3;  // three transactions claimed, two present
  EXPECT_FALSE(decode_payload("block", block).is_ok());
  util::Bytes tx = encode_payload(TxMsg{.tx = test::sample_transfer()});
  tx[0] = 0x7f;  // unknown version
  EXPECT_FALSE(decode_payload("tx", tx).is_ok());
  EXPECT_FALSE(decode_payload("tx", {}).is_ok());
  EXPECT_FALSE(decode_payload("block", {}).is_ok());
}

TEST(Message, ListsOverTheLimitAreABugToEncode) {
  HeadersMsg too_many;
  too_many.headers.resize(kHeadersCountMax + 1);
  EXPECT_DEATH((void)encode_payload(too_many), "kHeadersCountMax");
  InvMsg too_many_items;
  too_many_items.items.resize(kInvCountMax + 1);
  EXPECT_DEATH((void)encode_payload(too_many_items), "kInvCountMax");
  VersionMsg bad_agent;
  bad_agent.user_agent = "bad\n";
  EXPECT_DEATH((void)encode_payload(bad_agent), "printable");
}

}  // namespace
}  // namespace qpow::net
