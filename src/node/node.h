// node::Node: the whole node as a deterministic state machine (DESIGN §2). It owns the
// chainstate, the mempool, every peer's protocol state, the address book and ban list, header and
// block sync, relay, and the miner's work queue. It is driven only by the events below and acts
// only through its Env, so the runtime (real sockets and clocks) and the simulator (virtual time)
// run the same code, and a simulation with the same seed replays exactly.
//
// Threading: none. Every method, events and queries alike, must be called from one thread (the
// runtime's node thread; NodeAccess brings RPC calls there). Signature checks fan out through
// env.executor().
//
// Peer management: keeps config.outbound_full_target full-relay and config.block_relay_target
// block-relay-only outbound links (distinct network groups), accepts at most config.inbound_max
// inbound, reconnects with exponential back-off, rotates one outbound peer every
// kRotationIntervalMs, and remembers its block-relay-only peers as anchors (in the store's
// metadata) to reconnect to first after a restart. Manual peers (--connect, addnode) are always
// reconnected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain/chainstate.h"
#include "chain/mempool.h"
#include "consensus/chain_params.h"
#include "mining/block_miner.h"
#include "net/message.h"
#include "net/peer_address.h"
#include "node/env.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/transaction.h"
#include "storage/kv_store.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::node {

inline constexpr std::size_t kDefaultOutboundFullTarget = 8;
inline constexpr std::size_t kDefaultBlockRelayTarget = 2;
inline constexpr std::size_t kDefaultInboundMax = 64;
// Most blocks generate() mines in one call.
inline constexpr std::size_t kGenerateCountMax = 1000;

struct NodeConfig {
  std::size_t outbound_full_target = kDefaultOutboundFullTarget;
  std::size_t block_relay_target = kDefaultBlockRelayTarget;
  std::size_t inbound_max = kDefaultInboundMax;
  // Peers to keep connected to whatever happens (--connect); reconnected with back-off.
  std::vector<net::PeerAddress> manual_peers;
  // Our listening port as announced in version messages (0: not listening).
  std::uint16_t listen_port = 0;
  bool mine = false;
  primitives::Address miner_address{};
  // At least this long between blocks this node mines (0: mine flat out). A dev network sets the
  // target spacing here: at regtest difficulty a block takes a few hashes, and mining flat out
  // would run the chain's timestamps hours ahead of the clock within a minute.
  std::uint64_t mine_pace_ms = 0;
  chain::MempoolLimits mempool_limits{};
  std::string user_agent = "/qpow:0.1.0/";
};

enum class LinkKind : std::uint8_t { kInbound, kOutboundFull, kBlockRelayOnly, kManual };
std::string_view link_kind_name(LinkKind kind);

struct PeerInfo {
  PeerId id = 0;
  net::PeerAddress address{};
  LinkKind kind = LinkKind::kInbound;
  bool handshake_done = false;
  std::uint32_t protocol_version = 0;
  std::string user_agent;
  std::uint64_t services = 0;
  std::uint64_t start_height = 0;   // best height in its version message
  std::uint64_t synced_height = 0;  // highest header we know it has
  std::uint32_t misbehavior = 0;
  std::uint64_t connected_ms = 0;        // env.now_ms() when connected
  std::optional<std::uint64_t> ping_ms;  // last round trip
  std::size_t blocks_in_flight = 0;
  std::uint64_t messages_received = 0;
  std::uint64_t messages_sent = 0;
};

struct SyncInfo {
  std::uint64_t tip_height = 0;
  std::uint64_t best_header_height = 0;  // the most-work header chain we know
  bool initial_download = true;          // tip far behind the best header or too old
  std::size_t blocks_in_flight = 0;
  double progress = 0;  // tip height / best header height, 0..1
};

struct NodeCounters {
  std::uint64_t blocks_connected = 0;  // blocks accepted as new tips (incl. reorgs)
  std::uint64_t blocks_mined = 0;
  std::uint64_t blocks_invalid = 0;
  std::uint64_t txs_accepted = 0;
  std::uint64_t txs_rejected = 0;
  std::uint64_t peers_banned = 0;
  std::uint64_t messages_received = 0;
  std::uint64_t messages_sent = 0;
};

struct MiningInfo {
  bool mining = false;
  primitives::Address miner_address{};
  double hashes_per_second = 0;
  std::uint64_t blocks_mined = 0;
};

class Node {
 public:
  // Opens the chain in `store` (writing genesis if empty) and loads the persisted address book,
  // ban list and anchors. env, store and params must outlive the node.
  static util::Result<std::unique_ptr<Node>> create(Env& env, storage::KvStore& store,
                                                    const consensus::ChainParams& params,
                                                    NodeConfig config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Begins work: arms the tick timer, connects to anchors and manual peers, submits mining work.
  void start();
  // Ends work: persists the address book, bans and anchors, stops mining, disconnects every peer.
  // Afterwards events are ignored and only queries are valid.
  util::Status shutdown();

  // ---- events from the environment ----
  void on_peer_connected(PeerId peer, Direction direction, const net::PeerAddress& remote);
  void on_connect_failed(PeerId peer);
  void on_message(PeerId peer, const net::Message& message);
  // The peer's byte stream could not be decoded (net::FrameDecoder error). The node scores the
  // peer (a malformed frame costs net::kBanScore), bans and disconnects it.
  void on_malformed(PeerId peer, const util::Status& error);
  void on_peer_disconnected(PeerId peer);
  void on_timer(TimerId timer);
  // A miner solved the submitted work.
  void on_block_found(const primitives::Block& block);

  // ---- operations (RPC) ----
  // Admits a transaction to the mempool and relays it.
  util::Result<chain::AcceptResult> submit_transaction(const primitives::Transaction& tx);
  // Validates and stores a block (any order of arrival) and relays it if it became the tip.
  util::Result<consensus::Verdict> submit_block(const primitives::Block& block);
  // Regtest only: mines `count` blocks paying `to` on the executor, each accepted and relayed.
  // Returns their hashes. Errors: not regtest, count 0 or above kGenerateCountMax.
  util::Result<std::vector<crypto::Hash256>> generate(const primitives::Address& to,
                                                      std::size_t count);
  // A template on top of the tip with the mempool's best transactions.
  util::Result<mining::BlockTemplate> block_template(const primitives::Address& miner) const;
  // Connects to `address` now and keeps it connected (a manual peer).
  util::Status add_node(const net::PeerAddress& address);
  // Disconnects every peer at `address` (and stops treating it as manual). Not found: error.
  util::Status disconnect_node(const net::PeerAddress& address);
  util::Status disconnect_peer(PeerId peer);
  // Off: disconnects everyone and refuses connections until turned on again.
  void set_network_active(bool active);
  bool network_active() const;
  // Asks the environment to shut the process down (RPC "stop").
  void request_shutdown();

  // ---- queries ----
  const chain::Chainstate& chainstate() const;
  const chain::Mempool& mempool() const;
  const consensus::ChainParams& params() const;
  std::vector<PeerInfo> peer_info() const;
  SyncInfo sync_info() const;
  NodeCounters counters() const;
  MiningInfo mining_info() const;
  // Banned hosts and until when (seconds since the epoch).
  std::vector<std::pair<net::PeerAddress, std::uint64_t>> banned() const;
  std::size_t known_addresses() const;

  struct Impl;

 private:
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qpow::node
