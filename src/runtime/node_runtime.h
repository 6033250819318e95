// NodeRuntime: a node::Node running on real I/O. It owns the chain database (RocksDB at
// config.chain_dir), the AsioEnv the node acts through, and the node, which it drives as the
// environment's EventSink: every event is forwarded to the node on the node thread.
//
// run() makes the calling thread the node thread: it starts the node, runs the event loop, and
// on SIGINT/SIGTERM, the node's own request_shutdown() (RPC "stop") or stop() shuts down in
// order: node.shutdown() (which persists the address book and disconnects peers), the miners
// stopped and joined, every socket closed, the node destroyed and the database closed. A
// NodeRuntime runs once.
//
// Other threads reach the node through node::NodeAccess::call, which runs a function on the node
// thread between events. The owner ends every use of call() and stop() from other threads
// before destroying the runtime.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node/env.h"
#include "node/node.h"
#include "node/node_access.h"
#include "primitives/network.h"
#include "runtime/asio_env.h"
#include "runtime/event_sink.h"
#include "storage/rocksdb_store.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::runtime {

struct RuntimeConfig {
  primitives::Network network = primitives::Network::kRegtest;
  std::string chain_dir{};                 // RocksDB directory
  std::optional<std::string> listen{};     // "host:port" to accept peers on; nullopt: none
  std::vector<std::string> connect{};      // "host:port" manual peers, resolved at create()
  node::NodeConfig node{};                 // listen_port, manual_peers filled in by create()
  std::size_t validation_threads = 0;      // executor threads; 0: one per core
  std::size_t mining_threads = 1;          // 0: one per core
  std::string mining_strategy = "linear";  // mining::make_search name
  node::LogLevel log_level = node::LogLevel::kInfo;
};

class NodeRuntime final : public node::NodeAccess, private EventSink {
  struct Private {
    explicit Private() = default;
  };

 public:
  // Resolves the listen and connect names (the network's default P2P port where none is given;
  // the first address of each, IPv4 preferred), opens the database, binds the listener and
  // creates the node. Errors: an empty chain_dir, a name that does not resolve, the database
  // (kIoError when another process has it open), the listener, Node::create's.
  static util::Result<std::unique_ptr<NodeRuntime>> create(RuntimeConfig config);

  explicit NodeRuntime(Private /*tag*/) {}
  ~NodeRuntime() override;
  NodeRuntime(const NodeRuntime&) = delete;
  NodeRuntime& operator=(const NodeRuntime&) = delete;

  // The bound P2P port, 0 without a listener.
  std::uint16_t p2p_port() const;

  // Runs the node on the calling thread until a signal, the node's request_shutdown, or stop(),
  // then shuts down as described above. OK after a clean shutdown; otherwise the first error of
  // the event loop or of node.shutdown(). Errors: kInvalidArgument when called a second time.
  util::Status run();
  // Asks run() to shut down and return. Thread-safe; before run() it makes run() shut down as
  // soon as it has started the node.
  void stop();

  // node::NodeAccess. Must not be called on the node thread (it would wait for itself).
  util::Status call(const std::function<void(node::Node&)>& fn, std::uint64_t timeout_ms) override;

 private:
  enum class Phase : std::uint8_t { kCreated, kRunning, kStopping, kStopped };
  struct CallTicket;

  void begin_shutdown();
  void run_call(CallTicket& ticket, const std::function<void(node::Node&)>& fn);

  // ---- EventSink: forwarded to the node ----
  void on_peer_connected(node::PeerId peer, node::Direction direction,
                         const net::PeerAddress& remote) override;
  void on_connect_failed(node::PeerId peer) override;
  void on_message(node::PeerId peer, const net::Message& message) override;
  void on_malformed(node::PeerId peer, const util::Status& error) override;
  void on_peer_disconnected(node::PeerId peer) override;
  void on_timer(node::TimerId timer) override;
  void on_block_found(const primitives::Block& block) override;

  // Destroyed in reverse: the node first (it refers to the environment and the store), then the
  // environment, then the database.
  std::unique_ptr<storage::RocksDbStore> store_;
  std::unique_ptr<AsioEnv> env_;
  std::unique_ptr<node::Node> node_;

  // Node-thread state.
  bool shutting_down_ = false;
  util::Status shutdown_status_;
  std::thread::id node_thread_;

  // Guards phase_ and every CallTicket's state; cv_ announces changes of either.
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  Phase phase_ = Phase::kCreated;
};

}  // namespace qpow::runtime
