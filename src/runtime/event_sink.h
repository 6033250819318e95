// runtime::EventSink: what the runtime's environment delivers its events to. It has exactly the
// event methods of node::Node (DESIGN §2), so node::Node is driven through a thin adapter
// (runtime::NodeRuntime), and the transport, timers and miners of runtime::AsioEnv can be tested
// with a recording sink and no node at all.
//
// Threading: every method is called on the environment's one event thread (the node thread),
// never concurrently, and never from inside a call the sink made into the environment: an
// outcome of such a call always arrives later as its own event.
#pragma once

#include "net/message.h"
#include "net/peer_address.h"
#include "node/env.h"
#include "primitives/block.h"
#include "util/status.h"

namespace qpow::runtime {

class EventSink {
 public:
  virtual ~EventSink() = default;

  // A connection is open: an accepted inbound one, or an outbound one started by Env::connect.
  virtual void on_peer_connected(node::PeerId peer, node::Direction direction,
                                 const net::PeerAddress& remote) = 0;
  // An outbound connection started by Env::connect could not be made (refused, unreachable,
  // timed out, or disconnected by the node before it was made). The id is dead afterwards.
  virtual void on_connect_failed(node::PeerId peer) = 0;
  // One decoded message from a connected peer.
  virtual void on_message(node::PeerId peer, const net::Message& message) = 0;
  // The peer's byte stream could not be decoded; nothing more is read from it.
  virtual void on_malformed(node::PeerId peer, const util::Status& error) = 0;
  // A connected peer is gone, for whatever reason. Arrives exactly once per on_peer_connected;
  // the id is dead afterwards.
  virtual void on_peer_disconnected(node::PeerId peer) = 0;
  // A timer armed with Env::set_timer expired (and was not re-armed since).
  virtual void on_timer(node::TimerId timer) = 0;
  // The miners solved the submitted work.
  virtual void on_block_found(const primitives::Block& block) = 0;
};

}  // namespace qpow::runtime
