#include "net/message.h"

#include <algorithm>
#include <array>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

constexpr std::size_t kHashBytes = std::tuple_size_v<crypto::Hash256>;
constexpr std::size_t kAddressRecordBytes = kPeerAddressBytes + 8 + 8;  // address, services, seen
constexpr std::size_t kInvItemBytes = 1 + kHashBytes;                   // type, hash
// The user agent is shown in logs and RPC output: printable ASCII only, so it cannot carry
// terminal escapes or line breaks into them.
constexpr std::uint8_t kUserAgentByteFirst = 0x20;
constexpr std::uint8_t kUserAgentByteLast = 0x7e;

bool is_user_agent_byte(std::uint8_t b) {
  return b >= kUserAgentByteFirst && b <= kUserAgentByteLast;
}

bool is_inv_type(std::uint8_t v) {
  return v == static_cast<std::uint8_t>(InvType::kTx) ||
         v == static_cast<std::uint8_t>(InvType::kBlock);
}

// A list's CompactSize count, checked against the protocol limit and then against the bytes left
// (each item takes at least item_bytes), so that nothing is reserved that the payload cannot fill.
util::Result<std::size_t> read_count(util::Reader& r, std::string_view context, std::size_t limit,
                                     std::size_t item_bytes) {
  const std::size_t offset = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t count, r.compact_size("count", util::kCompactSizeMax));
  if (count > limit) {
    return util::Status::out_of_range(
        fmt::format("{}.count: {} above the limit {} at offset {}", context, count, limit, offset));
  }
  if (count * item_bytes > r.remaining()) {
    return util::Status::malformed(
        fmt::format("{}.count: {} items need {} bytes at offset {}, have {}", context, count,
                    count * item_bytes, r.offset(), r.remaining()));
  }
  return static_cast<std::size_t>(count);
}

// The message, if the reader consumed the whole payload.
util::Result<Message> finish(const util::Reader& r, Message message) {
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return message;
}

// --- Encoding -----------------------------------------------------------------------------------

void write_inv_items(util::Writer& w, const std::vector<InvItem>& items) {
  QPOW_ASSERT_MSG(items.size() <= kInvCountMax, "inventory list above kInvCountMax");
  w.compact_size(items.size());
  for (const InvItem& item : items) {
    w.u8(static_cast<std::uint8_t>(item.type));
    w.bytes(item.hash);
  }
}

void write_body(util::Writer& w, const VersionMsg& m) {
  QPOW_ASSERT_MSG(m.user_agent.size() <= kUserAgentBytesMax, "user agent above kUserAgentBytesMax");
  QPOW_ASSERT_MSG(
      std::all_of(m.user_agent.begin(), m.user_agent.end(),
                  [](char c) { return is_user_agent_byte(static_cast<std::uint8_t>(c)); }),
      "user agent with a byte that is not printable ASCII");
  w.u32(m.protocol_version);
  w.u32(m.chain_id);
  w.u64(m.services);
  w.u64(m.best_height);
  w.u64(m.nonce);
  w.u64(m.time_s);
  write_peer_address(w, m.receiver);
  w.u16(m.listen_port);
  w.u8(m.relay_txs ? 1 : 0);
  w.var_bytes(util::as_bytes(m.user_agent));
}

void write_body(util::Writer&, const VerackMsg&) {}
void write_body(util::Writer& w, const PingMsg& m) {
  w.u64(m.nonce);
}
void write_body(util::Writer& w, const PongMsg& m) {
  w.u64(m.nonce);
}
void write_body(util::Writer&, const GetAddrMsg&) {}

void write_body(util::Writer& w, const AddrMsg& m) {
  QPOW_ASSERT_MSG(m.addresses.size() <= kAddrCountMax, "addr list above kAddrCountMax");
  w.compact_size(m.addresses.size());
  for (const AddressRecord& record : m.addresses) {
    write_peer_address(w, record.address);
    w.u64(record.services);
    w.u64(record.last_seen_s);
  }
}

void write_body(util::Writer& w, const InvMsg& m) {
  write_inv_items(w, m.items);
}
void write_body(util::Writer& w, const GetDataMsg& m) {
  write_inv_items(w, m.items);
}
void write_body(util::Writer& w, const NotFoundMsg& m) {
  write_inv_items(w, m.items);
}

void write_body(util::Writer& w, const GetHeadersMsg& m) {
  QPOW_ASSERT_MSG(m.locator.size() <= kLocatorCountMax, "locator above kLocatorCountMax");
  w.compact_size(m.locator.size());
  for (const crypto::Hash256& hash : m.locator) w.bytes(hash);
  w.bytes(m.stop);
}

void write_body(util::Writer& w, const HeadersMsg& m) {
  QPOW_ASSERT_MSG(m.headers.size() <= kHeadersCountMax, "headers list above kHeadersCountMax");
  w.compact_size(m.headers.size());
  for (const primitives::BlockHeader& header : m.headers) {
    w.bytes(primitives::encode_header(header));
  }
}

void write_body(util::Writer& w, const TxMsg& m) {
  primitives::write_tx(w, m.tx);
}

// --- Decoding -----------------------------------------------------------------------------------

util::Result<std::string> read_user_agent(util::Reader& r) {
  const std::size_t offset = r.offset();
  QPOW_ASSIGN_OR_RETURN(const util::Bytes bytes, r.var_bytes("user_agent", kUserAgentBytesMax));
  const auto bad = std::find_if_not(bytes.begin(), bytes.end(), is_user_agent_byte);
  if (bad != bytes.end()) {
    return util::Status::malformed(fmt::format(
        "version.user_agent: byte 0x{:02x} at index {} (field at offset {}) is not printable ASCII",
        *bad, bad - bytes.begin(), offset));
  }
  return std::string(bytes.begin(), bytes.end());
}

util::Result<Message> decode_version(util::ByteSpan payload) {
  util::Reader r(payload, "version");
  VersionMsg m;
  QPOW_ASSIGN_OR_RETURN(m.protocol_version, r.u32("protocol_version"));
  QPOW_ASSIGN_OR_RETURN(m.chain_id, r.u32("chain_id"));
  QPOW_ASSIGN_OR_RETURN(m.services, r.u64("services"));
  QPOW_ASSIGN_OR_RETURN(m.best_height, r.u64("best_height"));
  QPOW_ASSIGN_OR_RETURN(m.nonce, r.u64("nonce"));
  QPOW_ASSIGN_OR_RETURN(m.time_s, r.u64("time_s"));
  QPOW_ASSIGN_OR_RETURN(m.receiver, read_peer_address(r));
  QPOW_ASSIGN_OR_RETURN(m.listen_port, r.u16("listen_port"));
  const std::size_t relay_offset = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t relay, r.u8("relay_txs"));
  if (relay > 1) {
    return util::Status::malformed(
        fmt::format("version.relay_txs: {} at offset {}, must be 0 or 1", relay, relay_offset));
  }
  m.relay_txs = relay == 1;
  QPOW_ASSIGN_OR_RETURN(m.user_agent, read_user_agent(r));
  return finish(r, std::move(m));
}

util::Result<Message> decode_verack(util::ByteSpan payload) {
  return finish(util::Reader(payload, "verack"), VerackMsg{});
}

util::Result<Message> decode_getaddr(util::ByteSpan payload) {
  return finish(util::Reader(payload, "getaddr"), GetAddrMsg{});
}

template <class T>
util::Result<Message> decode_nonce_msg(util::ByteSpan payload, std::string_view context) {
  util::Reader r(payload, context);
  T m;
  QPOW_ASSIGN_OR_RETURN(m.nonce, r.u64("nonce"));
  return finish(r, std::move(m));
}

util::Result<Message> decode_ping(util::ByteSpan payload) {
  return decode_nonce_msg<PingMsg>(payload, "ping");
}

util::Result<Message> decode_pong(util::ByteSpan payload) {
  return decode_nonce_msg<PongMsg>(payload, "pong");
}

util::Result<Message> decode_addr(util::ByteSpan payload) {
  util::Reader r(payload, "addr");
  QPOW_ASSIGN_OR_RETURN(const std::size_t count,
                        read_count(r, "addr", kAddrCountMax, kAddressRecordBytes));
  AddrMsg m;
  m.addresses.resize(count);
  for (AddressRecord& record : m.addresses) {
    QPOW_ASSIGN_OR_RETURN(record.address, read_peer_address(r));
    QPOW_ASSIGN_OR_RETURN(record.services, r.u64("services"));
    QPOW_ASSIGN_OR_RETURN(record.last_seen_s, r.u64("last_seen_s"));
  }
  return finish(r, std::move(m));
}

// inv, getdata and notfound share one layout.
template <class T>
util::Result<Message> decode_inv_list(util::ByteSpan payload, std::string_view context) {
  util::Reader r(payload, context);
  QPOW_ASSIGN_OR_RETURN(const std::size_t count,
                        read_count(r, context, kInvCountMax, kInvItemBytes));
  T m;
  m.items.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t offset = r.offset();
    QPOW_ASSIGN_OR_RETURN(const std::uint8_t type, r.u8("type"));
    if (!is_inv_type(type)) {
      return util::Status::malformed(
          fmt::format("{}.items[{}].type: unknown type {} at offset {}", context, i, type, offset));
    }
    m.items[i].type = static_cast<InvType>(type);
    QPOW_RETURN_IF_ERROR(r.bytes_into("hash", m.items[i].hash));
  }
  return finish(r, std::move(m));
}

util::Result<Message> decode_inv(util::ByteSpan payload) {
  return decode_inv_list<InvMsg>(payload, "inv");
}

util::Result<Message> decode_getdata(util::ByteSpan payload) {
  return decode_inv_list<GetDataMsg>(payload, "getdata");
}

util::Result<Message> decode_notfound(util::ByteSpan payload) {
  return decode_inv_list<NotFoundMsg>(payload, "notfound");
}

util::Result<Message> decode_getheaders(util::ByteSpan payload) {
  util::Reader r(payload, "getheaders");
  QPOW_ASSIGN_OR_RETURN(const std::size_t count,
                        read_count(r, "getheaders", kLocatorCountMax, kHashBytes));
  GetHeadersMsg m;
  m.locator.resize(count);
  for (crypto::Hash256& hash : m.locator) QPOW_RETURN_IF_ERROR(r.bytes_into("locator", hash));
  QPOW_RETURN_IF_ERROR(r.bytes_into("stop", m.stop));
  return finish(r, std::move(m));
}

util::Result<Message> decode_headers(util::ByteSpan payload) {
  util::Reader r(payload, "headers");
  QPOW_ASSIGN_OR_RETURN(const std::size_t count,
                        read_count(r, "headers", kHeadersCountMax, primitives::kHeaderBytes));
  HeadersMsg m;
  m.headers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(const util::ByteSpan bytes, r.bytes("header", primitives::kHeaderBytes));
    auto header = primitives::decode_header(bytes);
    if (!header.is_ok()) return header.status().with_context(fmt::format("headers[{}]", i));
    m.headers.push_back(std::move(header).value());
  }
  return finish(r, std::move(m));
}

util::Result<Message> decode_block_msg(util::ByteSpan payload) {
  QPOW_ASSIGN_OR_RETURN(primitives::Block block, primitives::decode_block(payload));
  return Message(BlockMsg{.block = std::move(block)});
}

util::Result<Message> decode_tx_msg(util::ByteSpan payload) {
  QPOW_ASSIGN_OR_RETURN(primitives::Transaction tx, primitives::decode_tx(payload));
  return Message(TxMsg{.tx = std::move(tx)});
}

struct Command {
  std::string_view name;
  util::Result<Message> (*decode)(util::ByteSpan payload);
};

// One row per alternative of Message, in the variant's order: command_name indexes it.
constexpr std::array<Command, 13> kCommands = {{
    {"version", &decode_version},
    {"verack", &decode_verack},
    {"ping", &decode_ping},
    {"pong", &decode_pong},
    {"getaddr", &decode_getaddr},
    {"addr", &decode_addr},
    {"inv", &decode_inv},
    {"getdata", &decode_getdata},
    {"notfound", &decode_notfound},
    {"getheaders", &decode_getheaders},
    {"headers", &decode_headers},
    {"block", &decode_block_msg},
    {"tx", &decode_tx_msg},
}};
static_assert(kCommands.size() == std::variant_size_v<Message>);

}  // namespace

std::string_view command_name(const Message& message) {
  return kCommands[message.index()].name;
}

util::Bytes encode_payload(const Message& message) {
  // A block is already a byte string of its own; encoding it once avoids an 8 MiB copy.
  if (const auto* block = std::get_if<BlockMsg>(&message)) {
    return primitives::encode_block(block->block);
  }
  util::Writer w;
  std::visit(
      [&w](const auto& m) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(m)>, BlockMsg>) write_body(w, m);
      },
      message);
  return std::move(w).take();
}

util::Result<Message> decode_payload(std::string_view command, util::ByteSpan payload) {
  for (const Command& c : kCommands) {
    if (c.name == command) return c.decode(payload);
  }
  return util::Status::unsupported(fmt::format("message: unknown command '{}'", command));
}

}  // namespace qpow::net
