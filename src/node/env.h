// node::Env: everything the node does to the outside world goes through this interface
// (DESIGN §2). The node never opens a socket, reads a clock, sleeps or starts a thread; the
// runtime (Boost.Asio, real TCP, the system clock, a thread pool) and the simulator (virtual time,
// simulated links, inline execution) each implement Env and feed the node its events.
//
// Calls from the node into Env never call back into the node synchronously: an outcome (a
// connection made or failed, a timer firing, a block found) arrives later as a separate event.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "mining/block_miner.h"
#include "net/message.h"
#include "net/peer_address.h"
#include "util/executor.h"

namespace qpow::node {

// Connections are numbered by the environment, never reused within a run.
using PeerId = std::uint64_t;
using TimerId = std::uint64_t;

enum class Direction : std::uint8_t { kInbound, kOutbound };
enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarning, kError };

class Env {
 public:
  virtual ~Env() = default;

  // Milliseconds since the Unix epoch: the system clock in the runtime, virtual in the simulator.
  virtual std::uint64_t now_ms() = 0;
  // Uniform 64-bit randomness (the OS in the runtime, the seeded source in the simulator).
  virtual std::uint64_t random() = 0;

  // Queues a message for a connected peer. Ignored if the peer is already gone (its
  // on_peer_disconnected is on the way). A peer whose send queue passes net::kSendQueueBytesMax is
  // disconnected by the environment.
  virtual void send(PeerId peer, const net::Message& message) = 0;
  // Starts an outbound connection and returns its id at once. Later exactly one of
  // on_peer_connected(id, kOutbound, address) or on_connect_failed(id) arrives.
  virtual PeerId connect(const net::PeerAddress& address) = 0;
  // Closes a connection; on_peer_disconnected(peer) follows (once) if it was connected.
  virtual void disconnect(PeerId peer) = 0;
  // Arms timer `id` to fire on_timer(id) after delay_ms, replacing a pending timer of that id.
  virtual void set_timer(TimerId id, std::uint64_t delay_ms) = 0;

  // Replaces the work the miners search (nullopt: stop mining). A solution comes back as
  // on_block_found; a stale one (for an old tip) is simply validated and refused by the chain.
  virtual void submit_work(std::optional<mining::BlockTemplate> work) = 0;
  // The miners' recent hash rate (0 when not mining).
  virtual double hashes_per_second() const = 0;

  // Where CPU-heavy parallel work (a block's signature checks) runs.
  virtual util::Executor& executor() = 0;

  // The node asks the process to stop (the RPC "stop" method). The environment shuts the node
  // down cleanly from outside the current event.
  virtual void request_shutdown() = 0;

  virtual void log(LogLevel level, std::string_view message) = 0;
};

}  // namespace qpow::node
