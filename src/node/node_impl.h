// Internal to the node library: the node's state and the pieces of its logic, one .cpp per idea:
//   node.cpp        creation, start/shutdown, persistence, the public forwarding methods
//   node_peers.cpp  connections, the handshake, misbehaviour and bans, the peer manager tick
//   node_sync.cpp   headers-first sync, block download with stall detection, new blocks
//   node_relay.cpp  inventory, getdata, transaction and address relay, block announcements
//   node_ops.cpp    RPC operations, mining work, queries
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/chainstate.h"
#include "chain/mempool.h"
#include "chain/notifications.h"
#include "consensus/chain_params.h"
#include "net/address_book.h"
#include "net/ban_list.h"
#include "net/message.h"
#include "net/misbehavior.h"
#include "node/env.h"
#include "node/node.h"
#include "storage/kv_store.h"

namespace qpow::node {

// Timers. One periodic tick drives every deadline (handshakes, pings, stalls, connections).
inline constexpr TimerId kTickTimer = 1;
// Fires when a paced miner may start on its next block (NodeConfig::mine_pace_ms).
inline constexpr TimerId kMiningTimer = 2;
inline constexpr std::uint64_t kTickMs = 500;

inline constexpr std::uint64_t kHandshakeTimeoutMs = 10'000;
inline constexpr std::uint64_t kPingIntervalMs = 30'000;
inline constexpr std::uint64_t kPingTimeoutMs = 60'000;
// A requested block not delivered within this time is requested again from another peer; a
// peer that stalls kStallsMax times is disconnected.
inline constexpr std::uint64_t kBlockStallTimeoutMs = 10'000;
inline constexpr std::uint32_t kStallsMax = 3;
inline constexpr std::uint64_t kHeadersTimeoutMs = 30'000;
inline constexpr std::size_t kBlocksInFlightPerPeerMax = 16;
// Blocks are fetched at most this far above the tip, so a fast peer cannot make us buffer
// an unbounded stretch of the chain out of order.
inline constexpr std::uint64_t kBlockDownloadWindow = 1024;
inline constexpr std::size_t kGetDataBlocksMax = 128;
// Announcements by headers: up to this many headers after what the peer is known to have.
inline constexpr std::size_t kAnnounceHeadersMax = 8;
inline constexpr std::size_t kKnownInventoryMax = 10'000;
inline constexpr std::uint32_t kUnconnectingHeadersMax = 10;
// Connection management.
inline constexpr std::uint64_t kBackoffBaseMs = 1'000;
inline constexpr std::uint64_t kBackoffMaxMs = 5 * 60'000;
inline constexpr std::uint64_t kRotationIntervalMs = 10 * 60'000;
inline constexpr std::uint64_t kPersistIntervalMs = 15 * 60'000;
inline constexpr std::uint64_t kProgressLogMs = 5'000;
inline constexpr std::uint64_t kTemplateRefreshMs = 5'000;
inline constexpr std::size_t kAnchorsMax = 2;
inline constexpr std::size_t kAddrRelayMax = 10;  // addr messages this small are forwarded
inline constexpr std::size_t kAddrRelayFanout = 2;
// Initial block download: the best header is more than this many blocks above the tip.
inline constexpr std::uint64_t kInitialDownloadLag = 1;

// Keys of the node's records in the metadata column.
inline constexpr std::string_view kAddressBookKey = "node/address_book";
inline constexpr std::string_view kBanListKey = "node/ban_list";
inline constexpr std::string_view kAnchorsKey = "node/anchors";

struct Peer {
  PeerId id = 0;
  net::PeerAddress address{};
  LinkKind kind = LinkKind::kInbound;
  std::uint64_t connected_ms = 0;
  bool version_received = false;
  bool verack_received = false;
  bool handshake_done = false;
  bool disconnecting = false;
  net::VersionMsg version{};
  std::uint32_t misbehavior = 0;
  // Pings.
  std::optional<std::uint64_t> ping_nonce;
  std::uint64_t ping_sent_ms = 0;
  std::optional<std::uint64_t> ping_ms;
  // Sync: the most-work header the peer is known to have, and requests outstanding.
  const chain::BlockIndexEntry* best_known = nullptr;
  std::optional<std::uint64_t> headers_requested_ms;
  std::set<crypto::Hash256> blocks_in_flight;
  std::uint32_t stalls = 0;
  std::uint32_t unconnecting_headers = 0;
  // Relay: what the peer has announced or been sent, bounded (oldest forgotten first).
  std::set<net::InvItem> known;
  std::deque<net::InvItem> known_order;
  bool getaddr_answered = false;
  std::uint64_t messages_received = 0;
  std::uint64_t messages_sent = 0;

  bool relays_txs() const { return kind != LinkKind::kBlockRelayOnly && version.relay_txs; }
  bool outbound() const { return kind != LinkKind::kInbound; }
};

struct PendingConnect {
  net::PeerAddress address{};
  LinkKind kind = LinkKind::kOutboundFull;
};

struct Backoff {
  std::uint64_t next_attempt_ms = 0;
  std::uint32_t failures = 0;
};

struct InFlight {
  PeerId peer = 0;
  std::uint64_t requested_ms = 0;
};

struct Node::Impl final : public chain::Notifications {
  Impl(Env& e, storage::KvStore& s, const consensus::ChainParams& p, NodeConfig c);

  // chain::Notifications: collected while the chainstate moves, handled after it returns.
  void block_connected(const primitives::Block& block) override;
  void block_disconnected(const primitives::Block& block) override;

  // ---- node.cpp ----
  std::uint64_t now_ms() { return env.now_ms(); }
  std::uint64_t now_s() { return env.now_ms() / 1000; }
  void log(LogLevel level, const std::string& message) { env.log(level, message); }
  void load_persisted();
  util::Status persist();
  void fatal(const util::Status& status);  // a store failure: stop the node

  // ---- node_peers.cpp ----
  void handle_connected(PeerId id, Direction direction, const net::PeerAddress& remote);
  void handle_connect_failed(PeerId id);
  void handle_disconnected(PeerId id);
  void handle_message(Peer& peer, const net::Message& message);
  void handle_version(Peer& peer, const net::VersionMsg& msg);
  void handle_verack(Peer& peer);
  void complete_handshake(Peer& peer);
  void send_version(Peer& peer);
  void send(Peer& peer, const net::Message& message);
  void misbehave(Peer& peer, net::Offence offence, std::string_view why,
                 consensus::PeerPenalty penalty = consensus::PeerPenalty::kBan);
  void drop(Peer& peer, std::string_view why);
  void tick();
  void check_peer_deadlines();
  void maintain_connections();
  void open_connection(const net::PeerAddress& address, LinkKind kind);
  bool is_connected_or_pending(const net::PeerAddress& address) const;
  bool backoff_allows(const net::PeerAddress& address) const;
  std::size_t count_kind(LinkKind kind) const;
  void rotate_outbound();

  // ---- node_sync.cpp ----
  std::vector<crypto::Hash256> locator() const;
  void request_headers(Peer& peer);
  void handle_getheaders(Peer& peer, const net::GetHeadersMsg& msg);
  void handle_headers(Peer& peer, const net::HeadersMsg& msg);
  void handle_block(Peer& peer, const primitives::Block& block);
  // Accepts a block from a peer (null: ourselves / RPC), updates the pool, relays the new tip.
  util::Result<consensus::Verdict> process_block(Peer* from, const primitives::Block& block);
  void note_header(Peer* peer, const chain::BlockIndexEntry* entry);
  void request_blocks();
  void request_blocks_from(Peer& peer);
  void release_in_flight(const crypto::Hash256& hash);
  void check_stalls();
  void after_tip_change(const chain::BlockIndexEntry* old_tip);
  void log_progress();
  bool initial_download() const;

  // ---- node_relay.cpp ----
  void remember(Peer& peer, const net::InvItem& item);
  bool knows(const Peer& peer, const net::InvItem& item) const;
  void handle_inv(Peer& peer, const net::InvMsg& msg);
  void handle_getdata(Peer& peer, const net::GetDataMsg& msg);
  void handle_notfound(Peer& peer, const net::NotFoundMsg& msg);
  void handle_tx(Peer& peer, const primitives::Transaction& tx);
  void handle_getaddr(Peer& peer);
  void handle_addr(Peer& peer, const net::AddrMsg& msg);
  void announce_block(const chain::BlockIndexEntry& tip);
  void relay_tx(const crypto::Hash256& txid, PeerId except);
  util::Result<chain::AcceptResult> accept_tx(Peer* from, const primitives::Transaction& tx);

  // ---- node_ops.cpp ----
  void refresh_work();

  Env& env;
  storage::KvStore& store;
  const consensus::ChainParams& params;
  NodeConfig config;
  std::unique_ptr<chain::Chainstate> chain;
  chain::Mempool mempool;
  net::AddressBook book;
  net::BanList bans;
  std::uint64_t local_nonce = 0;
  bool started = false;
  bool stopped = false;
  bool network_active = true;

  std::map<PeerId, Peer> peers;
  std::map<PeerId, PendingConnect> connecting;
  std::map<net::PeerAddress, Backoff> backoff;
  std::set<net::PeerAddress> manual;
  std::vector<net::PeerAddress> anchors;

  const chain::BlockIndexEntry* best_header = nullptr;
  std::map<crypto::Hash256, InFlight> in_flight;

  // Filled by the Notifications callbacks during one chainstate call.
  std::vector<primitives::Block> connected_blocks;
  std::vector<primitives::Block> disconnected_blocks;

  NodeCounters counters;
  std::uint64_t last_rotation_ms = 0;
  std::uint64_t last_persist_ms = 0;
  std::uint64_t last_progress_ms = 0;
  std::uint64_t progress_height = 0;
  std::uint64_t last_template_ms = 0;
  bool template_stale = false;
  bool mining_submitted = false;
  std::uint64_t last_mined_ms = 0;  // when this node last found a block
  bool pace_timer_armed = false;
};

}  // namespace qpow::node
