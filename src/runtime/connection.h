// Connection: one TCP connection of runtime::AsioEnv. Internal to the runtime (it includes
// Boost.Asio); AsioEnv owns the connections, numbers them and turns their reports into events.
//
// A connection reads into a net::FrameDecoder one chunk at a time and reports every decoded
// message; the first decoding error is reported once and ends reading (the stream cannot be
// resynchronised). Sending queues whole frames and keeps one async_write in flight; a frame that
// would take the queue past net::kSendQueueBytesMax is refused, and the owner drops the peer.
//
// Lifetime: shared_ptr, with every pending handler holding a reference, so the object outlives
// its last handler. After close() it reports nothing more. All methods run on the event thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/frame.h"
#include "net/message.h"
#include "net/peer_address.h"
#include "node/env.h"
#include "util/bytes.h"
#include "util/status.h"

namespace qpow::runtime::detail {

// Bytes one read asks the socket for.
inline constexpr std::size_t kReadChunkBytes = 64 * 1024;

// What a Connection reports, on the event thread. The owner may close the connection from inside
// any of these.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual void on_connected(node::PeerId peer) = 0;
  virtual void on_connect_error(node::PeerId peer, const std::string& reason) = 0;
  virtual void on_received(node::PeerId peer, const net::Message& message) = 0;
  virtual void on_stream_malformed(node::PeerId peer, const util::Status& error) = 0;
  // The connection broke (end of stream, a socket error) or its close grace ran out.
  virtual void on_lost(node::PeerId peer, const std::string& reason) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ConnectionOwner& owner, node::PeerId id, boost::asio::ip::tcp::socket socket,
             const net::PeerAddress& remote, const net::Magic& magic);

  node::PeerId id() const { return id_; }
  const net::PeerAddress& remote() const { return remote_; }

  // Connects the (unopened) socket to remote(); reports on_connected or on_connect_error, the
  // latter also when `timeout` passes first.
  void connect(std::chrono::milliseconds timeout);
  // Starts the read loop (once the connection is open).
  void start_reading();
  // Queues a frame. False, with nothing queued, when it would take the queued bytes past
  // net::kSendQueueBytesMax.
  [[nodiscard]] bool send(util::Bytes frame);
  // Reports on_lost after `grace` unless the connection is closed before.
  void close_after(std::chrono::milliseconds grace);
  // Closes the socket and cancels everything pending. Idempotent.
  void close();

  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  void on_connect(const boost::system::error_code& ec, std::chrono::milliseconds timeout);
  void read_some();
  void on_read(const boost::system::error_code& ec, std::size_t bytes);
  // Decodes everything buffered; false when reading must stop (an error, or closed meanwhile).
  bool deliver_buffered();
  void write_front();
  void on_write(const boost::system::error_code& ec);

  ConnectionOwner& owner_;
  const node::PeerId id_;
  boost::asio::ip::tcp::socket socket_;
  // The connect timeout, then the close grace after a malformed stream.
  boost::asio::steady_timer timer_;
  const net::PeerAddress remote_;
  net::FrameDecoder decoder_;
  std::vector<std::uint8_t> read_buffer_;
  // Frames not yet written; the front one is being written while writing_.
  std::deque<util::Bytes> send_queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool connected_ = false;
  bool timed_out_ = false;
  bool closed_ = false;
};

}  // namespace qpow::runtime::detail
