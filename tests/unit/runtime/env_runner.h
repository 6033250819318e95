// Test support for runtime::AsioEnv: a sink that records every event (with the time it arrived)
// and can react to it on the event thread, and a runner that keeps an AsioEnv's event loop
// going on its own thread, the way a node thread would.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "net/message.h"
#include "net/peer_address.h"
#include "runtime/asio_env.h"
#include "runtime/event_sink.h"

namespace qpow::runtime::test {

using namespace std::chrono_literals;

struct Event {
  enum class Kind {
    kConnected,
    kConnectFailed,
    kMessage,
    kMalformed,
    kDisconnected,
    kTimer,
    kBlock
  };
  Kind kind = Kind::kConnected;
  node::PeerId peer = 0;
  node::Direction direction = node::Direction::kInbound;
  net::PeerAddress remote{};
  std::optional<net::Message> message{};
  util::Status error{};
  node::TimerId timer = 0;
  std::optional<primitives::Block> block{};
  std::chrono::steady_clock::time_point at{};
};

class RecordingSink final : public EventSink {
 public:
  using Hook = std::function<void(const Event&)>;

  // Runs on the event thread after each event is recorded.
  void set_hook(Hook hook) {
    const std::lock_guard lock(mutex_);
    hook_ = std::move(hook);
  }

  std::vector<Event> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t count(Event::Kind kind) const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const Event& e : events_) n += e.kind == kind ? 1 : 0;
    return n;
  }
  std::size_t count(Event::Kind kind, node::PeerId peer) const {
    const std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const Event& e : events_) n += e.kind == kind && e.peer == peer ? 1 : 0;
    return n;
  }
  // The first event of `kind`, waiting up to `timeout` for it.
  std::optional<Event> first(Event::Kind kind, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    std::optional<Event> found;
    cv_.wait_for(lock, timeout, [&] {
      for (const Event& e : events_) {
        if (e.kind == kind) {
          found = e;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  // Waits up to `timeout` for pred(events) to hold.
  bool wait_for(const std::function<bool(const std::vector<Event>&)>& pred,
                std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return pred(events_); });
  }
  bool wait_count(Event::Kind kind, std::size_t n, std::chrono::milliseconds timeout = 10s) {
    return wait_for(
        [&](const std::vector<Event>& events) {
          std::size_t seen = 0;
          for (const Event& e : events) seen += e.kind == kind ? 1 : 0;
          return seen >= n;
        },
        timeout);
  }

  void on_peer_connected(node::PeerId peer, node::Direction direction,
                         const net::PeerAddress& remote) override {
    record(
        {.kind = Event::Kind::kConnected, .peer = peer, .direction = direction, .remote = remote});
  }
  void on_connect_failed(node::PeerId peer) override {
    record({.kind = Event::Kind::kConnectFailed, .peer = peer});
  }
  void on_message(node::PeerId peer, const net::Message& message) override {
    record({.kind = Event::Kind::kMessage, .peer = peer, .message = message});
  }
  void on_malformed(node::PeerId peer, const util::Status& error) override {
    record({.kind = Event::Kind::kMalformed, .peer = peer, .error = error});
  }
  void on_peer_disconnected(node::PeerId peer) override {
    record({.kind = Event::Kind::kDisconnected, .peer = peer});
  }
  void on_timer(node::TimerId timer) override {
    record({.kind = Event::Kind::kTimer, .timer = timer});
  }
  void on_block_found(const primitives::Block& block) override {
    record({.kind = Event::Kind::kBlock, .block = block});
  }

 private:
  void record(Event event) {
    event.at = std::chrono::steady_clock::now();
    Hook hook;
    {
      const std::lock_guard lock(mutex_);
      events_.push_back(event);
      hook = hook_;
    }
    cv_.notify_all();
    if (hook) hook(event);
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Event> events_;
  Hook hook_;
};

// A test configuration: regtest, quiet, small pools, listening on loopback if asked.
inline AsioEnvConfig test_config(bool listen) {
  AsioEnvConfig config{.network = primitives::Network::kRegtest,
                       .listen = std::nullopt,
                       .executor_threads = 1,
                       .mining_threads = 1,
                       .mining_strategy = "linear",
                       .log_level = node::LogLevel::kError,
                       .connect_timeout_ms = kConnectTimeoutMs,
                       .connections_max = kConnectionsMax,
                       .on_shutdown_request = {}};
  if (listen) config.listen = net::ipv4_address(127, 0, 0, 1, 0);
  return config;
}

// An AsioEnv whose event loop runs on its own thread for the runner's lifetime.
class EnvRunner {
 public:
  explicit EnvRunner(AsioEnvConfig config) {
    auto env = AsioEnv::create(std::move(config), sink);
    EXPECT_TRUE(env.is_ok()) << env.status().to_string();
    if (!env.is_ok()) return;
    env_ = std::move(env).value();
    thread_ = std::thread([this] {
      util::Status status = env_->run();
      const std::lock_guard lock(mutex_);
      run_status_ = std::move(status);
    });
  }
  ~EnvRunner() { finish(); }
  EnvRunner(const EnvRunner&) = delete;
  EnvRunner& operator=(const EnvRunner&) = delete;

  bool ok() const { return env_ != nullptr; }
  AsioEnv& env() { return *env_; }

  // Runs fn on the event thread and returns its result once it has run.
  template <class F>
  auto on_thread(F fn) -> decltype(fn()) {
    auto task = std::make_shared<std::packaged_task<decltype(fn())()>>(std::move(fn));
    auto result = task->get_future();
    env_->post([task] { (*task)(); });
    return result.get();
  }

  // Stops the loop, joins the thread and closes the environment (idempotent).
  void finish() {
    if (!env_) return;
    env_->stop();
    if (thread_.joinable()) thread_.join();
    env_->close();
  }
  // Waits for the loop to end by itself.
  bool join_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!loop_ended() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(5ms);
    }
    return loop_ended();
  }

  RecordingSink sink;

 private:
  bool loop_ended() {
    const std::lock_guard lock(mutex_);
    return run_status_.has_value();
  }

  std::unique_ptr<AsioEnv> env_;
  std::thread thread_;
  std::mutex mutex_;
  std::optional<util::Status> run_status_;
};

}  // namespace qpow::runtime::test
