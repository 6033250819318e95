// runtime::NodeRuntime: the node on real I/O. NodeAccess::call runs on the node thread, times
// out without ever running when the node is busy, and is refused once the node stops; the node's
// own request_shutdown ends run(); the database is held by one runtime at a time. Tests that need
// a working node::Node skip themselves while node::Node::create reports it is not built yet.
#include "runtime/node_runtime.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "unit/chain/chain_fixture.h"
#include "unit/wallet/temp_dir.h"

namespace qpow::runtime {
namespace {

using namespace std::chrono_literals;

RuntimeConfig test_config(const qpow::test::TempDir& dir) {
  RuntimeConfig config;
  config.network = primitives::Network::kRegtest;
  config.chain_dir = dir.file("chain");
  config.listen = "127.0.0.1:0";
  config.validation_threads = 1;
  config.mining_threads = 1;
  config.log_level = node::LogLevel::kError;
  return config;
}

bool node_not_built(const util::Status& status) {
  return status.message().find("not built yet") != std::string::npos;
}

// The node's tip height, asked through NodeAccess (99999 when the call fails).
std::uint64_t tip_height(NodeRuntime& runtime) {
  std::uint64_t height = 99999;
  const util::Status status =
      runtime.call([&](node::Node& n) { height = n.chainstate().tip().height(); }, 5000);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return height;
}

bool wait_for_height(NodeRuntime& runtime, std::uint64_t height, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (tip_height(runtime) >= height) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

// A runtime whose run() goes on a thread of its own until it is stopped.
class RunningNode {
 public:
  explicit RunningNode(std::unique_ptr<NodeRuntime> runtime) : runtime_(std::move(runtime)) {
    thread_ = std::thread([this] {
      util::Status status = runtime_->run();
      status_ = status;
      done_ = true;
    });
  }
  ~RunningNode() {
    runtime_->stop();
    if (thread_.joinable()) thread_.join();
  }
  NodeRuntime& runtime() { return *runtime_; }
  // Waits for run() to return and gives its status.
  util::Status join() {
    thread_.join();
    return status_;
  }
  bool done() const { return done_; }

 private:
  std::unique_ptr<NodeRuntime> runtime_;
  std::thread thread_;
  util::Status status_;
  std::atomic<bool> done_{false};
};

TEST(NodeRuntimeTest, RefusesBadConfiguration) {
  qpow::test::TempDir dir;
  RuntimeConfig no_dir = test_config(dir);
  no_dir.chain_dir.clear();
  EXPECT_EQ(NodeRuntime::create(no_dir).status().code(), util::StatusCode::kInvalidArgument);

  RuntimeConfig bad_peer = test_config(dir);
  bad_peer.connect = {"localhost:99999"};
  EXPECT_EQ(NodeRuntime::create(bad_peer).status().code(), util::StatusCode::kInvalidArgument);

  RuntimeConfig bad_listen = test_config(dir);
  bad_listen.listen = "[::1";
  EXPECT_EQ(NodeRuntime::create(bad_listen).status().code(), util::StatusCode::kInvalidArgument);
}

TEST(NodeRuntimeTest, CallRunsOnTheNodeThreadTimesOutWhenBusyAndIsUnavailableAfterStop) {
  qpow::test::TempDir dir;
  auto created = NodeRuntime::create(test_config(dir));
  if (!created.is_ok() && node_not_built(created.status())) GTEST_SKIP() << "node not built yet";
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  EXPECT_NE((*created)->p2p_port(), 0);
  RunningNode node(std::move(created).value());
  NodeRuntime& runtime = node.runtime();

  std::thread::id node_thread;
  std::uint64_t height = 99;
  ASSERT_TRUE(runtime
                  .call(
                      [&](node::Node& n) {
                        node_thread = std::this_thread::get_id();
                        height = n.chainstate().tip().height();
                      },
                      5000)
                  .is_ok());
  EXPECT_NE(node_thread, std::this_thread::get_id());
  EXPECT_EQ(height, 0u);

  // A call that holds the node thread; one behind it gives up and is never run.
  std::atomic<bool> started{false};
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    EXPECT_TRUE(runtime
                    .call(
                        [&](node::Node&) {
                          started = true;
                          while (!release) std::this_thread::sleep_for(1ms);
                        },
                        5000)
                    .is_ok());
  });
  while (!started) std::this_thread::sleep_for(1ms);
  bool late_ran = false;
  const util::Status late = runtime.call([&](node::Node&) { late_ran = true; }, 50);
  EXPECT_EQ(late.code(), util::StatusCode::kTimeout) << late.to_string();
  release = true;
  blocker.join();
  // Calls run in order, so once this one has run the cancelled one had its turn and skipped it.
  EXPECT_TRUE(runtime.call([](node::Node&) {}, 5000).is_ok());
  EXPECT_FALSE(late_ran);

  runtime.stop();
  EXPECT_TRUE(node.join().is_ok());
  bool ran_after_stop = false;
  EXPECT_EQ(runtime.call([&](node::Node&) { ran_after_stop = true; }, 1000).code(),
            util::StatusCode::kUnavailable);
  EXPECT_FALSE(ran_after_stop);
  EXPECT_EQ(runtime.run().code(), util::StatusCode::kInvalidArgument);  // runs once
}

TEST(NodeRuntimeTest, TheNodesShutdownRequestEndsRun) {
  qpow::test::TempDir dir;
  auto created = NodeRuntime::create(test_config(dir));
  if (!created.is_ok() && node_not_built(created.status())) GTEST_SKIP() << "node not built yet";
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  RunningNode node(std::move(created).value());
  ASSERT_TRUE(node.runtime().call([](node::Node& n) { n.request_shutdown(); }, 5000).is_ok());
  EXPECT_TRUE(node.join().is_ok());
}

TEST(NodeRuntimeTest, TwoNodesSyncOverLoopback) {
  qpow::test::TempDir dir_a;
  qpow::test::TempDir dir_b;
  auto created_a = NodeRuntime::create(test_config(dir_a));
  if (!created_a.is_ok() && node_not_built(created_a.status())) GTEST_SKIP() << "node not built";
  ASSERT_TRUE(created_a.is_ok()) << created_a.status().to_string();
  RuntimeConfig config_b = test_config(dir_b);
  config_b.listen.reset();
  config_b.connect = {"localhost:" + std::to_string((*created_a)->p2p_port())};
  auto created_b = NodeRuntime::create(config_b);
  ASSERT_TRUE(created_b.is_ok()) << created_b.status().to_string();
  EXPECT_EQ((*created_b)->p2p_port(), 0);
  RunningNode a(std::move(created_a).value());
  RunningNode b(std::move(created_b).value());

  const primitives::Address payee = qpow::test::make_key(0x4d).address;
  ASSERT_TRUE(a.runtime()
                  .call(
                      [&](node::Node& n) {
                        auto mined = n.generate(payee, 5);
                        EXPECT_TRUE(mined.is_ok()) << mined.status().to_string();
                      },
                      30'000)
                  .is_ok());
  EXPECT_EQ(tip_height(a.runtime()), 5u);
  EXPECT_TRUE(wait_for_height(b.runtime(), 5, 30s));

  std::size_t peers_b = 0;
  ASSERT_TRUE(
      b.runtime().call([&](node::Node& n) { peers_b = n.peer_info().size(); }, 5000).is_ok());
  EXPECT_EQ(peers_b, 1u);
}

TEST(NodeRuntimeTest, AMiningNodeMinesOnItsMinerThread) {
  qpow::test::TempDir dir;
  RuntimeConfig config = test_config(dir);
  config.node.mine = true;
  config.node.miner_address = qpow::test::make_key(0x4d).address;
  auto created = NodeRuntime::create(config);
  if (!created.is_ok() && node_not_built(created.status())) GTEST_SKIP() << "node not built yet";
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  RunningNode node(std::move(created).value());
  EXPECT_TRUE(wait_for_height(node.runtime(), 3, 30s));
  node.runtime().stop();
  EXPECT_TRUE(node.join().is_ok());
}

TEST(NodeRuntimeTest, OneRuntimePerDatabase) {
  qpow::test::TempDir dir;
  auto first = NodeRuntime::create(test_config(dir));
  if (!first.is_ok() && node_not_built(first.status())) GTEST_SKIP() << "node not built yet";
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  auto second = NodeRuntime::create(test_config(dir));
  ASSERT_FALSE(second.is_ok());
  EXPECT_EQ(second.status().code(), util::StatusCode::kIoError);
  first->reset();  // closes the database
  EXPECT_TRUE(NodeRuntime::create(test_config(dir)).is_ok());
}

TEST(NodeRuntimeTest, StopBeforeRunShutsDownAtOnce) {
  qpow::test::TempDir dir;
  auto created = NodeRuntime::create(test_config(dir));
  if (!created.is_ok() && node_not_built(created.status())) GTEST_SKIP() << "node not built yet";
  ASSERT_TRUE(created.is_ok()) << created.status().to_string();
  (*created)->stop();
  EXPECT_TRUE((*created)->run().is_ok());
}

}  // namespace
}  // namespace qpow::runtime
