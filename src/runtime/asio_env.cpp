#include "runtime/asio_env.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <exception>
#include <map>
#include <string>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "crypto/os_random.h"
#include "net/frame.h"
#include "runtime/connection.h"
#include "runtime/endpoint.h"
#include "runtime/miner_thread.h"
#include "runtime/stderr_log.h"
#include "runtime/thread_pool.h"
#include "util/assert.h"
#include "util/bytes.h"

namespace qpow::runtime {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::chrono::milliseconds to_duration(std::uint64_t ms) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(ms, kTimerDelayMaxMs)));
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
  return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

util::Result<std::uint64_t> os_random_u64() {
  std::array<std::uint8_t, 8> bytes{};
  QPOW_RETURN_IF_ERROR(crypto::os_random(bytes));
  return util::load_le64(bytes.data());
}

}  // namespace

struct AsioEnv::Impl final : detail::ConnectionOwner {
  // A connection and whether the sink has seen it connected (inbound: always; outbound: once
  // the connect succeeded). Decides which event ends it: on_peer_disconnected or on_connect_failed.
  struct Slot {
    std::shared_ptr<detail::Connection> connection;
    bool connected = false;
  };
  struct TimerSlot {
    explicit TimerSlot(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::uint64_t generation = 0;  // which set_timer call armed it
  };

  Impl(AsioEnvConfig cfg, EventSink& event_sink)
      : config(std::move(cfg)),
        sink(event_sink),
        magic(net::network_magic(config.network)),
        log(config.log_level),
        accept_retry(io),
        work(asio::make_work_guard(io)) {}

  util::Status start_listening(const net::PeerAddress& where);
  void accept_next();
  void on_accepted(tcp::socket socket);
  void close_peer(node::PeerId peer, const std::string& reason);
  void post_found_block(primitives::Block block);
  void on_timer_expired(node::TimerId id, std::uint64_t generation);
  void close();
  void debug(const std::string& message) {
    if (log.enabled(node::LogLevel::kDebug)) log.write(node::LogLevel::kDebug, message);
  }

  // ---- detail::ConnectionOwner ----
  void on_connected(node::PeerId peer) override;
  void on_connect_error(node::PeerId peer, const std::string& reason) override;
  void on_received(node::PeerId peer, const net::Message& message) override;
  void on_stream_malformed(node::PeerId peer, const util::Status& error) override;
  void on_lost(node::PeerId peer, const std::string& reason) override { close_peer(peer, reason); }

  // First, so it is destroyed last: its destructor drops the handlers still pending, and with
  // them the last references to closed connections.
  asio::io_context io{1};
  AsioEnvConfig config;
  EventSink& sink;
  const net::Magic magic;
  StderrLog log;
  std::optional<tcp::acceptor> acceptor;
  asio::steady_timer accept_retry;
  std::uint16_t listen_port = 0;
  // Keeps run() running while there is nothing to wait for, until stop().
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::map<node::PeerId, Slot> connections;
  node::PeerId next_peer = 1;
  std::map<node::TimerId, TimerSlot> timers;  // pending timers only
  std::uint64_t timer_generation = 0;
  std::optional<asio::signal_set> signals;
  std::unique_ptr<ThreadPool> pool;
  bool closed = false;
  bool mining_active = false;  // the last submit_work was a template
  // Last, so it is stopped first: its thread posts to io.
  std::unique_ptr<MinerThread> miner;
};

util::Status AsioEnv::Impl::start_listening(const net::PeerAddress& where) {
  const tcp::endpoint endpoint = detail::to_endpoint(where);
  boost::system::error_code ec;
  const auto fail = [&](std::string_view step) {
    return util::Status::io_error(
        fmt::format("listen on {}: {}: {}", endpoint_text(endpoint), step, ec.message()));
  };
  acceptor.emplace(io);
  acceptor->open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("reuse address");
  acceptor->bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  const tcp::endpoint bound = acceptor->local_endpoint(ec);
  if (ec) return fail("local address");
  listen_port = bound.port();
  accept_next();
  return util::Status::ok();
}

void AsioEnv::Impl::accept_next() {
  if (closed) return;
  acceptor->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (closed || ec == asio::error::operation_aborted) return;
    if (ec) {
      // E.g. out of file descriptors: accepting again at once would spin.
      log.write(node::LogLevel::kWarning, "accept failed: " + ec.message());
      accept_retry.expires_after(to_duration(kAcceptRetryDelayMs));
      accept_retry.async_wait([this](const boost::system::error_code& wait_ec) {
        if (!wait_ec) accept_next();
      });
      return;
    }
    on_accepted(std::move(socket));
    accept_next();
  });
}

void AsioEnv::Impl::on_accepted(tcp::socket socket) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone again
  if (connections.size() >= config.connections_max) {
    log.write(node::LogLevel::kWarning, fmt::format("refusing {}: {} connections open",
                                                    endpoint_text(remote), connections.size()));
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  const node::PeerId id = next_peer++;
  auto connection = std::make_shared<detail::Connection>(*this, id, std::move(socket),
                                                         detail::to_peer_address(remote), magic);
  connections.emplace(id, Slot{.connection = connection, .connected = true});
  debug(fmt::format("peer {}: inbound from {}", id, endpoint_text(remote)));
  sink.on_peer_connected(id, node::Direction::kInbound, connection->remote());
  connection->start_reading();  // nothing if the sink disconnected it already
}

void AsioEnv::Impl::on_connected(node::PeerId peer) {
  const auto it = connections.find(peer);
  if (it == connections.end()) return;
  it->second.connected = true;
  const std::shared_ptr<detail::Connection> connection = it->second.connection;
  debug(fmt::format("peer {}: connected", peer));
  sink.on_peer_connected(peer, node::Direction::kOutbound, connection->remote());
  connection->start_reading();
}

void AsioEnv::Impl::on_connect_error(node::PeerId peer, const std::string& reason) {
  if (connections.erase(peer) == 0) return;
  debug(fmt::format("peer {}: connect failed: {}", peer, reason));
  sink.on_connect_failed(peer);
}

void AsioEnv::Impl::on_received(node::PeerId peer, const net::Message& message) {
  if (closed || !connections.contains(peer)) return;
  sink.on_message(peer, message);
}

void AsioEnv::Impl::on_stream_malformed(node::PeerId peer, const util::Status& error) {
  const auto it = connections.find(peer);
  if (closed || it == connections.end()) return;
  const std::shared_ptr<detail::Connection> connection = it->second.connection;
  debug(fmt::format("peer {}: malformed stream: {}", peer, error.to_string()));
  sink.on_malformed(peer, error);
  connection->close_after(to_duration(kMalformedCloseGraceMs));  // nothing if already closed
}

void AsioEnv::Impl::close_peer(node::PeerId peer, const std::string& reason) {
  const auto it = connections.find(peer);
  if (it == connections.end()) return;
  const Slot slot = std::move(it->second);
  connections.erase(it);
  slot.connection->close();
  debug(fmt::format("peer {}: closed: {}", peer, reason));
  // Posted, never called here: the node may be the caller (Env::disconnect), and Env promises it
  // no synchronous callbacks.
  asio::post(io, [this, peer, connected = slot.connected] {
    if (closed) return;
    if (connected) {
      sink.on_peer_disconnected(peer);
    } else {
      sink.on_connect_failed(peer);
    }
  });
}

void AsioEnv::Impl::post_found_block(primitives::Block block) {
  // On the mining thread: hand the block to the event thread.
  asio::post(io, [this, block = std::move(block)] {
    if (closed || !mining_active) return;
    sink.on_block_found(block);
  });
}

void AsioEnv::Impl::on_timer_expired(node::TimerId id, std::uint64_t generation) {
  const auto it = timers.find(id);
  // A re-armed timer's old expiry may already be queued; only the newest arming counts.
  if (closed || it == timers.end() || it->second.generation != generation) return;
  timers.erase(it);  // before the sink runs: it may arm the same id again
  sink.on_timer(id);
}

void AsioEnv::Impl::close() {
  if (closed) return;
  closed = true;
  miner->stop();
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  accept_retry.cancel();
  std::map<node::PeerId, Slot> open = std::move(connections);
  connections.clear();
  for (auto& [id, slot] : open) slot.connection->close();
  for (auto& [id, slot] : timers) slot.timer.cancel();
  timers.clear();
  if (signals) signals->cancel(ignored);
  work.reset();
}

// ---- AsioEnv ----

util::Result<std::unique_ptr<AsioEnv>> AsioEnv::create(AsioEnvConfig config, EventSink& sink) {
  try {
    QPOW_RETURN_IF_ERROR(os_random_u64());  // fail now rather than at the first random()
    auto impl = std::make_unique<Impl>(std::move(config), sink);
    QPOW_ASSIGN_OR_RETURN(impl->pool, ThreadPool::create(impl->config.executor_threads));
    Impl* raw = impl.get();
    QPOW_ASSIGN_OR_RETURN(
        impl->miner, MinerThread::create(impl->config.mining_strategy, impl->config.mining_threads,
                                         [raw](primitives::Block block) {
                                           raw->post_found_block(std::move(block));
                                         }));
    if (impl->config.listen) QPOW_RETURN_IF_ERROR(impl->start_listening(*impl->config.listen));
    return std::make_unique<AsioEnv>(std::move(impl));
  } catch (const std::exception& e) {
    return util::Status::error(util::StatusCode::kInternal,
                               std::string("asio environment: ") + e.what());
  }
}

AsioEnv::AsioEnv(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AsioEnv::~AsioEnv() {
  impl_->close();
}

std::uint16_t AsioEnv::listen_port() const {
  return impl_->listen_port;
}

util::Status AsioEnv::run() {
  try {
    impl_->io.run();
  } catch (const std::exception& e) {
    return util::Status::error(util::StatusCode::kInternal,
                               std::string("event loop: unexpected exception: ") + e.what());
  }
  return util::Status::ok();
}

void AsioEnv::stop() {
  impl_->io.stop();
}

void AsioEnv::post(std::function<void()> fn) {
  asio::post(impl_->io, std::move(fn));
}

void AsioEnv::close() {
  impl_->close();
}

util::Status AsioEnv::watch_signals(std::function<void(int)> on_signal) {
  Impl& impl = *impl_;
  boost::system::error_code ec;
  impl.signals.emplace(impl.io);
  for (const int signal_number : {SIGINT, SIGTERM}) {
    impl.signals->add(signal_number, ec);
    if (ec)
      return util::Status::io_error("cannot watch signal " + std::to_string(signal_number) + ": " +
                                    ec.message());
  }
  impl.signals->async_wait(
      [&impl, fn = std::move(on_signal)](const boost::system::error_code& e, int signal_number) {
        if (e || impl.closed) return;
        fn(signal_number);
      });
  return util::Status::ok();
}

std::uint64_t AsioEnv::now_ms() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

std::uint64_t AsioEnv::random() {
  util::Result<std::uint64_t> value = os_random_u64();
  // create() drew randomness successfully; the kernel's pool cannot run dry afterwards.
  QPOW_ASSERT_MSG(value.is_ok(), "getrandom failed after it worked at startup");
  return *value;
}

void AsioEnv::send(node::PeerId peer, const net::Message& message) {
  Impl& impl = *impl_;
  const auto it = impl.connections.find(peer);
  if (it == impl.connections.end() || !it->second.connected) return;
  util::Bytes frame = net::encode_frame(impl.magic, message);
  const std::size_t frame_bytes = frame.size();
  const std::size_t queued = it->second.connection->queued_bytes();
  if (!it->second.connection->send(std::move(frame))) {
    impl.log.write(node::LogLevel::kWarning,
                   fmt::format("peer {}: {} bytes unsent and a {}-byte '{}' would pass the "
                               "limit of {}; disconnecting",
                               peer, queued, frame_bytes, net::command_name(message),
                               net::kSendQueueBytesMax));
    impl.close_peer(peer, "send queue full");
  }
}

node::PeerId AsioEnv::connect(const net::PeerAddress& address) {
  Impl& impl = *impl_;
  const node::PeerId id = impl.next_peer++;
  if (impl.closed) return id;  // nothing is delivered after close()
  if (impl.connections.size() >= impl.config.connections_max) {
    impl.log.write(
        node::LogLevel::kWarning,
        fmt::format("peer {}: not connecting, {} connections open", id, impl.connections.size()));
    // Posted: Env promises the node no synchronous callbacks.
    asio::post(impl.io, [&impl, id] {
      if (!impl.closed) impl.sink.on_connect_failed(id);
    });
    return id;
  }
  auto connection =
      std::make_shared<detail::Connection>(impl, id, tcp::socket(impl.io), address, impl.magic);
  impl.connections.emplace(id, Impl::Slot{.connection = connection, .connected = false});
  impl.debug(
      fmt::format("peer {}: connecting to {}", id, endpoint_text(detail::to_endpoint(address))));
  connection->connect(to_duration(impl.config.connect_timeout_ms));
  return id;
}

void AsioEnv::disconnect(node::PeerId peer) {
  impl_->close_peer(peer, "disconnected by the node");
}

void AsioEnv::set_timer(node::TimerId id, std::uint64_t delay_ms) {
  Impl& impl = *impl_;
  if (impl.closed) return;
  auto [it, inserted] = impl.timers.try_emplace(id, impl.io);
  QPOW_ASSERT_MSG(impl.timers.size() <= kTimersPendingMax, "too many timers pending");
  Impl::TimerSlot& slot = it->second;
  slot.generation = ++impl.timer_generation;
  // expires_after cancels a pending wait; its handler then sees operation_aborted, or, if the
  // old expiry was already queued, a stale generation.
  slot.timer.expires_after(to_duration(delay_ms));
  slot.timer.async_wait(
      [&impl, id, generation = slot.generation](const boost::system::error_code& ec) {
        if (!ec) impl.on_timer_expired(id, generation);
      });
}

void AsioEnv::submit_work(std::optional<mining::BlockTemplate> work) {
  Impl& impl = *impl_;
  if (impl.closed) return;
  impl.mining_active = work.has_value();
  impl.miner->submit(std::move(work));
}

double AsioEnv::hashes_per_second() const {
  return impl_->miner->hashes_per_second();
}

util::Executor& AsioEnv::executor() {
  return *impl_->pool;
}

void AsioEnv::request_shutdown() {
  Impl& impl = *impl_;
  asio::post(impl.io, [&impl] {
    if (impl.closed) return;
    if (impl.config.on_shutdown_request) {
      impl.config.on_shutdown_request();
    } else {
      impl.io.stop();
    }
  });
}

void AsioEnv::log(node::LogLevel level, std::string_view message) {
  impl_->log.write(level, message);
}

}  // namespace qpow::runtime
