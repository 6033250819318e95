// AsioEnv: node::Env on real I/O (DESIGN §2): TCP connections, timers, the system clock, OS
// randomness, a thread pool for parallel work, a mining thread, and a log on stderr. It delivers
// every outcome to an EventSink (node::Node through runtime::NodeRuntime, or a test's recorder).
//
// Threading: one Boost.Asio io_context that the owner runs on ONE thread, the event thread (the
// node thread), by calling run(). Every event reaches the sink on that thread, and every Env
// method must be called on it too, except where a method says it is thread-safe. Other threads
// reach the event thread through post(). Boost.Asio stays inside the .cpp files (pimpl).
//
// Connections: ids count up from 1 and are never reused within one AsioEnv, inbound and outbound
// alike. For every on_peer_connected exactly one on_peer_disconnected follows, whoever closes the
// connection; for every connect() exactly one of on_peer_connected and on_connect_failed. Once an
// id is dead, send() and disconnect() on it do nothing. A stream that fails to decode is reported
// once through on_malformed and no longer read; the node is expected to disconnect the peer, and
// the environment closes it itself kMalformedCloseGraceMs later if the node has not. A peer whose
// unsent frames would pass net::kSendQueueBytesMax is disconnected. At most
// config.connections_max (kConnectionsMax) connections exist at once; further inbound ones are
// closed on accept, and further connect() calls fail.
//
// Mining (MinerThread): submit_work replaces the miners' work; a block found is delivered with
// on_block_found unless mining was stopped (submit_work(nullopt)) before it reached the event
// thread. After close() no event of any kind is delivered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mining/block_miner.h"
#include "net/message.h"
#include "net/peer_address.h"
#include "node/env.h"
#include "primitives/network.h"
#include "runtime/event_sink.h"
#include "util/executor.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::runtime {

// How long an outbound connection may take to open.
inline constexpr std::uint64_t kConnectTimeoutMs = 5000;
// How long a peer whose stream failed to decode stays open for the node to disconnect it.
inline constexpr std::uint64_t kMalformedCloseGraceMs = 1000;
// Most connections (inbound, outbound and pending) open at once; far above the node's peer
// limits, it bounds what a flood of inbound connections can take before the node sees them.
inline constexpr std::size_t kConnectionsMax = 1024;
// Pause after a failed accept (e.g. out of file descriptors) before accepting again.
inline constexpr std::uint64_t kAcceptRetryDelayMs = 100;
// Most timers pending at once. The node arms a handful per peer; more is a bug in the node.
inline constexpr std::size_t kTimersPendingMax = 65536;
// Longest timer delay; longer requests are shortened to it (the clock type cannot hold any u64).
inline constexpr std::uint64_t kTimerDelayMaxMs = 365ull * 24 * 60 * 60 * 1000;

struct AsioEnvConfig {
  primitives::Network network = primitives::Network::kRegtest;  // picks the frames' magic
  // Where to accept peers (port 0: any free port, see listen_port()); nullopt: no listener.
  std::optional<net::PeerAddress> listen{};
  std::size_t executor_threads = 0;        // executor() pool size; 0: one per hardware thread
  std::size_t mining_threads = 1;          // mining pool size; 0: one per hardware thread
  std::string mining_strategy = "linear";  // mining::make_search name
  node::LogLevel log_level = node::LogLevel::kInfo;
  std::uint64_t connect_timeout_ms = kConnectTimeoutMs;
  std::size_t connections_max = kConnectionsMax;  // lowered by tests to reach the bound
  // Called on the event thread when the node asks to shut down (Env::request_shutdown). Empty:
  // stop() is called instead.
  std::function<void()> on_shutdown_request{};
};

class AsioEnv final : public node::Env {
 public:
  struct Impl;

  // Builds the environment and, if configured, binds and starts listening (so listen_port() is
  // known at once; connections are accepted once run() runs). `sink` must outlive the AsioEnv.
  // Errors: the address cannot be bound (kIoError, naming it), an unknown mining strategy or a
  // thread count out of range (from MinerThread and ThreadPool), no OS randomness.
  static util::Result<std::unique_ptr<AsioEnv>> create(AsioEnvConfig config, EventSink& sink);

  explicit AsioEnv(std::unique_ptr<Impl> impl);
  // Stops the miners and closes everything (close()). Must not run while run() does.
  ~AsioEnv() override;
  AsioEnv(const AsioEnv&) = delete;
  AsioEnv& operator=(const AsioEnv&) = delete;

  // The bound listening port, 0 without a listener.
  std::uint16_t listen_port() const;

  // Runs the event loop on the calling thread (which becomes the event thread) until stop().
  // An exception escaping a handler (a bug) ends the loop and comes back as kInternal.
  util::Status run();
  // Makes run() return soon; pending events stay undelivered. Thread-safe. Before run(): run()
  // returns at once.
  void stop();
  // Runs fn on the event thread, as its own event. Thread-safe.
  void post(std::function<void()> fn);
  // Stops and joins the miners, closes the listener, every connection and timer and the signal
  // watch; afterwards nothing is delivered to the sink. On the event thread, or after run()
  // returned. Idempotent.
  void close();
  // Calls on_signal(signal number) on the event thread at the first SIGINT or SIGTERM.
  // Errors: the signal handlers cannot be installed.
  util::Status watch_signals(std::function<void(int)> on_signal);

  // ---- node::Env ----
  std::uint64_t now_ms() override;
  std::uint64_t random() override;
  void send(node::PeerId peer, const net::Message& message) override;
  node::PeerId connect(const net::PeerAddress& address) override;
  void disconnect(node::PeerId peer) override;
  void set_timer(node::TimerId id, std::uint64_t delay_ms) override;
  void submit_work(std::optional<mining::BlockTemplate> work) override;
  // Thread-safe.
  double hashes_per_second() const override;
  util::Executor& executor() override;
  // Posts config.on_shutdown_request to the event thread. Thread-safe.
  void request_shutdown() override;
  // Thread-safe.
  void log(node::LogLevel level, std::string_view message) override;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace qpow::runtime
