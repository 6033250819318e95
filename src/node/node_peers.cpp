// Connections: the handshake, misbehaviour and bans, and the peer manager that keeps the
// configured number of outbound links, reconnects with back-off and rotates one outbound peer.
#include <algorithm>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "node/node_impl.h"
#include "util/assert.h"

namespace qpow::node {

namespace {

// Outbound peers should come from distinct network groups so that one range cannot surround
// us; addresses on this machine (every local test network) are exempt.
bool diversity_applies(const net::PeerAddress& address) {
  return !address.is_loopback();
}

// The group as a string key (a set of byte vectors trips a GCC 12 false warning).
std::string group_key(const net::PeerAddress& address) {
  const util::Bytes g = net::network_group(address);
  return {g.begin(), g.end()};
}

}  // namespace

void Node::Impl::send(Peer& peer, const net::Message& message) {
  ++peer.messages_sent;
  ++counters.messages_sent;
  env.send(peer.id, message);
}

void Node::Impl::drop(Peer& peer, std::string_view why) {
  if (peer.disconnecting) return;
  peer.disconnecting = true;
  log(LogLevel::kInfo,
      fmt::format("disconnecting peer {} ({}): {}", peer.id, peer.address.to_string(), why));
  env.disconnect(peer.id);
}

void Node::Impl::misbehave(Peer& peer, net::Offence offence, std::string_view why,
                           consensus::PeerPenalty penalty) {
  const std::uint32_t score = net::offence_score(offence, penalty);
  peer.misbehavior += score;
  log(LogLevel::kInfo, fmt::format("peer {} ({}) misbehaved (+{} = {}): {}", peer.id,
                                   peer.address.to_string(), score, peer.misbehavior, why));
  if (penalty == consensus::PeerPenalty::kDisconnect) return drop(peer, why);
  if (peer.misbehavior < net::kBanScore) return;
  if (!manual.contains(peer.address)) {
    bans.ban(peer.address, now_s() + net::kDefaultBanTimeS);
    ++counters.peers_banned;
    log(LogLevel::kWarning,
        fmt::format("banned {} until +{} s", peer.address.host_only().to_string(),
                    net::kDefaultBanTimeS));
  }
  drop(peer, "misbehaviour score reached the ban threshold");
}

void Node::Impl::handle_connected(PeerId id, Direction direction, const net::PeerAddress& remote) {
  Peer peer;
  peer.id = id;
  peer.address = remote;
  peer.connected_ms = now_ms();
  if (direction == Direction::kOutbound) {
    auto it = connecting.find(id);
    peer.kind = it == connecting.end() ? LinkKind::kOutboundFull : it->second.kind;
    if (it != connecting.end()) {
      peer.address = it->second.address;
      connecting.erase(it);
    }
  }
  auto [slot, inserted] = peers.emplace(id, std::move(peer));
  QPOW_ASSERT(inserted);
  Peer& p = slot->second;
  if (!network_active) return drop(p, "network is off");
  if (p.kind == LinkKind::kInbound) {
    if (bans.is_banned(p.address, now_s())) return drop(p, "banned");
    if (count_kind(LinkKind::kInbound) > config.inbound_max) return drop(p, "inbound slots full");
    return;  // an inbound peer speaks first
  }
  send_version(p);
}

void Node::Impl::handle_connect_failed(PeerId id) {
  auto it = connecting.find(id);
  if (it == connecting.end()) return;
  Backoff& b = backoff[it->second.address];
  b.failures = std::min<std::uint32_t>(b.failures + 1, 32);
  const std::uint64_t delay =
      std::min(kBackoffMaxMs, kBackoffBaseMs << std::min<std::uint32_t>(b.failures - 1, 20));
  b.next_attempt_ms = now_ms() + delay;
  log(LogLevel::kDebug, fmt::format("connection to {} failed; retry in {} ms",
                                    it->second.address.to_string(), delay));
  connecting.erase(it);
}

void Node::Impl::handle_disconnected(PeerId id) {
  connecting.erase(id);
  auto it = peers.find(id);
  if (it == peers.end()) return;
  Peer& peer = it->second;
  for (const crypto::Hash256& hash : peer.blocks_in_flight) in_flight.erase(hash);
  if (peer.outbound() && !peer.handshake_done) {
    Backoff& b = backoff[peer.address];
    b.failures = std::min<std::uint32_t>(b.failures + 1, 32);
    b.next_attempt_ms =
        now_ms() +
        std::min(kBackoffMaxMs, kBackoffBaseMs << std::min<std::uint32_t>(b.failures - 1, 20));
  }
  log(LogLevel::kDebug, fmt::format("peer {} ({}) gone", id, peer.address.to_string()));
  peers.erase(it);
  if (!stopped) request_blocks();
}

void Node::Impl::send_version(Peer& peer) {
  net::VersionMsg v;
  v.chain_id = params.chain_id;
  v.best_height = chain->tip().height();
  v.nonce = local_nonce;
  v.time_s = now_s();
  v.receiver = peer.address;
  v.listen_port = config.listen_port;
  v.relay_txs = peer.kind != LinkKind::kBlockRelayOnly;
  v.user_agent = config.user_agent;
  send(peer, v);
}

void Node::Impl::handle_version(Peer& peer, const net::VersionMsg& msg) {
  if (peer.version_received) {
    return misbehave(peer, net::Offence::kDuplicateVersion, "a second version message");
  }
  peer.version_received = true;
  peer.version = msg;
  if (msg.nonce == local_nonce) {
    book.remove(peer.address);
    return drop(peer, "connected to ourselves");
  }
  if (msg.chain_id != params.chain_id) {
    return drop(peer, fmt::format("chain id {} is not ours ({})", msg.chain_id, params.chain_id));
  }
  if (msg.protocol_version < net::kProtocolVersion) {
    return drop(peer, fmt::format("protocol version {} too old", msg.protocol_version));
  }
  if (peer.kind == LinkKind::kInbound) {
    send_version(peer);
    if (msg.listen_port != 0) {
      net::PeerAddress reachable = peer.address;
      reachable.port = msg.listen_port;
      book.add({.address = reachable, .services = msg.services, .last_seen_s = now_s()},
               peer.address, now_s());
    }
  }
  send(peer, net::VerackMsg{});
  if (peer.verack_received) complete_handshake(peer);
}

void Node::Impl::handle_verack(Peer& peer) {
  if (peer.verack_received) return;
  peer.verack_received = true;
  if (peer.version_received) complete_handshake(peer);
}

void Node::Impl::complete_handshake(Peer& peer) {
  peer.handshake_done = true;
  log(LogLevel::kInfo,
      fmt::format("peer {} ({}, {}) connected: {} height {}", peer.id, peer.address.to_string(),
                  link_kind_name(peer.kind), peer.version.user_agent, peer.version.best_height));
  if (peer.outbound()) {
    book.mark_good(peer.address, now_s());
    backoff.erase(peer.address);
  }
  if (peer.kind == LinkKind::kOutboundFull || peer.kind == LinkKind::kManual) {
    send(peer, net::GetAddrMsg{});
    if (config.listen_port != 0 && !peer.version.receiver.is_loopback()) {
      net::PeerAddress self = peer.version.receiver;
      self.port = config.listen_port;
      send(peer,
           net::AddrMsg{
               {{.address = self, .services = net::kServiceFullBlocks, .last_seen_s = now_s()}}});
    }
  }
  request_headers(peer);
}

void Node::Impl::handle_message(Peer& peer, const net::Message& message) {
  if (const auto* v = std::get_if<net::VersionMsg>(&message)) return handle_version(peer, *v);
  if (!peer.version_received) {
    return misbehave(peer, net::Offence::kMessageBeforeHandshake,
                     fmt::format("'{}' before version", net::command_name(message)));
  }
  if (std::holds_alternative<net::VerackMsg>(message)) return handle_verack(peer);
  if (!peer.handshake_done) {
    return misbehave(peer, net::Offence::kMessageBeforeHandshake,
                     fmt::format("'{}' before verack", net::command_name(message)));
  }
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, net::PingMsg>) {
          send(peer, net::PongMsg{m.nonce});
        } else if constexpr (std::is_same_v<M, net::PongMsg>) {
          if (peer.ping_nonce && *peer.ping_nonce == m.nonce) {
            peer.ping_ms = now_ms() - peer.ping_sent_ms;
            peer.ping_nonce.reset();
          }
        } else if constexpr (std::is_same_v<M, net::GetAddrMsg>) {
          handle_getaddr(peer);
        } else if constexpr (std::is_same_v<M, net::AddrMsg>) {
          handle_addr(peer, m);
        } else if constexpr (std::is_same_v<M, net::InvMsg>) {
          handle_inv(peer, m);
        } else if constexpr (std::is_same_v<M, net::GetDataMsg>) {
          handle_getdata(peer, m);
        } else if constexpr (std::is_same_v<M, net::NotFoundMsg>) {
          handle_notfound(peer, m);
        } else if constexpr (std::is_same_v<M, net::GetHeadersMsg>) {
          handle_getheaders(peer, m);
        } else if constexpr (std::is_same_v<M, net::HeadersMsg>) {
          handle_headers(peer, m);
        } else if constexpr (std::is_same_v<M, net::BlockMsg>) {
          handle_block(peer, m.block);
        } else if constexpr (std::is_same_v<M, net::TxMsg>) {
          handle_tx(peer, m.tx);
        }
        // version and verack were handled above.
      },
      message);
}

std::size_t Node::Impl::count_kind(LinkKind kind) const {
  std::size_t n = 0;
  for (const auto& [id, peer] : peers) n += peer.kind == kind && !peer.disconnecting ? 1 : 0;
  for (const auto& [id, pending] : connecting) n += pending.kind == kind ? 1 : 0;
  return n;
}

bool Node::Impl::is_connected_or_pending(const net::PeerAddress& address) const {
  for (const auto& [id, peer] : peers) {
    if (peer.address == address && !peer.disconnecting) return true;
  }
  for (const auto& [id, pending] : connecting) {
    if (pending.address == address) return true;
  }
  return false;
}

bool Node::Impl::backoff_allows(const net::PeerAddress& address) const {
  auto it = backoff.find(address);
  return it == backoff.end() || it->second.next_attempt_ms <= env.now_ms();
}

void Node::Impl::open_connection(const net::PeerAddress& address, LinkKind kind) {
  if (!network_active || is_connected_or_pending(address)) return;
  if (kind != LinkKind::kManual && bans.is_banned(address, now_s())) return;
  const PeerId id = env.connect(address);
  connecting[id] = {.address = address, .kind = kind};
  book.mark_attempt(address, now_s());
  Backoff& b = backoff[address];
  // Until the attempt resolves, do not try the same address again.
  b.next_attempt_ms = now_ms() + kHandshakeTimeoutMs;
}

void Node::Impl::maintain_connections() {
  if (!network_active || stopped) return;
  for (const net::PeerAddress& a : manual) {
    if (!is_connected_or_pending(a) && backoff_allows(a)) open_connection(a, LinkKind::kManual);
  }
  std::set<std::string> groups;
  for (const auto& [id, peer] : peers) {
    if (peer.outbound() && diversity_applies(peer.address)) {
      groups.insert(group_key(peer.address));
    }
  }
  auto skip = [&](const net::PeerAddress& a) {
    if (is_connected_or_pending(a) || !backoff_allows(a) || bans.is_banned(a, now_s())) {
      return true;
    }
    if (config.listen_port != 0 && a.is_loopback() && a.port == config.listen_port) return true;
    return diversity_applies(a) && groups.contains(group_key(a));
  };
  const struct {
    LinkKind kind;
    std::size_t target;
  } slots[] = {{LinkKind::kOutboundFull, config.outbound_full_target},
               {LinkKind::kBlockRelayOnly, config.block_relay_target}};
  for (const auto& slot : slots) {
    // A bounded number of picks per tick: connections are opened gradually.
    for (int tries = 0; tries < 4 && count_kind(slot.kind) < slot.target; ++tries) {
      std::optional<net::PeerAddress> pick = book.select(env.random(), now_s(), skip);
      if (!pick) break;
      if (diversity_applies(*pick)) groups.insert(group_key(*pick));
      open_connection(*pick, slot.kind);
    }
  }
}

void Node::Impl::rotate_outbound() {
  last_rotation_ms = now_ms();
  std::vector<Peer*> candidates;
  for (auto& [id, peer] : peers) {
    if (peer.kind == LinkKind::kOutboundFull && peer.handshake_done && !peer.disconnecting) {
      candidates.push_back(&peer);
    }
  }
  // Only rotate when there is somewhere else to go.
  if (candidates.empty() || book.size() <= candidates.size()) return;
  Peer& victim = *candidates[env.random() % candidates.size()];
  drop(victim, "periodic outbound rotation");
}

void Node::Impl::check_peer_deadlines() {
  const std::uint64_t now = now_ms();
  for (auto& [id, peer] : peers) {
    if (peer.disconnecting) continue;
    if (!peer.handshake_done) {
      if (now - peer.connected_ms > kHandshakeTimeoutMs) drop(peer, "handshake timed out");
      continue;
    }
    if (peer.ping_nonce && now - peer.ping_sent_ms > kPingTimeoutMs) {
      drop(peer, "ping timed out");
      continue;
    }
    if (!peer.ping_nonce && now - peer.ping_sent_ms >= kPingIntervalMs) {
      peer.ping_nonce = env.random();
      peer.ping_sent_ms = now;
      send(peer, net::PingMsg{*peer.ping_nonce});
    }
    if (peer.headers_requested_ms && now - *peer.headers_requested_ms > kHeadersTimeoutMs) {
      drop(peer, "headers request timed out");
    }
  }
}

void Node::Impl::tick() {
  check_peer_deadlines();
  check_stalls();
  maintain_connections();
  const std::uint64_t now = now_ms();
  if (now - last_rotation_ms >= kRotationIntervalMs) rotate_outbound();
  if (now - last_persist_ms >= kPersistIntervalMs) {
    if (util::Status s = persist(); !s.is_ok()) return fatal(s);
  }
  if (now - last_progress_ms >= kProgressLogMs) log_progress();
  if (template_stale && now - last_template_ms >= kTemplateRefreshMs) refresh_work();
}

// ---- public operations on connections ----

util::Status Node::add_node(const net::PeerAddress& address) {
  Impl& n = *impl_;
  n.manual.insert(address);
  n.backoff.erase(address);
  n.open_connection(address, LinkKind::kManual);
  return util::Status::ok();
}

util::Status Node::disconnect_node(const net::PeerAddress& address) {
  Impl& n = *impl_;
  n.manual.erase(address);
  bool found = false;
  for (auto& [id, peer] : n.peers) {
    if (peer.address == address && !peer.disconnecting) {
      n.drop(peer, "disconnected by the operator");
      found = true;
    }
  }
  if (!found) return util::Status::not_found("no peer connected at " + address.to_string());
  return util::Status::ok();
}

util::Status Node::disconnect_peer(PeerId id) {
  auto it = impl_->peers.find(id);
  if (it == impl_->peers.end() || it->second.disconnecting) {
    return util::Status::not_found(fmt::format("no peer with id {}", id));
  }
  impl_->drop(it->second, "disconnected by the operator");
  return util::Status::ok();
}

void Node::set_network_active(bool active) {
  Impl& n = *impl_;
  if (n.network_active == active) return;
  n.network_active = active;
  n.log(LogLevel::kInfo, active ? "network activity on" : "network activity off");
  if (!active) {
    for (auto& [id, peer] : n.peers) n.drop(peer, "network turned off");
    for (auto& [id, pending] : n.connecting) n.env.disconnect(id);
    n.connecting.clear();
  } else {
    n.backoff.clear();
    n.maintain_connections();
  }
}

std::vector<PeerInfo> Node::peer_info() const {
  std::vector<PeerInfo> out;
  for (const auto& [id, p] : impl_->peers) {
    if (p.disconnecting) continue;
    out.push_back({.id = id,
                   .address = p.address,
                   .kind = p.kind,
                   .handshake_done = p.handshake_done,
                   .protocol_version = p.version.protocol_version,
                   .user_agent = p.version.user_agent,
                   .services = p.version.services,
                   .start_height = p.version.best_height,
                   .synced_height = p.best_known ? p.best_known->height() : 0,
                   .misbehavior = p.misbehavior,
                   .connected_ms = p.connected_ms,
                   .ping_ms = p.ping_ms,
                   .blocks_in_flight = p.blocks_in_flight.size(),
                   .messages_received = p.messages_received,
                   .messages_sent = p.messages_sent});
  }
  return out;
}

}  // namespace qpow::node
