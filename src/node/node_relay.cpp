// Relay: inventory announcements and requests, transactions, addresses, and new blocks announced
// by their headers (a peer that already has the parent can fetch the block at once).
#include <algorithm>

#include <fmt/format.h>

#include "node/node_impl.h"
#include "primitives/transaction.h"

namespace qpow::node {

void Node::Impl::remember(Peer& peer, const net::InvItem& item) {
  if (!peer.known.insert(item).second) return;
  peer.known_order.push_back(item);
  if (peer.known_order.size() > kKnownInventoryMax) {
    peer.known.erase(peer.known_order.front());
    peer.known_order.pop_front();
  }
}

bool Node::Impl::knows(const Peer& peer, const net::InvItem& item) const {
  return peer.known.contains(item);
}

void Node::Impl::handle_inv(Peer& peer, const net::InvMsg& msg) {
  net::GetDataMsg want;
  bool unknown_block = false;
  for (const net::InvItem& item : msg.items) {
    remember(peer, item);
    if (item.type == net::InvType::kBlock) {
      const chain::BlockIndexEntry* e = chain->find(item.hash);
      if (e == nullptr) {
        unknown_block = true;
      } else {
        note_header(&peer, e);
      }
    } else if (peer.relays_txs() && !mempool.contains(item.hash) &&
               want.items.size() < net::kInvCountMax) {
      want.items.push_back(item);
    }
  }
  if (!want.items.empty()) send(peer, want);
  // Blocks are fetched headers first: ask for the headers that lead to an unknown block.
  if (unknown_block) request_headers(peer);
  request_blocks_from(peer);
}

void Node::Impl::handle_getdata(Peer& peer, const net::GetDataMsg& msg) {
  net::NotFoundMsg missing;
  std::size_t blocks = 0;
  for (const net::InvItem& item : msg.items) {
    if (item.type == net::InvType::kBlock) {
      if (++blocks > kGetDataBlocksMax) {
        missing.items.push_back(item);
        continue;
      }
      auto block = chain->read_block(item.hash);
      if (!block.is_ok()) return fatal(block.status());
      if (!block->has_value()) {
        missing.items.push_back(item);
        continue;
      }
      remember(peer, item);
      send(peer, net::BlockMsg{std::move(**block)});
    } else {
      const primitives::Transaction* tx = mempool.get(item.hash);
      if (tx == nullptr || !peer.relays_txs()) {
        missing.items.push_back(item);
        continue;
      }
      remember(peer, item);
      send(peer, net::TxMsg{*tx});
    }
  }
  if (!missing.items.empty()) send(peer, missing);
}

void Node::Impl::handle_notfound(Peer& peer, const net::NotFoundMsg& msg) {
  for (const net::InvItem& item : msg.items) {
    if (item.type != net::InvType::kBlock) continue;
    auto it = in_flight.find(item.hash);
    if (it != in_flight.end() && it->second.peer == peer.id) release_in_flight(item.hash);
  }
  request_blocks();
}

util::Result<chain::AcceptResult> Node::Impl::accept_tx(Peer* from,
                                                        const primitives::Transaction& tx) {
  QPOW_ASSIGN_OR_RETURN(chain::AcceptResult r, mempool.accept(tx, *chain));
  if (r.accepted()) {
    ++counters.txs_accepted;
    template_stale = true;
    relay_tx(r.txid, from != nullptr ? from->id : 0);
  } else {
    ++counters.txs_rejected;
  }
  return r;
}

void Node::Impl::handle_tx(Peer& peer, const primitives::Transaction& tx) {
  if (!peer.relays_txs()) {
    return misbehave(peer, net::Offence::kUnsolicitedBlock, "a transaction on a block-relay link");
  }
  auto r = accept_tx(&peer, tx);
  if (!r.is_ok()) return fatal(r.status());
  remember(peer, {.type = net::InvType::kTx, .hash = r->txid});
  if (!r->verdict.is_ok()) {
    const consensus::PeerPenalty penalty =
        consensus::peer_penalty(r->verdict.reason(), consensus::RejectedObject::kLooseTx);
    if (penalty != consensus::PeerPenalty::kNone) {
      misbehave(peer, net::Offence::kInvalidTx, r->verdict.to_string(), penalty);
    }
  }
}

void Node::Impl::relay_tx(const crypto::Hash256& txid, PeerId except) {
  const net::InvItem item{.type = net::InvType::kTx, .hash = txid};
  for (auto& [id, peer] : peers) {
    if (id == except || !peer.handshake_done || peer.disconnecting || !peer.relays_txs()) continue;
    if (knows(peer, item)) continue;
    remember(peer, item);
    send(peer, net::InvMsg{{item}});
  }
}

void Node::Impl::announce_block(const chain::BlockIndexEntry& tip) {
  const net::InvItem item{.type = net::InvType::kBlock, .hash = tip.hash};
  for (auto& [id, peer] : peers) {
    if (!peer.handshake_done || peer.disconnecting || knows(peer, item)) continue;
    remember(peer, item);
    // The headers after the last one the peer is known to have on this chain, when that is a
    // short stretch; otherwise the tip alone, and the peer asks for the rest.
    net::HeadersMsg msg;
    const chain::BlockIndexEntry* from = peer.best_known;
    if (from != nullptr && chain->is_active(*from) && tip.height() > from->height() &&
        tip.height() - from->height() <= kAnnounceHeadersMax) {
      for (std::uint64_t h = from->height() + 1; h <= tip.height(); ++h) {
        msg.headers.push_back(chain->active_at(h)->header);
      }
    } else {
      msg.headers.push_back(tip.header);
    }
    send(peer, msg);
  }
}

void Node::Impl::handle_getaddr(Peer& peer) {
  // Answered once per connection, and never to an outbound peer (who could use it to map us).
  if (peer.getaddr_answered || peer.outbound()) return;
  peer.getaddr_answered = true;
  send(peer, net::AddrMsg{book.sample(net::kAddrCountMax, env.random(), now_s())});
}

void Node::Impl::handle_addr(Peer& peer, const net::AddrMsg& msg) {
  if (peer.kind == LinkKind::kBlockRelayOnly) return;
  const std::uint64_t now = now_s();
  std::vector<net::AddressRecord> fresh;
  for (net::AddressRecord record : msg.addresses) {
    // A timestamp in the future is clamped, so a peer cannot make its addresses look fresher.
    record.last_seen_s = std::min(record.last_seen_s, now);
    if (book.add(record, peer.address, now) && now - record.last_seen_s < 10 * 60) {
      fresh.push_back(record);
    }
  }
  if (msg.addresses.size() > kAddrRelayMax || fresh.empty()) return;
  // Forward small, fresh announcements to a couple of other peers so that a new node becomes
  // known across the network.
  std::vector<Peer*> targets;
  for (auto& [id, other] : peers) {
    if (id != peer.id && other.handshake_done && !other.disconnecting &&
        other.kind != LinkKind::kBlockRelayOnly) {
      targets.push_back(&other);
    }
  }
  for (std::size_t i = 0; i < kAddrRelayFanout && !targets.empty(); ++i) {
    const std::size_t pick = env.random() % targets.size();
    send(*targets[pick], net::AddrMsg{fresh});
    targets.erase(targets.begin() + static_cast<std::ptrdiff_t>(pick));
  }
}

}  // namespace qpow::node
