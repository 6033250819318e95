#include "runtime/node_runtime.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "consensus/chain_params.h"
#include "net/frame.h"
#include "runtime/resolve.h"
#include "util/assert.h"

namespace qpow::runtime {
namespace {

// The first address of a name (resolve() lists IPv4 first).
util::Result<net::PeerAddress> resolve_one(const std::string& host_port,
                                           std::uint16_t default_port) {
  QPOW_ASSIGN_OR_RETURN(std::vector<net::PeerAddress> addresses, resolve(host_port, default_port));
  return addresses.front();
}

}  // namespace

// One call(): its progress, guarded by NodeRuntime::mutex_. The caller owns fn; the posted
// handler may touch fn only after moving kQueued -> kRunning, which a timed-out caller prevents by
// moving kQueued -> kCancelled first.
struct NodeRuntime::CallTicket {
  enum class State : std::uint8_t { kQueued, kRunning, kDone, kRefused, kCancelled };
  State state = State::kQueued;
};

util::Result<std::unique_ptr<NodeRuntime>> NodeRuntime::create(RuntimeConfig config) {
  if (config.chain_dir.empty()) {
    return util::Status::invalid_argument("runtime: no chain directory");
  }
  const consensus::ChainParams& params = consensus::chain_params(config.network);
  const std::uint16_t default_port = net::default_p2p_port(config.network);

  std::optional<net::PeerAddress> listen;
  if (config.listen) {
    QPOW_ASSIGN_OR_RETURN(listen, resolve_one(*config.listen, default_port));
  }
  config.node.manual_peers.clear();
  for (const std::string& name : config.connect) {
    QPOW_ASSIGN_OR_RETURN(const net::PeerAddress peer, resolve_one(name, default_port));
    config.node.manual_peers.push_back(peer);
  }

  auto runtime = std::make_unique<NodeRuntime>(Private{});
  QPOW_ASSIGN_OR_RETURN(runtime->store_,
                        storage::RocksDbStore::open(config.chain_dir, storage::RocksDbOptions{}));
  NodeRuntime* raw = runtime.get();
  AsioEnvConfig env_config{.network = config.network,
                           .listen = listen,
                           .executor_threads = config.validation_threads,
                           .mining_threads = config.mining_threads,
                           .mining_strategy = config.mining_strategy,
                           .log_level = config.log_level,
                           .connect_timeout_ms = kConnectTimeoutMs,
                           .connections_max = kConnectionsMax,
                           .on_shutdown_request = [raw] { raw->begin_shutdown(); }};
  QPOW_ASSIGN_OR_RETURN(runtime->env_, AsioEnv::create(std::move(env_config), *runtime));
  config.node.listen_port = runtime->env_->listen_port();
  QPOW_ASSIGN_OR_RETURN(runtime->node_, node::Node::create(*runtime->env_, *runtime->store_, params,
                                                           std::move(config.node)));
  return runtime;
}

NodeRuntime::~NodeRuntime() {
  // Without run() (or after it), nothing is running: close the environment before the node and
  // the store go, so no miner thread outlives them.
  if (env_) env_->close();
}

std::uint16_t NodeRuntime::p2p_port() const {
  return env_->listen_port();
}

util::Status NodeRuntime::run() {
  {
    const std::lock_guard lock(mutex_);
    if (phase_ != Phase::kCreated) return util::Status::invalid_argument("runtime: run() twice");
    phase_ = Phase::kRunning;
    node_thread_ = std::this_thread::get_id();
  }
  util::Status status = env_->watch_signals([this](int signal_number) {
    env_->log(node::LogLevel::kInfo, "signal " + std::to_string(signal_number) + ": shutting down");
    begin_shutdown();
  });
  if (status.is_ok()) {
    node_->start();
    status = env_->run();
  }
  // The loop ended: by begin_shutdown, or by an error before it ran.
  if (!shutting_down_) shutdown_status_ = node_->shutdown();
  env_->close();
  node_.reset();
  store_.reset();  // closes the database
  {
    const std::lock_guard lock(mutex_);
    phase_ = Phase::kStopped;
  }
  cv_.notify_all();
  if (!status.is_ok()) return status;
  return shutdown_status_;
}

void NodeRuntime::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (phase_ == Phase::kStopped) return;
  }
  env_->post([this] { begin_shutdown(); });
}

void NodeRuntime::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  {
    const std::lock_guard lock(mutex_);
    phase_ = Phase::kStopping;
  }
  cv_.notify_all();
  env_->log(node::LogLevel::kInfo, "shutting down");
  shutdown_status_ = node_->shutdown();
  env_->close();
  env_->stop();
}

util::Status NodeRuntime::call(const std::function<void(node::Node&)>& fn,
                               std::uint64_t timeout_ms) {
  auto ticket = std::make_shared<CallTicket>();
  {
    const std::lock_guard lock(mutex_);
    QPOW_ASSERT_MSG(phase_ != Phase::kRunning || node_thread_ != std::this_thread::get_id(),
                    "NodeAccess::call on the node thread would wait for itself");
    if (phase_ == Phase::kStopping || phase_ == Phase::kStopped) {
      return util::Status::unavailable("node: shutting down");
    }
  }
  env_->post([this, ticket, &fn] { run_call(*ticket, fn); });

  using State = CallTicket::State;
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(std::min(timeout_ms, kTimerDelayMaxMs));
  cv_.wait_until(lock, deadline, [&] {
    return ticket->state == State::kDone || ticket->state == State::kRefused ||
           (ticket->state == State::kQueued && phase_ == Phase::kStopped);
  });
  switch (ticket->state) {
    case State::kDone:
      return util::Status::ok();
    case State::kRefused:
      return util::Status::unavailable("node: shutting down");
    case State::kRunning:
      // Started in time: it runs to the end, however long that takes.
      cv_.wait(lock, [&] { return ticket->state == State::kDone; });
      return util::Status::ok();
    case State::kQueued:
      ticket->state = State::kCancelled;
      if (phase_ == Phase::kStopped) return util::Status::unavailable("node: stopped");
      return util::Status::timeout("node: busy; call not started within " +
                                   std::to_string(timeout_ms) + " ms");
    case State::kCancelled:
      break;
  }
  QPOW_UNREACHABLE();
}

void NodeRuntime::run_call(CallTicket& ticket, const std::function<void(node::Node&)>& fn) {
  using State = CallTicket::State;
  {
    const std::lock_guard lock(mutex_);
    if (ticket.state == State::kCancelled) return;  // the caller gave up; fn may be gone
    if (phase_ != Phase::kRunning || !node_) {
      ticket.state = State::kRefused;
      cv_.notify_all();
      return;
    }
    ticket.state = State::kRunning;
  }
  fn(*node_);
  {
    const std::lock_guard lock(mutex_);
    ticket.state = State::kDone;
  }
  cv_.notify_all();
}

void NodeRuntime::on_peer_connected(node::PeerId peer, node::Direction direction,
                                    const net::PeerAddress& remote) {
  if (node_) node_->on_peer_connected(peer, direction, remote);
}
void NodeRuntime::on_connect_failed(node::PeerId peer) {
  if (node_) node_->on_connect_failed(peer);
}
void NodeRuntime::on_message(node::PeerId peer, const net::Message& message) {
  if (node_) node_->on_message(peer, message);
}
void NodeRuntime::on_malformed(node::PeerId peer, const util::Status& error) {
  if (node_) node_->on_malformed(peer, error);
}
void NodeRuntime::on_peer_disconnected(node::PeerId peer) {
  if (node_) node_->on_peer_disconnected(peer);
}
void NodeRuntime::on_timer(node::TimerId timer) {
  if (node_) node_->on_timer(timer);
}
void NodeRuntime::on_block_found(const primitives::Block& block) {
  if (node_) node_->on_block_found(block);
}

}  // namespace qpow::runtime
