#include "node/node.h"

#include <fmt/format.h>

#include "crypto/sha3.h"
#include "node/node_impl.h"
#include "util/assert.h"
#include "util/hex.h"
#include "util/serialize.h"

namespace qpow::node {

std::string_view link_kind_name(LinkKind kind) {
  switch (kind) {
    case LinkKind::kInbound:
      return "inbound";
    case LinkKind::kOutboundFull:
      return "outbound-full-relay";
    case LinkKind::kBlockRelayOnly:
      return "block-relay-only";
    case LinkKind::kManual:
      return "manual";
  }
  QPOW_UNREACHABLE();
}

namespace {

util::ByteSpan key_bytes(std::string_view key) {
  return {reinterpret_cast<const std::uint8_t*>(key.data()), key.size()};
}

util::Bytes encode_anchors(const std::vector<net::PeerAddress>& anchors) {
  util::Writer w;
  w.compact_size(anchors.size());
  for (const net::PeerAddress& a : anchors) net::write_peer_address(w, a);
  return std::move(w).take();
}

util::Result<std::vector<net::PeerAddress>> decode_anchors(util::ByteSpan data) {
  util::Reader r(data, "anchors");
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t count, r.compact_size("anchors.count", kAnchorsMax));
  std::vector<net::PeerAddress> out;
  for (std::uint64_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(net::PeerAddress a, net::read_peer_address(r));
    out.push_back(a);
  }
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return out;
}

}  // namespace

Node::Impl::Impl(Env& e, storage::KvStore& s, const consensus::ChainParams& p, NodeConfig c)
    : env(e),
      store(s),
      params(p),
      config(std::move(c)),
      mempool(p, config.mempool_limits),
      book(e.random()),
      local_nonce(e.random()) {}

void Node::Impl::block_connected(const primitives::Block& block) {
  connected_blocks.push_back(block);
}

void Node::Impl::block_disconnected(const primitives::Block& block) {
  disconnected_blocks.push_back(block);
}

void Node::Impl::fatal(const util::Status& status) {
  log(LogLevel::kError, fmt::format("store failure, stopping: {}", status.to_string()));
  env.request_shutdown();
}

// A corrupt record is logged and replaced by an empty one: addresses and bans are a cache, not
// consensus data, and must never keep the node from starting.
void Node::Impl::load_persisted() {
  if (auto v = store.get(storage::Column::kMeta, key_bytes(kAddressBookKey)); v.is_ok() && *v) {
    if (auto b = net::AddressBook::decode(**v); b.is_ok()) {
      book = std::move(*b);
    } else {
      log(LogLevel::kWarning, "address book unreadable, starting empty: " + b.status().to_string());
    }
  }
  if (auto v = store.get(storage::Column::kMeta, key_bytes(kBanListKey)); v.is_ok() && *v) {
    if (auto b = net::BanList::decode(**v); b.is_ok()) {
      bans = std::move(*b);
    } else {
      log(LogLevel::kWarning, "ban list unreadable, starting empty: " + b.status().to_string());
    }
  }
  if (auto v = store.get(storage::Column::kMeta, key_bytes(kAnchorsKey)); v.is_ok() && *v) {
    if (auto a = decode_anchors(**v); a.is_ok()) anchors = std::move(*a);
  }
}

util::Status Node::Impl::persist() {
  storage::WriteBatch batch;
  bans.sweep(now_s());
  batch.put(storage::Column::kMeta, key_bytes(kAddressBookKey), book.encode());
  batch.put(storage::Column::kMeta, key_bytes(kBanListKey), bans.encode());
  std::vector<net::PeerAddress> current;
  for (const auto& [id, peer] : peers) {
    if (peer.kind == LinkKind::kBlockRelayOnly && peer.handshake_done &&
        current.size() < kAnchorsMax) {
      current.push_back(peer.address);
    }
  }
  batch.put(storage::Column::kMeta, key_bytes(kAnchorsKey), encode_anchors(current));
  last_persist_ms = now_ms();
  return store.write(batch);
}

util::Result<std::unique_ptr<Node>> Node::create(Env& env, storage::KvStore& store,
                                                 const consensus::ChainParams& params,
                                                 NodeConfig config) {
  auto impl = std::make_unique<Impl>(env, store, params, std::move(config));
  QPOW_ASSIGN_OR_RETURN(impl->chain, chain::Chainstate::open(store, params, env.executor()));
  impl->chain->set_notifications(impl.get());
  impl->best_header = &impl->chain->tip();
  impl->load_persisted();
  for (const net::PeerAddress& a : impl->config.manual_peers) impl->manual.insert(a);
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;

void Node::start() {
  Impl& n = *impl_;
  if (n.started) return;
  n.started = true;
  n.last_rotation_ms = n.now_ms();
  n.last_persist_ms = n.now_ms();
  const chain::BlockIndexEntry& tip = n.chain->tip();
  n.log(LogLevel::kInfo,
        fmt::format("node started: network {}, tip {} at height {}, {} known addresses",
                    primitives::network_name(n.params.network), util::to_hex(tip.hash),
                    tip.height(), n.book.size()));
  // Anchors first: they were our block-relay-only peers when we last stopped, which makes it
  // harder for an attacker to surround a restarting node.
  for (const net::PeerAddress& a : n.anchors) n.open_connection(a, LinkKind::kBlockRelayOnly);
  n.anchors.clear();
  n.maintain_connections();
  n.refresh_work();
  n.env.set_timer(kTickTimer, kTickMs);
}

util::Status Node::shutdown() {
  Impl& n = *impl_;
  if (n.stopped) return util::Status::ok();
  const util::Status persisted = n.persist();
  n.stopped = true;
  if (n.mining_submitted) n.env.submit_work(std::nullopt);
  n.mining_submitted = false;
  for (auto& [id, peer] : n.peers) n.env.disconnect(id);
  for (auto& [id, pending] : n.connecting) n.env.disconnect(id);
  n.log(LogLevel::kInfo, "node stopped");
  return persisted;
}

void Node::on_peer_connected(PeerId peer, Direction direction, const net::PeerAddress& remote) {
  if (impl_->stopped) {
    impl_->env.disconnect(peer);
    return;
  }
  impl_->handle_connected(peer, direction, remote);
}

void Node::on_connect_failed(PeerId peer) {
  if (!impl_->stopped) impl_->handle_connect_failed(peer);
}

void Node::on_message(PeerId peer, const net::Message& message) {
  if (impl_->stopped) return;
  auto it = impl_->peers.find(peer);
  if (it == impl_->peers.end() || it->second.disconnecting) return;
  ++it->second.messages_received;
  ++impl_->counters.messages_received;
  impl_->handle_message(it->second, message);
}

void Node::on_malformed(PeerId peer, const util::Status& error) {
  if (impl_->stopped) return;
  auto it = impl_->peers.find(peer);
  if (it == impl_->peers.end() || it->second.disconnecting) return;
  impl_->misbehave(it->second, net::Offence::kMalformedFrame, error.to_string());
}

void Node::on_peer_disconnected(PeerId peer) {
  impl_->handle_disconnected(peer);
}

void Node::on_timer(TimerId timer) {
  if (impl_->stopped) return;
  if (timer == kMiningTimer) {
    impl_->pace_timer_armed = false;
    return impl_->refresh_work();
  }
  if (timer != kTickTimer) return;
  impl_->tick();
  impl_->env.set_timer(kTickTimer, kTickMs);
}

void Node::on_block_found(const primitives::Block& block) {
  Impl& n = *impl_;
  if (n.stopped) return;
  // Set before the block is processed: the new tip asks for new work, which the pace delays.
  n.last_mined_ms = n.now_ms();
  auto v = n.process_block(nullptr, block);
  if (!v.is_ok()) return n.fatal(v.status());
  if (v->is_ok()) {
    ++n.counters.blocks_mined;
    n.log(LogLevel::kInfo,
          fmt::format("mined block {} at height {}",
                      util::to_hex(primitives::block_hash(block.header)), block.header.height));
  } else {
    n.log(LogLevel::kInfo, "mined block refused: " + v->to_string());
    n.refresh_work();
  }
}

const chain::Chainstate& Node::chainstate() const {
  return *impl_->chain;
}
const chain::Mempool& Node::mempool() const {
  return impl_->mempool;
}
const consensus::ChainParams& Node::params() const {
  return impl_->params;
}
NodeCounters Node::counters() const {
  return impl_->counters;
}
bool Node::network_active() const {
  return impl_->network_active;
}
std::size_t Node::known_addresses() const {
  return impl_->book.size();
}
void Node::request_shutdown() {
  impl_->env.request_shutdown();
}

std::vector<std::pair<net::PeerAddress, std::uint64_t>> Node::banned() const {
  std::vector<std::pair<net::PeerAddress, std::uint64_t>> out;
  const std::uint64_t now = impl_->now_s();
  for (const auto& [address, until] : impl_->bans.entries()) {
    if (until > now) out.emplace_back(address, until);
  }
  return out;
}

}  // namespace qpow::node
