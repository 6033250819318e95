#include "sim/sim_network.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "consensus/compact_target.h"
#include "primitives/block.h"

namespace qpow::sim {

// Event-log record kinds.
enum : std::uint8_t {
  kLogDeliver = 1,
  kLogConnect = 2,
  kLogConnectFailed = 3,
  kLogDisconnect = 4,
  kLogTimer = 5,
  kLogBlockSolved = 6,
  kLogCrash = 7,
  kLogRestart = 8,
  kLogPartition = 9,
};

class SimEnv final : public node::Env {
 public:
  SimEnv(SimNetwork& net, std::size_t index, Rng rng) : net_(net), index_(index), rng_(rng) {}

  std::uint64_t now_ms() override { return net_.env_now_ms(index_); }
  std::uint64_t random() override { return rng_.next(); }
  void send(node::PeerId peer, const net::Message& message) override {
    net_.env_send(index_, peer, message);
  }
  node::PeerId connect(const net::PeerAddress& address) override {
    return net_.env_connect(index_, address);
  }
  void disconnect(node::PeerId peer) override { net_.env_disconnect(index_, peer); }
  void set_timer(node::TimerId id, std::uint64_t delay_ms) override {
    net_.env_set_timer(index_, id, delay_ms);
  }
  void submit_work(std::optional<mining::BlockTemplate> work) override {
    net_.env_submit_work(index_, std::move(work));
  }
  double hashes_per_second() const override { return net_.hash_rate(index_); }
  util::Executor& executor() override { return executor_; }
  void request_shutdown() override {}
  void log(node::LogLevel level, std::string_view message) override {
    if (!net_.config().log_to_stderr || level == node::LogLevel::kDebug) return;
    std::fprintf(stderr, "[%.3f node %zu] %.*s\n",
                 static_cast<double>(net_.scheduler().now_us()) / 1e6, index_,
                 static_cast<int>(message.size()), message.data());
  }

 private:
  SimNetwork& net_;
  std::size_t index_;
  Rng rng_;
  util::InlineExecutor executor_;
};

namespace {

// Expected hashes to meet `target`: one block's chain work at that target, as a double.
double expected_hashes(const util::Uint256& target) {
  const util::Uint256 work = consensus::chain_work(target);
  double value = 0;
  for (int i = 3; i >= 0; --i)
    value = value * 18446744073709551616.0 + static_cast<double>(work.limb(i));
  return value;
}

net::PeerAddress sim_address(std::size_t i) {
  const std::size_t v = i + 1;
  return net::ipv4_address(10, static_cast<std::uint8_t>(v >> 16),
                           static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v),
                           kSimPort);
}

primitives::Address sim_miner_address(std::size_t i) {
  const std::string tag = fmt::format("qpow/sim/miner/{}", i);
  const crypto::Hash256 h = crypto::Sha3_256::hash(util::as_bytes(tag));
  return primitives::Address::from_bytes(h);
}

}  // namespace

SimNetwork::SimNetwork(SimNetworkConfig config)
    : config_(std::move(config)),
      rng_(config_.seed),
      magic_(net::network_magic(config_.params.network)) {}

SimNetwork::~SimNetwork() = default;

util::Result<std::unique_ptr<SimNetwork>> SimNetwork::create(SimNetworkConfig config) {
  if (config.nodes.size() > kSimNodesMax) {
    return util::Status::out_of_range(
        fmt::format("simulation: {} nodes, at most {}", config.nodes.size(), kSimNodesMax));
  }
  for (std::size_t i = 0; i < config.nodes.size(); ++i) {
    for (std::size_t to : config.nodes[i].connect_to) {
      if (to >= config.nodes.size() || to == i) {
        return util::Status::invalid_argument(
            fmt::format("simulation: node {} links to node {} of {}", i, to, config.nodes.size()));
      }
    }
  }
  std::unique_ptr<SimNetwork> net(new SimNetwork(std::move(config)));
  SimNetwork& n = *net;
  n.search_ = mining::make_linear_search();
  n.recorder_.reset(n.config_.nodes.size());
  auto genesis_target = consensus::target_from_bits(n.config_.params.genesis_bits);
  if (!genesis_target.is_ok()) return genesis_target.status();
  // The network's hash rate that finds a block per target spacing at the genesis difficulty.
  const double network_rate =
      expected_hashes(*genesis_target) / static_cast<double>(n.config_.params.target_spacing_s);
  double power_sum = 0;
  for (const SimNodeSpec& spec : n.config_.nodes) power_sum += std::max(0.0, spec.power);
  for (std::size_t i = 0; i < n.config_.nodes.size(); ++i) {
    auto slot = std::make_unique<Slot>();
    slot->index = i;
    slot->spec = n.config_.nodes[i];
    slot->address = sim_address(i);
    slot->miner = sim_miner_address(i);
    slot->store = std::make_unique<storage::MemoryStore>();
    slot->env = std::make_unique<SimEnv>(n, i, n.rng_.fork(0x1000 + i));
    if (power_sum > 0 && slot->spec.power > 0) {
      slot->hash_rate = network_rate * slot->spec.power / power_sum * slot->spec.boost;
    }
    n.total_hash_rate_ += slot->hash_rate;
    n.by_address_.emplace(slot->address, i);
    n.slots_.push_back(std::move(slot));
  }
  for (auto& slot : n.slots_) QPOW_RETURN_IF_ERROR(n.start_node(*slot));
  return net;
}

node::NodeConfig SimNetwork::node_config_for(const Slot& slot) const {
  node::NodeConfig c = config_.node_config;
  c.listen_port = kSimPort;
  c.manual_peers.clear();
  for (std::size_t to : slot.spec.connect_to) c.manual_peers.push_back(slots_[to]->address);
  c.mine = slot.hash_rate > 0;
  c.miner_address = slot.miner;
  return c;
}

util::Status SimNetwork::start_node(Slot& slot) {
  auto created = node::Node::create(*slot.env, *slot.store, config_.params, node_config_for(slot));
  if (!created.is_ok()) {
    return util::Status::error(
        created.status().code(),
        fmt::format("simulation: node {}: {}", slot.index, created.status().message()));
  }
  slot.node = std::move(created).value();
  slot.node->start();
  after_node_event(slot.index);
  return util::Status::ok();
}

std::uint64_t SimNetwork::env_now_ms(std::size_t i) const {
  const auto base = static_cast<std::int64_t>(now_ms());
  return static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, base + slots_[i]->spec.clock_skew_ms));
}

void SimNetwork::log_event(std::uint8_t kind, std::uint64_t a, std::uint64_t b,
                           util::ByteSpan extra) {
  std::uint8_t record[25];
  record[0] = kind;
  util::store_le64(record + 1, scheduler_.now_us());
  util::store_le64(record + 9, a);
  util::store_le64(record + 17, b);
  log_hash_.absorb(record);
  if (!extra.empty()) log_hash_.absorb(extra);
  ++events_logged_;
}

crypto::Hash256 SimNetwork::event_log_hash() const {
  crypto::Sha3_256 copy = log_hash_;
  return copy.finalize();
}

void SimNetwork::after_node_event(std::size_t i) {
  Slot& slot = *slots_[i];
  if (slot.node) recorder_.check_tip(i, slot.node->chainstate(), scheduler_.now_us());
}

std::optional<std::size_t> SimNetwork::node_at(const net::PeerAddress& address) const {
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t SimNetwork::pair_latency_us(std::size_t a, std::size_t b) const {
  // Drawn from a stream of its own per node pair, so the latency of a pair does not depend on
  // the order in which connections happen.
  Rng pair_rng = rng_.fork((static_cast<std::uint64_t>(std::min(a, b)) << 32) | std::max(a, b));
  const LinkModel& m = config_.link;
  const double ms =
      std::max(m.latency_min_ms, pair_rng.lognormal(m.latency_median_ms, m.latency_sigma));
  return static_cast<std::uint64_t>(ms * 1000.0);
}

// ---- timers ----

void SimNetwork::env_set_timer(std::size_t i, node::TimerId id, std::uint64_t delay_ms) {
  Slot& slot = *slots_[i];
  const std::uint64_t generation = ++slot.timer_generation[id];
  const std::uint32_t incarnation = slot.incarnation;
  scheduler_.after(delay_ms * 1000, [this, i, id, generation, incarnation] {
    Slot& s = *slots_[i];
    if (!s.node || s.incarnation != incarnation || s.timer_generation[id] != generation) return;
    log_event(kLogTimer, i, id, {});
    s.node->on_timer(id);
    after_node_event(i);
  });
}

// ---- connections ----

node::PeerId SimNetwork::env_connect(std::size_t from, const net::PeerAddress& address) {
  const node::PeerId id = next_peer_id_++;
  const std::optional<std::size_t> target = node_at(address);
  // An address no simulated node listens at fails after one round trip of the median latency.
  const std::uint64_t rtt =
      2 * (target ? pair_latency_us(from, *target)
                  : static_cast<std::uint64_t>(config_.link.latency_median_ms * 1000));
  Connection c;
  c.a = from;
  c.id_a = id;
  c.b = target.value_or(from);
  c.cancelled = !target || *target == from;
  c.latency_us = rtt / 2;
  connections_.emplace(id, std::move(c));
  peers_[id] = {.connection = id, .side_a = true};
  const bool crosses = target && slots_[*target]->group != slots_[from]->group;
  const std::uint64_t delay =
      crosses ? static_cast<std::uint64_t>(config_.link.connect_timeout_ms * 1000) : rtt;
  const std::uint32_t incarnation = slots_[from]->incarnation;
  scheduler_.after(delay, [this, id, from, incarnation] {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    Connection& conn = it->second;
    Slot& a = *slots_[from];
    const bool ok = a.incarnation == incarnation && a.node && !conn.cancelled &&
                    slots_[conn.b]->node && slots_[conn.b]->group == a.group;
    if (!ok) {
      connections_.erase(it);
      peers_.erase(id);
      if (a.node && a.incarnation == incarnation) {
        log_event(kLogConnectFailed, from, id, {});
        a.node->on_connect_failed(id);
        after_node_event(from);
      }
      return;
    }
    establish(id);
  });
  return id;
}

void SimNetwork::establish(std::uint64_t id) {
  Connection& conn = connections_.at(id);
  conn.id_b = next_peer_id_++;
  conn.established = true;
  conn.to_a = std::make_unique<net::FrameDecoder>(magic_);
  conn.to_b = std::make_unique<net::FrameDecoder>(magic_);
  peers_[conn.id_b] = {.connection = id, .side_a = false};
  log_event(kLogConnect, conn.a, conn.b, {});
  const std::size_t a = conn.a, b = conn.b;
  const node::PeerId id_b = conn.id_b;
  net::PeerAddress ephemeral = slots_[a]->address;
  ephemeral.port = static_cast<std::uint16_t>(40000 + id % 20000);
  slots_[a]->node->on_peer_connected(id, node::Direction::kOutbound, slots_[b]->address);
  after_node_event(a);
  if (slots_[b]->node && connections_.contains(id)) {
    slots_[b]->node->on_peer_connected(id_b, node::Direction::kInbound, ephemeral);
    after_node_event(b);
  }
}

void SimNetwork::env_disconnect(std::size_t from, node::PeerId peer) {
  auto ref = peers_.find(peer);
  if (ref == peers_.end()) return;
  const std::uint64_t id = ref->second.connection;
  Connection& conn = connections_.at(id);
  if (!conn.established) {
    // Still connecting: the connect event reports the failure.
    conn.cancelled = true;
    return;
  }
  close_connection(id, from);
}

// Removes the connection now; each live end hears of it: the closing end at once, the other
// after one latency. Pending deliveries find the connection gone and are dropped.
void SimNetwork::close_connection(std::uint64_t id, std::optional<std::size_t> initiator) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection conn = std::move(it->second);
  connections_.erase(it);
  peers_.erase(conn.id_a);
  peers_.erase(conn.id_b);
  log_event(kLogDisconnect, conn.a, conn.b, {});
  auto notify = [this](std::size_t i, node::PeerId pid, std::uint64_t delay) {
    const std::uint32_t incarnation = slots_[i]->incarnation;
    scheduler_.after(delay, [this, i, pid, incarnation] {
      Slot& s = *slots_[i];
      if (!s.node || s.incarnation != incarnation) return;
      s.node->on_peer_disconnected(pid);
      after_node_event(i);
    });
  };
  notify(conn.a, conn.id_a, initiator == conn.a ? 0 : conn.latency_us);
  notify(conn.b, conn.id_b, initiator == conn.b ? 0 : conn.latency_us);
}

std::vector<std::pair<node::PeerId, std::size_t>> SimNetwork::connections_of(std::size_t i) const {
  std::vector<std::pair<node::PeerId, std::size_t>> out;
  for (const auto& [id, conn] : connections_) {
    if (!conn.established) continue;
    if (conn.a == i) out.emplace_back(conn.id_a, conn.b);
    if (conn.b == i) out.emplace_back(conn.id_b, conn.a);
  }
  return out;
}

// ---- messages ----

void SimNetwork::env_send(std::size_t from, node::PeerId peer, const net::Message& message) {
  Slot& slot = *slots_[from];
  if (slot.hooks && !slot.hooks->on_send(*this, from, peer, message)) return;
  inject(from, peer, message);
}

void SimNetwork::inject(std::size_t i, node::PeerId peer, const net::Message& message) {
  if (!peers_.contains(peer)) return;
  util::Bytes frame = net::encode_frame(magic_, message);
  recorder_.message_sent(i, std::string(net::command_name(message)), frame.size());
  transmit(i, peer, std::move(frame));
}

void SimNetwork::inject_raw(std::size_t i, node::PeerId peer, util::Bytes bytes) {
  if (!peers_.contains(peer)) return;
  recorder_.message_sent(i, "(raw)", bytes.size());
  transmit(i, peer, std::move(bytes));
}

void SimNetwork::transmit(std::size_t from, node::PeerId peer, util::Bytes frame) {
  const PeerRef ref = peers_.at(peer);
  Connection& conn = connections_.at(ref.connection);
  if (!conn.established) return;
  Slot& slot = *slots_[from];
  const std::uint64_t now = scheduler_.now_us();
  const std::uint64_t start = std::max(now, slot.uplink_free_us);
  const auto send_us = static_cast<std::uint64_t>(static_cast<double>(frame.size()) * 8.0 /
                                                  config_.link.bandwidth_mbps);
  slot.uplink_free_us = start + send_us;
  std::uint64_t arrival = start + send_us + conn.latency_us;
  if (config_.link.loss > 0 && rng_.chance(config_.link.loss)) {
    arrival += static_cast<std::uint64_t>(config_.link.retransmit_ms * 1000);
  }
  const bool to_a = !ref.side_a;
  std::uint64_t& last = to_a ? conn.last_arrival_to_a : conn.last_arrival_to_b;
  arrival = std::max(arrival, last);
  last = arrival;
  scheduler_.at(arrival, [this, id = ref.connection, to_a, frame = std::move(frame)] {
    deliver(id, to_a, frame);
  });
}

void SimNetwork::deliver(std::uint64_t id, bool to_a, const util::Bytes& frame) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& conn = it->second;
  const std::size_t to = to_a ? conn.a : conn.b;
  const node::PeerId pid = to_a ? conn.id_a : conn.id_b;
  net::FrameDecoder& decoder = to_a ? *conn.to_a : *conn.to_b;
  Slot& slot = *slots_[to];
  if (!slot.node) return;
  // The frame's checksum field (bytes 20..24) stands for its content in the log.
  const util::ByteSpan digest = frame.size() >= net::kFrameHeaderBytes
                                    ? util::ByteSpan(frame).subspan(20, 4)
                                    : util::ByteSpan(frame);
  log_event(kLogDeliver, to, pid, digest);
  recorder_.message_received(to, frame.size());
  if (util::Status fed = decoder.feed(frame); !fed.is_ok()) {
    slot.node->on_malformed(pid, fed);
    return after_node_event(to);
  }
  while (auto next = decoder.next()) {
    if (!next->is_ok()) {
      slot.node->on_malformed(pid, next->status());
      break;
    }
    if (slot.hooks && !slot.hooks->on_receive(*this, to, pid, **next)) continue;
    slot.node->on_message(pid, **next);
    // The node may have closed this connection while handling the message.
    if (!connections_.contains(id)) break;
  }
  after_node_event(to);
}

// ---- faults ----

void SimNetwork::partition(const std::vector<std::uint32_t>& group_of_node) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    slots_[i]->group = i < group_of_node.size() ? group_of_node[i] : 0;
  }
  partitioned_ = true;
  log_event(kLogPartition, 1, 0, {});
  std::vector<std::uint64_t> cut;
  for (const auto& [id, conn] : connections_) {
    if (conn.established && slots_[conn.a]->group != slots_[conn.b]->group) cut.push_back(id);
  }
  for (std::uint64_t id : cut) close_connection(id, std::nullopt);
}

void SimNetwork::heal() {
  for (auto& slot : slots_) slot->group = 0;
  partitioned_ = false;
  log_event(kLogPartition, 0, 0, {});
}

void SimNetwork::crash(std::size_t i) {
  Slot& slot = *slots_[i];
  if (!slot.node) return;
  log_event(kLogCrash, i, 0, {});
  std::vector<std::uint64_t> mine;
  for (const auto& [id, conn] : connections_) {
    if (conn.a == i || conn.b == i) mine.push_back(id);
  }
  ++slot.incarnation;  // before closing: the crashed node hears nothing more
  for (std::uint64_t id : mine) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    if (!it->second.established) {
      peers_.erase(it->second.id_a);
      connections_.erase(it);
      continue;
    }
    close_connection(id, std::nullopt);
  }
  slot.node.reset();
  slot.work.reset();
  ++slot.work_generation;
  slot.timer_generation.clear();
  slot.uplink_free_us = 0;
  recorder_.forget_tip(i);
}

util::Status SimNetwork::restart(std::size_t i, bool keep_state) {
  Slot& slot = *slots_[i];
  if (slot.node) crash(i);
  if (!keep_state) slot.store = std::make_unique<storage::MemoryStore>();
  log_event(kLogRestart, i, keep_state ? 1 : 0, {});
  return start_node(slot);
}

// ---- mining ----

void SimNetwork::set_mining_paused(std::size_t i, bool paused) {
  Slot& slot = *slots_[i];
  slot.mining_paused = paused;
  ++slot.work_generation;
  if (!paused) schedule_mining(slot);
}

void SimNetwork::env_submit_work(std::size_t i, std::optional<mining::BlockTemplate> work) {
  Slot& slot = *slots_[i];
  slot.work = std::move(work);
  ++slot.work_generation;
  schedule_mining(slot);
}

void SimNetwork::schedule_mining(Slot& slot) {
  if (!slot.work || slot.mining_paused || slot.hash_rate <= 0) return;
  const double rate = slot.hash_rate / expected_hashes(slot.work->target);
  const double delay_s = rng_.exponential(rate);
  const auto delay_us = static_cast<std::uint64_t>(std::min(delay_s, 1e12) * 1e6);
  const std::size_t i = slot.index;
  const std::uint64_t generation = slot.work_generation;
  scheduler_.after(delay_us, [this, i, generation] { block_solved(i, generation); });
}

void SimNetwork::block_solved(std::size_t i, std::uint64_t generation) {
  Slot& slot = *slots_[i];
  if (!slot.node || !slot.work || slot.work_generation != generation || slot.mining_paused) return;
  mining::BlockTemplate work = *slot.work;
  // The block's time is when it was found (a real miner rolls its timestamp while it searches).
  work.block.header.time = std::max<std::uint64_t>(work.block.header.time, env_now_ms(i) / 1000);
  mining::StopSignal stop;
  mining::SearchCounters counters;
  mining::MineOutcome outcome = mining::mine_block(work, *search_, 1, executor_, stop, counters);
  if (!outcome.block) return;  // cannot happen: the full nonce range is searched with rolling
  const primitives::Block& block = *outcome.block;
  log_event(kLogBlockSolved, i, block.header.height, primitives::block_hash(block.header));
  recorder_.block_found(i, block, scheduler_.now_us());
  // The search goes on over a rolled header (a fresh nonce space) unless the node hands over new
  // work, which it does when the block becomes its tip.
  const std::uint64_t before = ++slot.work_generation;
  slot.work->roll_extra();
  if (!slot.hooks || !slot.hooks->on_block_solved(*this, i, block))
    slot.node->on_block_found(block);
  after_node_event(i);
  if (slot.node && slot.work_generation == before) schedule_mining(slot);
}

}  // namespace qpow::sim
