// The peer-to-peer messages: one struct per command, their canonical payload encodings, and a
// variant that holds any of them. Framing (magic, command, length, checksum) is in frame.h.
//
// Every list has a hard bound (the k...Max constants), checked on decode before anything is
// allocated for it; decoding rejects trailing bytes, unknown enum values and non-canonical
// integers, with a message that names the field ("headers.count: 2001 above the limit 2000").
//
// There is no "reject" message: a peer that sends something invalid is scored (misbehavior.h)
// and, past the threshold, disconnected and banned.
//
// Commands and payloads (all integers little-endian, lists CompactSize-prefixed):
//   version     protocol_version u32, chain_id u32, services u64, best_height u64, nonce u64,
//               time_s u64, receiver PeerAddress, listen_port u16, relay_txs u8 (0/1),
//               user_agent (CompactSize length, <= kUserAgentBytesMax printable ASCII bytes)
//   verack      (empty)
//   ping, pong  nonce u64
//   getaddr     (empty)
//   addr        list of (PeerAddress, services u64, last_seen_s u64), <= kAddrCountMax
//   inv, getdata, notfound   list of (type u8: 1 tx, 2 block; hash 32 bytes), <= kInvCountMax
//   getheaders  locator: list of hashes (<= kLocatorCountMax), stop hash (zero: as many as fit)
//   headers     list of headers (280 bytes each), <= kHeadersCountMax
//   block       one block (primitives::encode_block)
//   tx          one transaction (primitives::encode_tx)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/sha3.h"
#include "net/peer_address.h"
#include "primitives/block.h"
#include "primitives/transaction.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::net {

inline constexpr std::uint32_t kProtocolVersion = 1;
inline constexpr std::size_t kUserAgentBytesMax = 256;
inline constexpr std::size_t kAddrCountMax = 1000;
inline constexpr std::size_t kInvCountMax = 50'000;
inline constexpr std::size_t kLocatorCountMax = 101;
inline constexpr std::size_t kHeadersCountMax = 2000;

// Service bits a node announces in its version message.
inline constexpr std::uint64_t kServiceFullBlocks = 1;  // serves every block of its chain

struct VersionMsg {
  std::uint32_t protocol_version = kProtocolVersion;
  std::uint32_t chain_id = 0;
  std::uint64_t services = kServiceFullBlocks;
  std::uint64_t best_height = 0;
  std::uint64_t nonce = 0;  // random per node run: a version carrying our own nonce is ourselves
  std::uint64_t time_s = 0;
  PeerAddress receiver{};           // the address the sender sees us at
  std::uint16_t listen_port = 0;    // the sender's listening port, 0 when it does not listen
  bool relay_txs = true;            // false on a block-relay-only link
  std::string user_agent;
  friend bool operator==(const VersionMsg&, const VersionMsg&) = default;
};
struct VerackMsg {
  friend bool operator==(const VerackMsg&, const VerackMsg&) = default;
};
struct PingMsg {
  std::uint64_t nonce = 0;
  friend bool operator==(const PingMsg&, const PingMsg&) = default;
};
struct PongMsg {
  std::uint64_t nonce = 0;
  friend bool operator==(const PongMsg&, const PongMsg&) = default;
};
struct GetAddrMsg {
  friend bool operator==(const GetAddrMsg&, const GetAddrMsg&) = default;
};
struct AddressRecord {
  PeerAddress address{};
  std::uint64_t services = 0;
  std::uint64_t last_seen_s = 0;
  friend bool operator==(const AddressRecord&, const AddressRecord&) = default;
};
struct AddrMsg {
  std::vector<AddressRecord> addresses;
  friend bool operator==(const AddrMsg&, const AddrMsg&) = default;
};

enum class InvType : std::uint8_t { kTx = 1, kBlock = 2 };
struct InvItem {
  InvType type = InvType::kBlock;
  crypto::Hash256 hash{};
  friend bool operator==(const InvItem&, const InvItem&) = default;
  friend auto operator<=>(const InvItem&, const InvItem&) = default;
};
struct InvMsg {
  std::vector<InvItem> items;
  friend bool operator==(const InvMsg&, const InvMsg&) = default;
};
struct GetDataMsg {
  std::vector<InvItem> items;
  friend bool operator==(const GetDataMsg&, const GetDataMsg&) = default;
};
struct NotFoundMsg {
  std::vector<InvItem> items;
  friend bool operator==(const NotFoundMsg&, const NotFoundMsg&) = default;
};
struct GetHeadersMsg {
  std::vector<crypto::Hash256> locator;  // newest first, as Bitcoin's block locator
  crypto::Hash256 stop{};
  friend bool operator==(const GetHeadersMsg&, const GetHeadersMsg&) = default;
};
struct HeadersMsg {
  std::vector<primitives::BlockHeader> headers;
  friend bool operator==(const HeadersMsg&, const HeadersMsg&) = default;
};
struct BlockMsg {
  primitives::Block block;
  friend bool operator==(const BlockMsg&, const BlockMsg&) = default;
};
struct TxMsg {
  primitives::Transaction tx;
  friend bool operator==(const TxMsg&, const TxMsg&) = default;
};

using Message = std::variant<VersionMsg, VerackMsg, PingMsg, PongMsg, GetAddrMsg, AddrMsg, InvMsg,
                             GetDataMsg, NotFoundMsg, GetHeadersMsg, HeadersMsg, BlockMsg, TxMsg>;

// The command name of the message ("version", "verack", ..., "tx"); at most 12 ASCII bytes.
std::string_view command_name(const Message& message);
// The canonical payload bytes.
util::Bytes encode_payload(const Message& message);
// Decodes a payload for `command`. Errors: an unknown command, a malformed or oversized payload,
// trailing bytes. Bounded: never allocates more than the payload's size allows.
util::Result<Message> decode_payload(std::string_view command, util::ByteSpan payload);

}  // namespace qpow::net
