#include "runtime/connection.h"

#include <algorithm>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

#include "runtime/endpoint.h"

namespace qpow::runtime::detail {

namespace asio = boost::asio;

Connection::Connection(ConnectionOwner& owner, node::PeerId id, asio::ip::tcp::socket socket,
                       const net::PeerAddress& remote, const net::Magic& magic)
    : owner_(owner),
      id_(id),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      remote_(remote),
      decoder_(magic),
      read_buffer_(kReadChunkBytes) {}

void Connection::connect(std::chrono::milliseconds timeout) {
  auto self = shared_from_this();
  timer_.expires_after(timeout);
  timer_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->closed_ || self->connected_) return;
    // Closing the socket completes the pending connect with operation_aborted.
    self->timed_out_ = true;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
  socket_.async_connect(to_endpoint(remote_), [self, timeout](const boost::system::error_code& ec) {
    self->on_connect(ec, timeout);
  });
}

void Connection::on_connect(const boost::system::error_code& ec,
                            std::chrono::milliseconds timeout) {
  if (closed_) return;
  timer_.cancel();
  if (ec || timed_out_) {
    close();
    owner_.on_connect_error(id_, timed_out_
                                     ? "timed out after " + std::to_string(timeout.count()) + " ms"
                                     : ec.message());
    return;
  }
  connected_ = true;
  boost::system::error_code ignored;
  // Small protocol messages (ping, inv) should not wait for Nagle's algorithm.
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  owner_.on_connected(id_);
}

void Connection::start_reading() {
  if (closed_) return;
  read_some();
}

void Connection::read_some() {
  // The decoder holds at most one frame; never hand it more than it can take (see frame.h).
  const std::size_t room =
      net::kRecvBufferBytesMax - std::min(decoder_.buffered(), net::kRecvBufferBytesMax);
  const std::size_t want = room == 0 ? kReadChunkBytes : std::min(kReadChunkBytes, room);
  socket_.async_read_some(
      asio::buffer(read_buffer_.data(), want),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t bytes) {
        self->on_read(ec, bytes);
      });
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t bytes) {
  if (closed_) return;
  if (ec) {
    owner_.on_lost(id_, ec == asio::error::eof ? std::string("closed by the peer") : ec.message());
    return;
  }
  const util::Status fed = decoder_.feed(util::ByteSpan(read_buffer_.data(), bytes));
  if (!fed.is_ok()) {
    owner_.on_stream_malformed(id_, fed);
    return;
  }
  if (deliver_buffered()) read_some();
}

bool Connection::deliver_buffered() {
  for (;;) {
    std::optional<util::Result<net::Message>> next = decoder_.next();
    if (!next) return true;
    if (!next->is_ok()) {
      owner_.on_stream_malformed(id_, next->status());
      return false;
    }
    owner_.on_received(id_, next->value());
    if (closed_) return false;
  }
}

bool Connection::send(util::Bytes frame) {
  if (closed_) return true;
  if (frame.size() > net::kSendQueueBytesMax - queued_bytes_) return false;
  queued_bytes_ += frame.size();
  send_queue_.push_back(std::move(frame));
  if (!writing_) write_front();
  return true;
}

void Connection::write_front() {
  writing_ = true;
  // std::deque never moves its elements on push_back, so the front frame's bytes stay put while
  // the write is in flight.
  asio::async_write(socket_, asio::buffer(send_queue_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec,
                                                std::size_t /*bytes*/) { self->on_write(ec); });
}

void Connection::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  if (closed_) return;
  if (ec) {
    owner_.on_lost(id_, "write failed: " + ec.message());
    return;
  }
  queued_bytes_ -= send_queue_.front().size();
  send_queue_.pop_front();
  if (!send_queue_.empty()) write_front();
}

void Connection::close_after(std::chrono::milliseconds grace) {
  if (closed_) return;
  timer_.expires_after(grace);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_) return;
    self->owner_.on_lost(self->id_, "malformed stream left open; closing it");
  });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  // The frame being written must outlive its write operation, which completes (aborted) later;
  // the rest can go now.
  if (writing_) {
    send_queue_.resize(1);
    queued_bytes_ = send_queue_.front().size();
  } else {
    send_queue_.clear();
    queued_bytes_ = 0;
  }
}

}  // namespace qpow::runtime::detail
