// runtime::AsioEnv on loopback: two environments, each running its event loop on its own
// thread, connect and exchange messages; connect/disconnect events come exactly once per
// connection; a refused or unreachable connect fails; garbage bytes are reported as malformed and
// the connection is closed; timers fire in order and re-arming replaces; a peer that never reads
// is dropped at the send-queue bound; dead peer ids are ignored; request_shutdown reaches the
// owner.
#include "runtime/asio_env.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "net/frame.h"
#include "unit/runtime/env_runner.h"
#include "unit/runtime/raw_socket.h"

namespace qpow::runtime {
namespace {

using test::EnvRunner;
using test::Event;
using test::RawSocket;
using Kind = Event::Kind;
using namespace std::chrono_literals;

net::PeerAddress loopback(std::uint16_t port) {
  return net::ipv4_address(127, 0, 0, 1, port);
}

// Lets events that should not come have their chance to arrive.
void settle() {
  std::this_thread::sleep_for(200ms);
}

bool is_pong(const Event& e, std::uint64_t nonce) {
  return e.kind == Kind::kMessage && std::holds_alternative<net::PongMsg>(*e.message) &&
         std::get<net::PongMsg>(*e.message).nonce == nonce;
}

TEST(AsioEnvTest, ListensOnAFreePortAndRefusesABusyOne) {
  EnvRunner server(test::test_config(/*listen=*/true));
  ASSERT_TRUE(server.ok());
  const std::uint16_t port = server.env().listen_port();
  EXPECT_NE(port, 0);

  AsioEnvConfig busy = test::test_config(/*listen=*/false);
  busy.listen = loopback(port);
  test::RecordingSink sink;
  auto second = AsioEnv::create(std::move(busy), sink);
  ASSERT_FALSE(second.is_ok());
  EXPECT_EQ(second.status().code(), util::StatusCode::kIoError);

  EnvRunner no_listener(test::test_config(/*listen=*/false));
  EXPECT_EQ(no_listener.env().listen_port(), 0);
}

TEST(AsioEnvTest, PeersConnectExchangePingPongAndDisconnectOnce) {
  EnvRunner server(test::test_config(/*listen=*/true));
  EnvRunner client(test::test_config(/*listen=*/false));
  ASSERT_TRUE(server.ok() && client.ok());
  // The server answers every ping, on its event thread, as a node would.
  server.sink.set_hook([&server](const Event& e) {
    if (e.kind == Kind::kMessage && std::holds_alternative<net::PingMsg>(*e.message)) {
      server.env().send(e.peer, net::PongMsg{.nonce = std::get<net::PingMsg>(*e.message).nonce});
    }
  });
  const std::uint16_t port = server.env().listen_port();
  const node::PeerId out = client.on_thread([&] { return client.env().connect(loopback(port)); });
  EXPECT_EQ(out, 1u);  // ids count from 1

  const auto outbound = client.sink.first(Kind::kConnected);
  const auto inbound = server.sink.first(Kind::kConnected);
  ASSERT_TRUE(outbound && inbound);
  EXPECT_EQ(outbound->peer, out);
  EXPECT_EQ(outbound->direction, node::Direction::kOutbound);
  EXPECT_EQ(outbound->remote, loopback(port));
  EXPECT_EQ(inbound->peer, 1u);
  EXPECT_EQ(inbound->direction, node::Direction::kInbound);
  EXPECT_TRUE(inbound->remote.is_loopback());

  client.on_thread([&] { client.env().send(out, net::PingMsg{.nonce = 42}); });
  ASSERT_TRUE(client.sink.wait_for([](const std::vector<Event>& events) {
    return std::any_of(events.begin(), events.end(), [](const Event& e) { return is_pong(e, 42); });
  }));

  client.on_thread([&] { client.env().disconnect(out); });
  ASSERT_TRUE(client.sink.wait_count(Kind::kDisconnected, 1));
  ASSERT_TRUE(server.sink.wait_count(Kind::kDisconnected, 1));
  // The id is dead: sending and disconnecting again do nothing.
  client.on_thread([&] {
    client.env().send(out, net::PingMsg{.nonce = 43});
    client.env().disconnect(out);
  });
  settle();
  EXPECT_EQ(client.sink.count(Kind::kConnected), 1u);
  EXPECT_EQ(client.sink.count(Kind::kDisconnected, out), 1u);
  EXPECT_EQ(client.sink.count(Kind::kConnectFailed), 0u);
  EXPECT_EQ(server.sink.count(Kind::kDisconnected, inbound->peer), 1u);
  EXPECT_EQ(server.sink.count(Kind::kMessage), 1u);  // the one ping
}

TEST(AsioEnvTest, IdsAreNeverReused) {
  EnvRunner server(test::test_config(/*listen=*/true));
  ASSERT_TRUE(server.ok());
  const std::uint16_t port = server.env().listen_port();
  for (node::PeerId expected = 1; expected <= 3; ++expected) {
    {
      RawSocket raw(port);
      ASSERT_TRUE(raw.connected());
      ASSERT_TRUE(server.sink.wait_count(Kind::kConnected, expected));
    }
    ASSERT_TRUE(server.sink.wait_count(Kind::kDisconnected, expected));
  }
  std::vector<node::PeerId> ids;
  for (const Event& e : server.sink.events()) {
    if (e.kind == Kind::kConnected) ids.push_back(e.peer);
  }
  EXPECT_EQ(ids, (std::vector<node::PeerId>{1, 2, 3}));
  // Outbound ids continue the same counter.
  const node::PeerId next =
      server.on_thread([&] { return server.env().connect(loopback(RawSocket::closed_port())); });
  EXPECT_EQ(next, 4u);
}

TEST(AsioEnvTest, ConnectionsPastTheBoundAreRefused) {
  AsioEnvConfig server_config = test::test_config(/*listen=*/true);
  server_config.connections_max = 2;
  EnvRunner server(std::move(server_config));
  ASSERT_TRUE(server.ok());
  const std::uint16_t port = server.env().listen_port();
  // At the bound: two inbound connections are accepted.
  RawSocket first(port);
  RawSocket second(port);
  ASSERT_TRUE(server.sink.wait_count(Kind::kConnected, 2));
  // One past it: closed on accept, never reported.
  RawSocket third(port);
  EXPECT_TRUE(third.wait_closed(5s));
  EXPECT_EQ(server.sink.count(Kind::kConnected), 2u);

  AsioEnvConfig client_config = test::test_config(/*listen=*/false);
  client_config.connections_max = 1;
  EnvRunner client(std::move(client_config));
  ASSERT_TRUE(client.ok());
  test::FullListener full;
  const auto [kept, refused] = client.on_thread([&] {
    const node::PeerId first_id = client.env().connect(loopback(full.port()));
    const node::PeerId second_id = client.env().connect(loopback(full.port()));
    return std::pair(first_id, second_id);
  });
  const auto failed = client.sink.first(Kind::kConnectFailed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->peer, refused);
  settle();
  EXPECT_EQ(client.sink.count(Kind::kConnectFailed, kept), 0u);  // still connecting
}

TEST(AsioEnvTest, ConnectToAClosedPortFails) {
  EnvRunner client(test::test_config(/*listen=*/false));
  ASSERT_TRUE(client.ok());
  const std::uint16_t port = RawSocket::closed_port();
  const node::PeerId id = client.on_thread([&] { return client.env().connect(loopback(port)); });
  const auto failed = client.sink.first(Kind::kConnectFailed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->peer, id);
  settle();
  EXPECT_EQ(client.sink.count(Kind::kConnectFailed), 1u);
  EXPECT_EQ(client.sink.count(Kind::kConnected), 0u);
  client.on_thread([&] { client.env().send(id, net::PingMsg{}); });  // dead: ignored
}

TEST(AsioEnvTest, AConnectThatHangsFailsAtItsTimeout) {
  AsioEnvConfig config = test::test_config(/*listen=*/false);
  config.connect_timeout_ms = 300;
  EnvRunner client(std::move(config));
  ASSERT_TRUE(client.ok());
  test::FullListener full;  // the kernel drops our SYN: the connect hangs
  const auto start = std::chrono::steady_clock::now();
  const node::PeerId id =
      client.on_thread([&] { return client.env().connect(loopback(full.port())); });
  const auto failed = client.sink.first(Kind::kConnectFailed, 5s);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->peer, id);
  EXPECT_GE(failed->at - start, 300ms);
  EXPECT_LT(failed->at - start, 3s);
  EXPECT_EQ(client.sink.count(Kind::kConnected), 0u);
}

TEST(AsioEnvTest, DisconnectWhileConnectingFailsTheConnectOnce) {
  EnvRunner client(test::test_config(/*listen=*/false));
  ASSERT_TRUE(client.ok());
  test::FullListener full;
  const node::PeerId id = client.on_thread([&] {
    const node::PeerId peer = client.env().connect(loopback(full.port()));
    client.env().disconnect(peer);
    return peer;
  });
  ASSERT_TRUE(client.sink.wait_count(Kind::kConnectFailed, 1));
  settle();
  EXPECT_EQ(client.sink.count(Kind::kConnectFailed, id), 1u);
  EXPECT_EQ(client.sink.count(Kind::kConnected), 0u);
  EXPECT_EQ(client.sink.count(Kind::kDisconnected), 0u);
}

TEST(AsioEnvTest, GarbageIsMalformedAndThePeerIsClosedAfterTheGrace) {
  EnvRunner server(test::test_config(/*listen=*/true));
  ASSERT_TRUE(server.ok());
  RawSocket raw(server.env().listen_port());
  ASSERT_TRUE(raw.connected());
  const auto connected = server.sink.first(Kind::kConnected);
  ASSERT_TRUE(connected);
  ASSERT_TRUE(raw.write_all(std::vector<std::uint8_t>(64, 0xab)));  // bad magic

  const auto malformed = server.sink.first(Kind::kMalformed);
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->peer, connected->peer);
  EXPECT_FALSE(malformed->error.is_ok());
  // The sink never disconnects it; the environment does once the grace has passed.
  const auto grace = std::chrono::milliseconds(kMalformedCloseGraceMs);
  ASSERT_TRUE(server.sink.wait_count(Kind::kDisconnected, 1, grace + 5s));
  EXPECT_GE(server.sink.first(Kind::kDisconnected)->at - malformed->at, grace - 50ms);
  EXPECT_TRUE(raw.wait_closed(5s));
  EXPECT_EQ(server.sink.count(Kind::kMalformed), 1u);
  EXPECT_EQ(server.sink.count(Kind::kMessage), 0u);
}

TEST(AsioEnvTest, TimersFireInOrderAndReArmingReplaces) {
  EnvRunner env(test::test_config(/*listen=*/false));
  ASSERT_TRUE(env.ok());
  const auto start = std::chrono::steady_clock::now();
  env.on_thread([&] {
    env.env().set_timer(1, 60);
    env.env().set_timer(2, 20);
    env.env().set_timer(3, 100);
    env.env().set_timer(4, 10);
    env.env().set_timer(4, 160);  // replaces the 10 ms arming
  });
  ASSERT_TRUE(env.sink.wait_count(Kind::kTimer, 4));
  settle();
  const std::vector<Event> events = env.sink.events();
  ASSERT_EQ(events.size(), 4u);  // timer 4 fired once
  std::vector<node::TimerId> order;
  for (const Event& e : events) order.push_back(e.timer);
  EXPECT_EQ(order, (std::vector<node::TimerId>{2, 1, 3, 4}));
  EXPECT_GE(events[3].at - start, 160ms);

  // A fired timer can be armed again.
  env.on_thread([&] { env.env().set_timer(2, 5); });
  ASSERT_TRUE(env.sink.wait_count(Kind::kTimer, 5));
  EXPECT_EQ(env.sink.events().back().timer, 2u);
}

TEST(AsioEnvTest, SendQueueBoundDropsAPeerThatNeverReads) {
  EnvRunner server(test::test_config(/*listen=*/true));
  ASSERT_TRUE(server.ok());
  RawSocket raw(server.env().listen_port(), /*rcvbuf_bytes=*/4096);  // and never reads
  ASSERT_TRUE(raw.connected());
  const auto connected = server.sink.first(Kind::kConnected);
  ASSERT_TRUE(connected);

  net::HeadersMsg big;
  big.headers.resize(net::kHeadersCountMax);
  const std::size_t frame_bytes =
      net::encode_frame(net::network_magic(primitives::Network::kRegtest), big).size();
  const std::size_t fit = net::kSendQueueBytesMax / frame_bytes;
  ASSERT_GE(fit, 2u);
  // At the bound: as many frames as fit stay queued, and the peer stays.
  server.on_thread([&] {
    for (std::size_t i = 0; i < fit; ++i) server.env().send(connected->peer, big);
  });
  settle();
  EXPECT_EQ(server.sink.count(Kind::kDisconnected), 0u);
  // Past it: the kernel took at most a few frames meanwhile, so this passes the bound.
  server.on_thread([&] {
    for (std::size_t i = 0; i < fit; ++i) server.env().send(connected->peer, big);
  });
  ASSERT_TRUE(server.sink.wait_count(Kind::kDisconnected, 1));
  settle();
  EXPECT_EQ(server.sink.count(Kind::kDisconnected, connected->peer), 1u);
}

TEST(AsioEnvTest, DeadAndUnknownPeersAreIgnored) {
  EnvRunner env(test::test_config(/*listen=*/false));
  ASSERT_TRUE(env.ok());
  env.on_thread([&] {
    env.env().send(7, net::PingMsg{.nonce = 1});
    env.env().disconnect(7);
  });
  settle();
  EXPECT_TRUE(env.sink.events().empty());
}

TEST(AsioEnvTest, RequestShutdownReachesTheOwnerOnTheEventThread) {
  std::atomic<bool> requested{false};
  std::atomic<std::thread::id> where{};
  AsioEnvConfig config = test::test_config(/*listen=*/false);
  config.on_shutdown_request = [&] {
    where = std::this_thread::get_id();
    requested = true;
  };
  EnvRunner env(std::move(config));
  ASSERT_TRUE(env.ok());
  const std::thread::id event_thread = env.on_thread([] { return std::this_thread::get_id(); });
  env.env().request_shutdown();  // from this thread: allowed
  for (int i = 0; i < 500 && !requested; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(requested);
  EXPECT_EQ(where.load(), event_thread);

  // Without a callback the loop itself stops.
  EnvRunner plain(test::test_config(/*listen=*/false));
  ASSERT_TRUE(plain.ok());
  plain.env().request_shutdown();
  EXPECT_TRUE(plain.join_for(5s));
}

TEST(AsioEnvTest, ClockRandomnessAndExecutor) {
  EnvRunner env(test::test_config(/*listen=*/false));
  ASSERT_TRUE(env.ok());
  const auto system_ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  const std::uint64_t now = env.env().now_ms();
  EXPECT_LE(now > system_ms ? now - system_ms : system_ms - now, 5000u);
  EXPECT_NE(env.env().random(), env.env().random());  // 2^-64 to fail by chance
  EXPECT_EQ(env.env().executor().concurrency(), 1u);
  EXPECT_EQ(env.env().hashes_per_second(), 0.0);
}

}  // namespace
}  // namespace qpow::runtime
