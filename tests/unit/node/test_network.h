// A scripted, in-process network for node tests: every node gets a TestEnv whose clock is the
// network's virtual clock, whose connections are pairs of ids routed by the network, and whose
// executor runs inline. Messages go through the real frame encoding and decoding, so what a node
// sends is exactly what a peer would read off a socket. pump() delivers until nothing is left;
// advance(ms) moves the clock and fires timers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/chain_params.h"
#include "net/frame.h"
#include "node/env.h"
#include "node/node.h"
#include "storage/memory_store.h"
#include "util/executor.h"
#include "util/splitmix64.h"

namespace qpow::test {

class TestNetwork;

class TestEnv final : public node::Env {
 public:
  TestEnv(TestNetwork& network, std::size_t index) : network_(network), index_(index) {}
  std::uint64_t now_ms() override;
  std::uint64_t random() override {
    return util::splitmix64_next(state_);  // deterministic per node
  }
  void send(node::PeerId peer, const net::Message& message) override;
  node::PeerId connect(const net::PeerAddress& address) override;
  void disconnect(node::PeerId peer) override;
  void set_timer(node::TimerId id, std::uint64_t delay_ms) override;
  void submit_work(std::optional<mining::BlockTemplate> work) override { work_ = std::move(work); }
  double hashes_per_second() const override { return 0; }
  util::Executor& executor() override { return executor_; }
  void request_shutdown() override { shutdown_requested_ = true; }
  void log(node::LogLevel, std::string_view message) override {
    if (std::getenv("QPOW_TEST_LOG") != nullptr) {
      fprintf(stderr, "[node %zu] %.*s\n", index_, static_cast<int>(message.size()),
              message.data());
    }
  }

  std::optional<mining::BlockTemplate> work_;
  bool shutdown_requested_ = false;
  std::map<node::TimerId, std::uint64_t> timers_;  // id -> due time
  std::uint64_t state_ = 0;

 private:
  TestNetwork& network_;
  std::size_t index_;
  util::InlineExecutor executor_;
};

// One endpoint of a connection: which node, and its id for the connection there.
struct Endpoint {
  std::size_t node = 0;
  node::PeerId id = 0;
};

class TestNetwork {
 public:
  const consensus::ChainParams& params = consensus::chain_params(primitives::Network::kRegtest);
  std::uint64_t clock_ms = (params.genesis_time + 3600) * 1000;

  // Adds a node listening at 10.<index>.0.1:port (distinct network groups).
  node::Node& add_node(node::NodeConfig config = {}) {
    const std::size_t index = slots_.size();
    auto slot = std::make_unique<Slot>();
    slot->env = std::make_unique<TestEnv>(*this, index);
    slot->env->state_ = 1000 + index;
    slot->address = net::ipv4_address(10, static_cast<std::uint8_t>(index + 1), 0, 1, 28633);
    config.listen_port = 28633;
    auto n = node::Node::create(*slot->env, slot->store, params, config);
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    slot->node = std::move(n).value();
    slots_.push_back(std::move(slot));
    slots_.back()->node->start();
    return *slots_.back()->node;
  }
  // Restarts node i over the same store (after shutdown).
  node::Node& restart(std::size_t i, node::NodeConfig config = {}) {
    Slot& s = *slots_[i];
    EXPECT_TRUE(s.node->shutdown().is_ok());
    pump();
    s.node.reset();
    config.listen_port = 28633;
    auto n = node::Node::create(*s.env, s.store, params, config);
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    s.node = std::move(n).value();
    s.node->start();
    return *s.node;
  }
  node::Node& node(std::size_t i) { return *slots_[i]->node; }
  TestEnv& env(std::size_t i) { return *slots_[i]->env; }
  const net::PeerAddress& address(std::size_t i) const { return slots_[i]->address; }
  std::size_t size() const { return slots_.size(); }

  // Refuse connections to node i (it is "down" or partitioned away).
  void set_reachable(std::size_t i, bool reachable) { slots_[i]->reachable = reachable; }

  // Delivers queued events until none is left (bounded, so a livelock fails the test).
  void pump(std::size_t steps_max = 1'000'000) {
    for (std::size_t step = 0; !events_.empty(); ++step) {
      ASSERT_LT(step, steps_max) << "the network did not settle";
      auto event = std::move(events_.front());
      events_.pop_front();
      event();
    }
  }
  // Moves the clock forward in ticks of at most step_ms, firing due timers and pumping.
  void advance(std::uint64_t ms, std::uint64_t step_ms = 250) {
    const std::uint64_t end = clock_ms + ms;
    while (clock_ms < end) {
      clock_ms = std::min(end, clock_ms + step_ms);
      for (std::size_t i = 0; i < slots_.size(); ++i) fire_timers(i);
      pump();
    }
  }

  // Routing, called by TestEnv.
  void route_send(std::size_t from, node::PeerId id, const net::Message& message);
  node::PeerId route_connect(std::size_t from, const net::PeerAddress& address);
  void route_disconnect(std::size_t from, node::PeerId id);
  node::PeerId next_id() { return next_id_++; }

  // A raw connection to node `to` not backed by a node: bytes go straight into its decoder.
  // Returns the id the node knows the connection by.
  node::PeerId open_raw(std::size_t to, const net::PeerAddress& from_address);
  void send_raw(std::size_t to, node::PeerId id, const util::Bytes& bytes);
  // What the node sent on raw connections (decoded).
  std::vector<net::Message> raw_received;
  bool raw_closed = false;

 private:
  struct Slot {
    std::unique_ptr<TestEnv> env;
    storage::MemoryStore store;
    std::unique_ptr<node::Node> node;
    net::PeerAddress address{};
    bool reachable = true;
  };
  struct Link {
    Endpoint a, b;  // a is the side that connected
    std::unique_ptr<net::FrameDecoder> to_a, to_b;
    bool raw = false;  // b is a raw connection (no node)
  };
  void fire_timers(std::size_t i);
  void deliver_bytes(Endpoint to, net::FrameDecoder& decoder, const util::Bytes& bytes);
  Link* find_link(std::size_t node, node::PeerId id, bool& is_a);
  void close_link(std::uint64_t key);

  std::vector<std::unique_ptr<Slot>> slots_;
  std::deque<std::function<void()>> events_;
  std::map<std::uint64_t, Link> links_;  // keyed by the connecting side's id
  node::PeerId next_id_ = 1;
};

// ---- implementation (inline: the test binary is built from *_test.cpp files only) ----

inline std::uint64_t TestEnv::now_ms() {
  return network_.clock_ms;
}
inline void TestEnv::send(node::PeerId peer, const net::Message& message) {
  network_.route_send(index_, peer, message);
}
inline node::PeerId TestEnv::connect(const net::PeerAddress& address) {
  return network_.route_connect(index_, address);
}
inline void TestEnv::disconnect(node::PeerId peer) {
  network_.route_disconnect(index_, peer);
}
inline void TestEnv::set_timer(node::TimerId id, std::uint64_t delay_ms) {
  timers_[id] = network_.clock_ms + delay_ms;
}

inline void TestNetwork::fire_timers(std::size_t i) {
  TestEnv& e = *slots_[i]->env;
  std::vector<node::TimerId> due;
  for (const auto& [id, at] : e.timers_) {
    if (at <= clock_ms) due.push_back(id);
  }
  for (node::TimerId id : due) {
    e.timers_.erase(id);
    slots_[i]->node->on_timer(id);
  }
}

inline TestNetwork::Link* TestNetwork::find_link(std::size_t node, node::PeerId id, bool& is_a) {
  for (auto& [key, link] : links_) {
    if (link.a.node == node && link.a.id == id) {
      is_a = true;
      return &link;
    }
    if (!link.raw && link.b.node == node && link.b.id == id) {
      is_a = false;
      return &link;
    }
  }
  return nullptr;
}

inline void TestNetwork::deliver_bytes(Endpoint to, net::FrameDecoder& decoder,
                                       const util::Bytes& bytes) {
  util::Status fed = decoder.feed(bytes);
  node::Node& n = *slots_[to.node]->node;
  if (!fed.is_ok()) return n.on_malformed(to.id, fed);
  while (auto next = decoder.next()) {
    if (!next->is_ok()) return n.on_malformed(to.id, next->status());
    n.on_message(to.id, **next);
  }
}

inline void TestNetwork::route_send(std::size_t from, node::PeerId id,
                                    const net::Message& message) {
  bool is_a = false;
  Link* link = find_link(from, id, is_a);
  if (link == nullptr) return;  // already closed
  util::Bytes bytes = net::encode_frame(net::network_magic(params.network), message);
  if (link->raw) {
    net::FrameDecoder d(net::network_magic(params.network));
    EXPECT_TRUE(d.feed(bytes).is_ok());
    auto m = d.next();
    EXPECT_TRUE(m && m->is_ok());
    raw_received.push_back(**m);
    return;
  }
  const std::uint64_t key = link->a.id;
  events_.push_back([this, key, is_a, bytes = std::move(bytes)] {
    auto it = links_.find(key);
    if (it == links_.end()) return;
    Link& l = it->second;
    if (is_a) {
      deliver_bytes(l.b, *l.to_b, bytes);
    } else {
      deliver_bytes(l.a, *l.to_a, bytes);
    }
  });
}

inline node::PeerId TestNetwork::route_connect(std::size_t from, const net::PeerAddress& address) {
  const node::PeerId id = next_id();
  std::optional<std::size_t> target;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i]->address == address && slots_[i]->reachable && slots_[from]->reachable) {
      target = i;
    }
  }
  events_.push_back([this, from, id, target, address] {
    if (!target) return slots_[from]->node->on_connect_failed(id);
    const node::PeerId remote_id = next_id();
    Link link;
    link.a = {from, id};
    link.b = {*target, remote_id};
    link.to_a = std::make_unique<net::FrameDecoder>(net::network_magic(params.network));
    link.to_b = std::make_unique<net::FrameDecoder>(net::network_magic(params.network));
    links_.emplace(id, std::move(link));
    net::PeerAddress ephemeral = slots_[from]->address;
    ephemeral.port = static_cast<std::uint16_t>(40000 + id % 20000);
    slots_[from]->node->on_peer_connected(id, node::Direction::kOutbound, address);
    slots_[*target]->node->on_peer_connected(remote_id, node::Direction::kInbound, ephemeral);
  });
  return id;
}

inline void TestNetwork::close_link(std::uint64_t key) {
  auto it = links_.find(key);
  if (it == links_.end()) return;
  Link link = std::move(it->second);
  links_.erase(it);
  slots_[link.a.node]->node->on_peer_disconnected(link.a.id);
  if (link.raw) {
    raw_closed = true;
  } else {
    slots_[link.b.node]->node->on_peer_disconnected(link.b.id);
  }
}

inline void TestNetwork::route_disconnect(std::size_t from, node::PeerId id) {
  bool is_a = false;
  Link* link = find_link(from, id, is_a);
  if (link == nullptr) return;
  const std::uint64_t key = link->a.id;
  events_.push_back([this, key] { close_link(key); });
}

inline node::PeerId TestNetwork::open_raw(std::size_t to, const net::PeerAddress& from_address) {
  const node::PeerId id = next_id();
  Link link;
  link.a = {to, id};
  link.raw = true;
  link.to_a = std::make_unique<net::FrameDecoder>(net::network_magic(params.network));
  links_.emplace(id, std::move(link));
  raw_closed = false;
  slots_[to]->node->on_peer_connected(id, node::Direction::kInbound, from_address);
  return id;
}

inline void TestNetwork::send_raw(std::size_t to, node::PeerId id, const util::Bytes& bytes) {
  auto it = links_.find(id);
  ASSERT_NE(it, links_.end());
  deliver_bytes({to, id}, *it->second.to_a, bytes);
  pump();
}

}  // namespace qpow::test
