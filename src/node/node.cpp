// Placeholder bodies while the node is written; replaced by the real implementation.
#include "node/node.h"

#include "util/assert.h"

namespace qpow::node {

struct Node::Impl {};

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
  return "unknown";
}

util::Result<std::unique_ptr<Node>> Node::create(Env&, storage::KvStore&,
                                                 const consensus::ChainParams&, NodeConfig) {
  return util::Status::unsupported("node: not built yet");
}
Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;
void Node::start() {}
util::Status Node::shutdown() { return util::Status::ok(); }
void Node::on_peer_connected(PeerId, Direction, const net::PeerAddress&) {}
void Node::on_connect_failed(PeerId) {}
void Node::on_message(PeerId, const net::Message&) {}
void Node::on_malformed(PeerId, const util::Status&) {}
void Node::on_peer_disconnected(PeerId) {}
void Node::on_timer(TimerId) {}
void Node::on_block_found(const primitives::Block&) {}
util::Result<chain::AcceptResult> Node::submit_transaction(const primitives::Transaction&) {
  return util::Status::unsupported("x");
}
util::Result<consensus::Verdict> Node::submit_block(const primitives::Block&) {
  return util::Status::unsupported("x");
}
util::Result<std::vector<crypto::Hash256>> Node::generate(const primitives::Address&, std::size_t) {
  return util::Status::unsupported("x");
}
util::Result<mining::BlockTemplate> Node::block_template(const primitives::Address&) const {
  return util::Status::unsupported("x");
}
util::Status Node::add_node(const net::PeerAddress&) { return util::Status::unsupported("x"); }
util::Status Node::disconnect_node(const net::PeerAddress&) { return util::Status::unsupported("x"); }
util::Status Node::disconnect_peer(PeerId) { return util::Status::unsupported("x"); }
void Node::set_network_active(bool) {}
bool Node::network_active() const { return false; }
void Node::request_shutdown() {}
const chain::Chainstate& Node::chainstate() const { QPOW_UNREACHABLE(); }
const chain::Mempool& Node::mempool() const { QPOW_UNREACHABLE(); }
const consensus::ChainParams& Node::params() const { QPOW_UNREACHABLE(); }
std::vector<PeerInfo> Node::peer_info() const { return {}; }
SyncInfo Node::sync_info() const { return {}; }
NodeCounters Node::counters() const { return {}; }
MiningInfo Node::mining_info() const { return {}; }
std::vector<std::pair<net::PeerAddress, std::uint64_t>> Node::banned() const { return {}; }
std::size_t Node::known_addresses() const { return 0; }

}  // namespace qpow::node
