// SimNetwork: many node::Node instances, each over its own in-memory store, driven by one
// discrete-event scheduler (DESIGN §2). Each node gets a SimEnv whose clock is virtual time, whose
// randomness is a fork of the run's seed, whose executor runs inline, and whose connections are
// simulated links. The node code is exactly what `qpow node` runs; only the environment differs.
//
// Links. A connection between nodes a and b has a one-way latency drawn once per node pair from a
// log-normal distribution (median, sigma, floor); a message leaves through its sender's uplink,
// which sends one message at a time at the node's bandwidth (a 1 MB block at 100 Mbit/s occupies
// it for 80 ms), then arrives one latency later. With probability `loss` a message is lost once
// and retransmitted after `retransmit_ms` (TCP's minimum RTO, RFC 6298 §2.4); a connection
// delivers in order, so later messages wait behind it. Messages travel as real frames
// (net::encode_frame) and are decoded by a net::FrameDecoder at the receiver, exactly as the
// runtime reads them off a socket; the frame's size is what the bandwidth and the byte counters
// charge.
//
// Connections. connect() reaches the node listening at the address after one round trip; it
// fails after a round trip when that node is down (a reset) and after connect_timeout_ms when a
// partition separates the two (packets vanish). Disconnects reach the far side after one latency.
//
// Faults. partition(groups) severs every connection between nodes of different groups (both ends
// see the disconnect) and makes connections across groups fail until heal(). crash(i) destroys
// node i without a clean shutdown (what survives is what its store had written, as after
// SIGKILL); restart(i, keep_state) creates it again over the same store or a fresh one. Clock
// skew shifts one node's now_ms().
//
// Hash power. A node with power p > 0 mines: while it has work, a block is found after an
// exponentially distributed time with rate h / W, where h is the node's hash rate (the network's
// total rate, set so that the genesis difficulty gives the target spacing, times p over the sum of
// all powers, times the node's boost) and W the expected hashes of the work's target. A found
// block then gets a real nonce: the linear nonce search runs over the template until qhash meets
// the target (the simulation chain's low difficulty keeps this to a few hundred hashes), so every
// block carries a real proof of work and every node validates it with the real code. New work
// (a new tip) redraws the time, which the exponential's memorylessness makes exact.
//
// Determinism: all choices come from the seed; events at equal times run in insertion order;
// maps iterate in key order. An event log (SHA3-256 over every delivery, connection, timer and
// found block) identifies a run: the same seed gives the same hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "consensus/chain_params.h"
#include "crypto/sha3.h"
#include "mining/nonce_search.h"
#include "net/frame.h"
#include "node/env.h"
#include "node/node.h"
#include "sim/recorder.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "storage/memory_store.h"
#include "util/executor.h"
#include "util/result.h"

namespace qpow::sim {

inline constexpr std::uint16_t kSimPort = 28633;
inline constexpr std::size_t kSimNodesMax = 5'000;

struct LinkModel {
  double latency_median_ms = 50;
  double latency_sigma = 0.5;  // shape of the log-normal (standard deviation of the logarithm)
  double latency_min_ms = 2;
  double bandwidth_mbps = 100;  // each node's uplink
  double loss = 0;              // probability that a message is lost once and retransmitted
  double retransmit_ms = 200;
  double connect_timeout_ms = 5'000;
};

// What a node does beyond the honest protocol (sim/adversary.h implements the behaviours).
class SimNetwork;
class NodeHooks {
 public:
  virtual ~NodeHooks() = default;
  // A message the node is sending; false drops it (the peer never sees it).
  virtual bool on_send(SimNetwork& net, std::size_t node, node::PeerId peer,
                       const net::Message& message) {
    (void)net, (void)node, (void)peer, (void)message;
    return true;
  }
  // A message arriving for the node; false drops it (the node never sees it).
  virtual bool on_receive(SimNetwork& net, std::size_t node, node::PeerId peer,
                          const net::Message& message) {
    (void)net, (void)node, (void)peer, (void)message;
    return true;
  }
  // A block the node's miner solved; true when the hook dealt with it (the node is not told).
  virtual bool on_block_solved(SimNetwork& net, std::size_t node, const primitives::Block& block) {
    (void)net, (void)node, (void)block;
    return false;
  }
};

struct SimNodeSpec {
  double power = 0;  // relative hash power; 0 does not mine
  double boost = 1;  // multiplies the node's hash rate (a Grover-boosted quantum miner)
  std::int64_t clock_skew_ms = 0;
  std::vector<std::size_t> connect_to;  // topology: the nodes this one opens links to
};

struct SimNetworkConfig {
  consensus::ChainParams params;
  std::uint64_t start_ms = 0;  // the virtual wall clock at time 0
  LinkModel link;
  node::NodeConfig node_config;  // the base; manual peers, mining and ports are set per node
  std::vector<SimNodeSpec> nodes;
  std::uint64_t seed = 0;
  bool log_to_stderr = false;  // node logs (debug aid)
};

class SimEnv;

class SimNetwork {
 public:
  // Creates and starts every node. Errors: too many nodes, a link to a node that does not exist,
  // a node that fails to open its chain.
  static util::Result<std::unique_ptr<SimNetwork>> create(SimNetworkConfig config);
  ~SimNetwork();
  SimNetwork(const SimNetwork&) = delete;
  SimNetwork& operator=(const SimNetwork&) = delete;

  Scheduler& scheduler() { return scheduler_; }
  Recorder& recorder() { return recorder_; }
  const Recorder& recorder() const { return recorder_; }
  const Scheduler& scheduler() const { return scheduler_; }
  Rng& rng() { return rng_; }
  const SimNetworkConfig& config() const { return config_; }
  std::size_t size() const { return slots_.size(); }
  std::uint64_t now_ms() const { return config_.start_ms + scheduler_.now_us() / 1000; }

  // The node, or null while it is crashed.
  node::Node* node(std::size_t i) { return slots_[i]->node.get(); }
  bool up(std::size_t i) const { return slots_[i]->node != nullptr; }
  const net::PeerAddress& address(std::size_t i) const { return slots_[i]->address; }
  const primitives::Address& miner_address(std::size_t i) const { return slots_[i]->miner; }
  // The node's hash rate in hashes per virtual second (0 when it does not mine).
  double hash_rate(std::size_t i) const { return slots_[i]->hash_rate; }
  double total_hash_rate() const { return total_hash_rate_; }
  void set_hooks(std::size_t i, std::shared_ptr<NodeHooks> hooks) {
    slots_[i]->hooks = std::move(hooks);
  }
  void set_mining_paused(std::size_t i, bool paused);

  // Faults.
  void partition(const std::vector<std::uint32_t>& group_of_node);
  void heal();
  bool partitioned() const { return partitioned_; }
  void crash(std::size_t i);
  util::Status restart(std::size_t i, bool keep_state);

  // Sends a message on node i's connection `peer` as if node i sent it (hooks are bypassed), or
  // raw bytes (garbage) on it.
  void inject(std::size_t i, node::PeerId peer, const net::Message& message);
  void inject_raw(std::size_t i, node::PeerId peer, util::Bytes bytes);
  // Node i's open connections: (its peer id, the node at the far end).
  std::vector<std::pair<node::PeerId, std::size_t>> connections_of(std::size_t i) const;

  // Runs until virtual time until_us (microseconds since the start).
  void run_until(std::uint64_t until_us) { scheduler_.run_until(until_us); }

  // SHA3-256 of the event log so far (the running hash is not disturbed).
  crypto::Hash256 event_log_hash() const;
  std::uint64_t events_logged() const { return events_logged_; }

  // ---- for SimEnv ----
  void env_send(std::size_t from, node::PeerId peer, const net::Message& message);
  node::PeerId env_connect(std::size_t from, const net::PeerAddress& address);
  void env_disconnect(std::size_t from, node::PeerId peer);
  void env_set_timer(std::size_t i, node::TimerId id, std::uint64_t delay_ms);
  void env_submit_work(std::size_t i, std::optional<mining::BlockTemplate> work);
  std::uint64_t env_now_ms(std::size_t i) const;

 private:
  struct Slot {
    std::size_t index = 0;
    SimNodeSpec spec;
    net::PeerAddress address{};
    primitives::Address miner{};
    std::unique_ptr<storage::MemoryStore> store;
    std::unique_ptr<SimEnv> env;
    std::unique_ptr<node::Node> node;
    std::shared_ptr<NodeHooks> hooks;
    std::uint32_t incarnation = 0;  // bumped by crash: events of an earlier life are dropped
    std::uint32_t group = 0;        // partition group
    double hash_rate = 0;
    std::optional<mining::BlockTemplate> work;
    std::uint64_t work_generation = 0;
    bool mining_paused = false;
    std::uint64_t uplink_free_us = 0;
    std::map<node::TimerId, std::uint64_t> timer_generation;
  };
  struct Connection {
    std::size_t a = 0, b = 0;  // a opened it
    node::PeerId id_a = 0, id_b = 0;
    std::uint64_t latency_us = 0;
    std::uint64_t last_arrival_to_a = 0, last_arrival_to_b = 0;
    std::unique_ptr<net::FrameDecoder> to_a, to_b;
    bool established = false;
    bool cancelled = false;  // the connect fails when its event comes
  };
  struct PeerRef {
    std::uint64_t connection = 0;
    bool side_a = true;
  };

  explicit SimNetwork(SimNetworkConfig config);
  util::Status start_node(Slot& slot);
  node::NodeConfig node_config_for(const Slot& slot) const;
  std::uint64_t pair_latency_us(std::size_t a, std::size_t b) const;
  void transmit(std::size_t from, node::PeerId peer, util::Bytes frame);
  void deliver(std::uint64_t connection, bool to_a, const util::Bytes& frame);
  void establish(std::uint64_t connection);
  void close_connection(std::uint64_t connection, std::optional<std::size_t> initiator);
  void schedule_mining(Slot& slot);
  void block_solved(std::size_t i, std::uint64_t generation);
  void after_node_event(std::size_t i);
  std::optional<std::size_t> node_at(const net::PeerAddress& address) const;
  void log_event(std::uint8_t kind, std::uint64_t a, std::uint64_t b, util::ByteSpan extra);

  SimNetworkConfig config_;
  Scheduler scheduler_;
  Rng rng_;
  Recorder recorder_;
  net::Magic magic_{};
  std::vector<std::unique_ptr<Slot>> slots_;
  std::map<net::PeerAddress, std::size_t> by_address_;
  std::map<std::uint64_t, Connection> connections_;
  std::unordered_map<node::PeerId, PeerRef> peers_;
  node::PeerId next_peer_id_ = 1;
  bool partitioned_ = false;
  double total_hash_rate_ = 0;
  std::unique_ptr<mining::NonceSearch> search_;
  util::InlineExecutor executor_;
  crypto::Sha3_256 log_hash_;
  std::uint64_t events_logged_ = 0;
  friend class SimEnv;
};

}  // namespace qpow::sim
