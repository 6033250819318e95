// Headers-first sync: headers are fetched along the most-work chain a peer has, then blocks are
// downloaded in parallel from every peer that has them (at most kBlocksInFlightPerPeerMax each,
// within kBlockDownloadWindow of the tip), and a block that does not arrive in time is asked of
// someone else.
#include <algorithm>

#include <fmt/format.h>

#include "node/node_impl.h"
#include "util/hex.h"

namespace qpow::node {

namespace {

bool more_work(const chain::BlockIndexEntry* a, const chain::BlockIndexEntry* b) {
  return b == nullptr || b->chain_work < a->chain_work;
}

}  // namespace

bool Node::Impl::initial_download() const {
  const chain::BlockIndexEntry& tip = chain->tip();
  return best_header != nullptr && best_header->height() > tip.height() + kInitialDownloadLag &&
         more_work(best_header, &tip);
}

// Bitcoin's block locator: the tip, then steps that double after the first ten, then genesis.
std::vector<crypto::Hash256> Node::Impl::locator() const {
  std::vector<crypto::Hash256> out;
  const chain::BlockIndexEntry& tip = chain->tip();
  std::uint64_t height = tip.height();
  std::uint64_t step = 1;
  while (out.size() + 1 < net::kLocatorCountMax) {
    out.push_back(chain->active_at(height)->hash);
    if (height == 0) return out;
    if (out.size() >= 10) step *= 2;
    height = height > step ? height - step : 0;
  }
  out.push_back(chain->genesis().hash);
  return out;
}

void Node::Impl::request_headers(Peer& peer) {
  if (peer.headers_requested_ms) return;
  peer.headers_requested_ms = now_ms();
  send(peer, net::GetHeadersMsg{.locator = locator(), .stop = {}});
}

void Node::Impl::handle_getheaders(Peer& peer, const net::GetHeadersMsg& msg) {
  std::uint64_t start = 0;
  for (const crypto::Hash256& hash : msg.locator) {
    const chain::BlockIndexEntry* e = chain->find(hash);
    if (e != nullptr && chain->is_active(*e)) {
      start = e->height();
      break;
    }
  }
  net::HeadersMsg reply;
  for (std::uint64_t h = start + 1; reply.headers.size() < net::kHeadersCountMax; ++h) {
    const chain::BlockIndexEntry* e = chain->active_at(h);
    if (e == nullptr) break;
    reply.headers.push_back(e->header);
    if (e->hash == msg.stop) break;
  }
  if (!reply.headers.empty()) note_header(&peer, chain->active_at(start + reply.headers.size()));
  send(peer, reply);
}

void Node::Impl::note_header(Peer* peer, const chain::BlockIndexEntry* entry) {
  if (entry == nullptr || entry->failed()) return;
  if (more_work(entry, best_header)) best_header = entry;
  if (peer != nullptr && more_work(entry, peer->best_known)) peer->best_known = entry;
}

void Node::Impl::handle_headers(Peer& peer, const net::HeadersMsg& msg) {
  peer.headers_requested_ms.reset();
  if (msg.headers.empty()) return;
  for (std::size_t i = 1; i < msg.headers.size(); ++i) {
    if (msg.headers[i].parent != primitives::block_hash(msg.headers[i - 1])) {
      return misbehave(peer, net::Offence::kNonContinuousHeaders,
                       fmt::format("headers[{}] does not follow headers[{}]", i, i - 1));
    }
  }
  for (std::size_t i = 0; i < msg.headers.size(); ++i) {
    auto v = chain->accept_header(msg.headers[i], now_s());
    if (!v.is_ok()) return fatal(v.status());
    if (v->reason() == consensus::RejectReason::kUnknownParent && i == 0) {
      // An announcement that skips blocks we lack: ask for the chain that leads to it.
      if (++peer.unconnecting_headers > kUnconnectingHeadersMax) {
        peer.unconnecting_headers = 0;
        misbehave(peer, net::Offence::kUnconnectingHeaders, "headers that never connect");
      }
      return request_headers(peer);
    }
    if (!v->is_ok()) {
      if (v->reason() == consensus::RejectReason::kTimeTooNew) return;
      return misbehave(peer, net::Offence::kInvalidHeader, v->to_string(),
                       consensus::peer_penalty(v->reason(), consensus::RejectedObject::kBlock));
    }
    note_header(&peer, chain->find(primitives::block_hash(msg.headers[i])));
  }
  peer.unconnecting_headers = 0;
  // A full batch means the peer has more.
  if (msg.headers.size() == net::kHeadersCountMax) {
    send(peer,
         net::GetHeadersMsg{.locator = {primitives::block_hash(msg.headers.back())}, .stop = {}});
    peer.headers_requested_ms = now_ms();
  }
  request_blocks();
}

void Node::Impl::release_in_flight(const crypto::Hash256& hash) {
  auto it = in_flight.find(hash);
  if (it == in_flight.end()) return;
  if (auto p = peers.find(it->second.peer); p != peers.end())
    p->second.blocks_in_flight.erase(hash);
  in_flight.erase(it);
}

void Node::Impl::handle_block(Peer& peer, const primitives::Block& block) {
  const crypto::Hash256 hash = primitives::block_hash(block.header);
  release_in_flight(hash);
  remember(peer, {.type = net::InvType::kBlock, .hash = hash});
  auto v = process_block(&peer, block);
  if (!v.is_ok()) return fatal(v.status());
  if (v->reason() == consensus::RejectReason::kUnknownParent) {
    request_headers(peer);
  } else if (!v->is_ok() && v->reason() != consensus::RejectReason::kTimeTooNew) {
    ++counters.blocks_invalid;
    misbehave(peer, net::Offence::kInvalidBlock, v->to_string(),
              consensus::peer_penalty(v->reason(), consensus::RejectedObject::kBlock));
  }
  request_blocks();
}

util::Result<consensus::Verdict> Node::Impl::process_block(Peer* from,
                                                           const primitives::Block& block) {
  const chain::BlockIndexEntry* old_tip = &chain->tip();
  connected_blocks.clear();
  disconnected_blocks.clear();
  QPOW_ASSIGN_OR_RETURN(consensus::Verdict v, chain->accept_block(block, now_s()));
  const chain::BlockIndexEntry* entry = chain->find(primitives::block_hash(block.header));
  if (entry != nullptr && v.is_ok()) note_header(from, entry);
  if (&chain->tip() != old_tip) after_tip_change(old_tip);
  return v;
}

void Node::Impl::after_tip_change(const chain::BlockIndexEntry* old_tip) {
  std::vector<primitives::Transaction> readd;
  // disconnected_blocks is newest first; the pool wants them oldest first.
  for (auto it = disconnected_blocks.rbegin(); it != disconnected_blocks.rend(); ++it) {
    readd.insert(readd.end(), it->txs.begin(), it->txs.end());
  }
  if (!disconnected_blocks.empty()) {
    if (util::Status s = mempool.readd_after_reorg(readd, *chain); !s.is_ok()) return fatal(s);
  }
  for (const primitives::Block& b : connected_blocks) {
    if (util::Status s = mempool.remove_for_block(b, *chain); !s.is_ok()) return fatal(s);
  }
  counters.blocks_connected += connected_blocks.size();
  const chain::BlockIndexEntry& tip = chain->tip();
  note_header(nullptr, &tip);
  if (!disconnected_blocks.empty()) {
    log(LogLevel::kInfo, fmt::format("reorganized: {} blocks disconnected from height {}, new tip "
                                     "{} at height {}",
                                     disconnected_blocks.size(), old_tip->height(),
                                     util::to_hex(tip.hash), tip.height()));
  } else if (!initial_download()) {
    log(LogLevel::kInfo,
        fmt::format("new tip {} at height {} ({} txs)", util::to_hex(tip.hash), tip.height(),
                    connected_blocks.empty() ? 0 : connected_blocks.back().txs.size()));
  }
  connected_blocks.clear();
  disconnected_blocks.clear();
  if (!initial_download()) announce_block(tip);
  refresh_work();
}

void Node::Impl::request_blocks() {
  for (auto& [id, peer] : peers) {
    if (peer.handshake_done && !peer.disconnecting) request_blocks_from(peer);
  }
}

void Node::Impl::request_blocks_from(Peer& peer) {
  const chain::BlockIndexEntry* target = peer.best_known;
  const chain::BlockIndexEntry& tip = chain->tip();
  if (target == nullptr || target->failed() || !more_work(target, &tip)) return;
  if (peer.blocks_in_flight.size() >= kBlocksInFlightPerPeerMax) return;
  const chain::BlockIndexEntry* fork = chain::BlockIndex::fork_point(&tip, target);
  const std::uint64_t last = std::min(target->height(), tip.height() + kBlockDownloadWindow);
  // The path fork+1 .. last, collected in one walk down from `last` (at most the window long).
  std::vector<const chain::BlockIndexEntry*> path;
  for (const chain::BlockIndexEntry* e =
           chain::BlockIndex::ancestor(const_cast<chain::BlockIndexEntry*>(target), last);
       e != fork; e = e->parent) {
    path.push_back(e);
  }
  net::GetDataMsg request;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const chain::BlockIndexEntry* e = *it;
    if ((e->status & chain::kHaveData) != 0 || in_flight.contains(e->hash)) continue;
    request.items.push_back({.type = net::InvType::kBlock, .hash = e->hash});
    in_flight[e->hash] = {.peer = peer.id, .requested_ms = now_ms()};
    peer.blocks_in_flight.insert(e->hash);
    if (peer.blocks_in_flight.size() >= kBlocksInFlightPerPeerMax) break;
  }
  if (!request.items.empty()) send(peer, request);
}

void Node::Impl::check_stalls() {
  const std::uint64_t now = now_ms();
  std::vector<crypto::Hash256> late;
  for (const auto& [hash, f] : in_flight) {
    if (now - f.requested_ms > kBlockStallTimeoutMs) late.push_back(hash);
  }
  for (const crypto::Hash256& hash : late) {
    const PeerId who = in_flight[hash].peer;
    release_in_flight(hash);
    auto it = peers.find(who);
    if (it == peers.end()) continue;
    if (++it->second.stalls >= kStallsMax) drop(it->second, "stalled block download");
  }
  if (!late.empty()) request_blocks();
}

void Node::Impl::log_progress() {
  const std::uint64_t now = now_ms();
  const std::uint64_t height = chain->tip().height();
  if (initial_download() && last_progress_ms != 0) {
    const std::uint64_t target = best_header->height();
    const double seconds = static_cast<double>(now - last_progress_ms) / 1000.0;
    const double rate = seconds > 0 ? static_cast<double>(height - progress_height) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(target - height) / rate : 0;
    log(LogLevel::kInfo,
        fmt::format("sync: height {}/{} ({:.1f}%), {:.1f} blocks/s, about {:.0f} s left", height,
                    target, 100.0 * static_cast<double>(height) / static_cast<double>(target), rate,
                    left));
  }
  last_progress_ms = now;
  progress_height = height;
}

SyncInfo Node::sync_info() const {
  const Impl& n = *impl_;
  SyncInfo s;
  s.tip_height = n.chain->tip().height();
  s.best_header_height = std::max(s.tip_height, n.best_header ? n.best_header->height() : 0);
  s.initial_download = n.initial_download();
  s.blocks_in_flight = n.in_flight.size();
  s.progress = s.best_header_height == 0
                   ? 1.0
                   : static_cast<double>(s.tip_height) / static_cast<double>(s.best_header_height);
  return s;
}

}  // namespace qpow::node
