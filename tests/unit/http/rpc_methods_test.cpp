// The node's RPC methods. Without a node: the method table, parameter errors (which never reach
// the node), and a node that is stopping or busy. With a real regtest node over a MemoryStore, a
// scripted Env and an inline NodeAccess: chain queries, mining, transactions, mempool, network
// and control methods end to end.
#include "http/rpc_methods.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "consensus/chain_params.h"
#include "consensus/pow.h"
#include "node/env.h"
#include "node/node.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/transaction.h"
#include "storage/memory_store.h"
#include "util/executor.h"
#include "util/hex.h"

namespace qpow::http {
namespace {

using nlohmann::json;

const consensus::ChainParams& regtest() {
  return consensus::chain_params(primitives::Network::kRegtest);
}

json call(const JsonRpcDispatcher& dispatcher, std::string_view method,
          json params = json::array()) {
  const json request{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", 1}};
  const std::optional<std::string> reply = dispatcher.handle(request.dump());
  EXPECT_TRUE(reply.has_value());
  return reply ? json::parse(*reply) : json();
}

int error_code(const json& response) {
  if (!response.contains("error")) return 0;
  return response["error"]["code"].get<int>();
}

std::string some_address() {
  primitives::Address address;
  address.bytes.fill(0x42);
  return address.to_string(primitives::Network::kRegtest);
}

// ---- without a node -----------------------------------------------------------------------

class ScriptedAccess final : public node::NodeAccess {
 public:
  util::Status answer = util::Status::unavailable("node is stopping");
  int calls = 0;
  util::Status call(const std::function<void(node::Node&)>&, std::uint64_t timeout_ms) override {
    ++calls;
    EXPECT_EQ(timeout_ms, node::kDefaultNodeCallTimeoutMs);
    return answer;
  }
};

TEST(RpcMethodTable, HasEveryMethod) {
  ScriptedAccess access;
  const auto dispatcher = make_node_methods(access, regtest());
  for (const char* name : {"getblockchaininfo",
                           "getblockcount",
                           "getbestblockhash",
                           "getblockhash",
                           "getblock",
                           "getblockheader",
                           "gettransaction",
                           "getaccount",
                           "sendrawtransaction",
                           "getmempoolinfo",
                           "getrawmempool",
                           "getpeerinfo",
                           "addnode",
                           "disconnectnode",
                           "setnetworkactive",
                           "getmininginfo",
                           "getblocktemplate",
                           "submitblock",
                           "generatetoaddress",
                           "stop",
                           "listbanned",
                           "uptime",
                           "getnetworkinfo",
                           "help"}) {
    EXPECT_TRUE(dispatcher->has(name)) << name;
  }
  const json help = call(*dispatcher, "help");
  EXPECT_EQ(help["result"].size(), dispatcher->method_names().size());
  EXPECT_GE(call(*dispatcher, "uptime")["result"].get<std::int64_t>(), 0);
}

TEST(RpcMethodTable, StoppingNodeIsInWarmupAndBusyNodeIsMiscError) {
  ScriptedAccess access;
  const auto dispatcher = make_node_methods(access, regtest());
  for (const char* name : {"getblockcount", "getblockchaininfo", "getpeerinfo", "getmempoolinfo",
                           "getmininginfo", "listbanned", "getnetworkinfo", "stop"}) {
    EXPECT_EQ(error_code(call(*dispatcher, name)), kRpcInWarmup) << name;
  }
  access.answer = util::Status::timeout("node busy");
  EXPECT_EQ(error_code(call(*dispatcher, "getblockcount")), kRpcMiscError);
}

TEST(RpcMethodTable, ParameterErrorsNeverReachTheNode) {
  ScriptedAccess access;
  const auto dispatcher = make_node_methods(access, regtest());
  const std::string hash(64, 'a');
  const std::string address = some_address();
  struct Case {
    const char* method;
    json params;
    int code;
  };
  const Case cases[] = {
      {"getblockcount", json::array({1}), kRpcInvalidParams},
      {"getblockhash", json::array(), kRpcInvalidParams},
      {"getblockhash", json::array({"1"}), kRpcInvalidParams},
      {"getblockhash", json::array({-1}), kRpcInvalidParams},
      {"getblock", json::array({"xyz"}), kRpcInvalidParameter},
      {"getblock", json::array({hash.substr(2)}), kRpcInvalidParameter},
      {"getblock", json::array({hash, 3}), kRpcInvalidParameter},
      {"getblock", json::object({{"blockhash", hash}, {"verbose", 1}}), kRpcInvalidParams},
      {"getblockheader", json::array({hash, "yes"}), kRpcInvalidParams},
      {"gettransaction", json::array({42}), kRpcInvalidParams},
      {"getaccount", json::array({"qp1notanaddress"}), kRpcInvalidAddressOrKey},
      {"getaccount", json::array({primitives::Address{}.to_string(primitives::Network::kMain)}),
       kRpcInvalidAddressOrKey},
      {"sendrawtransaction", json::array({"zz"}), kRpcDeserializationError},
      {"sendrawtransaction", json::array({"00"}), kRpcDeserializationError},
      {"submitblock", json::array({"0"}), kRpcDeserializationError},
      {"submitblock", json::array({"0000"}), kRpcDeserializationError},
      {"getrawmempool", json::array({1}), kRpcInvalidParams},
      {"addnode", json::array({"1.2.3.4"}), kRpcInvalidParams},
      {"addnode", json::array({"1.2.3.4", "sometimes"}), kRpcInvalidParameter},
      {"addnode", json::array({"not an ip", "add"}), kRpcInvalidParameter},
      {"disconnectnode", json::array(), kRpcInvalidParameter},
      {"disconnectnode", json::array({"1.2.3.4", 5}), kRpcInvalidParameter},
      {"setnetworkactive", json::array({"on"}), kRpcInvalidParams},
      {"generatetoaddress", json::array({0, address}), kRpcInvalidParameter},
      {"generatetoaddress", json::array({node::kGenerateCountMax + 1, address}),
       kRpcInvalidParameter},
      {"generatetoaddress", json::array({1}), kRpcInvalidParams},
      {"generatetoaddress", json::array({1, "nope"}), kRpcInvalidAddressOrKey},
      {"getblocktemplate", json::array({"nope"}), kRpcInvalidAddressOrKey},
  };
  for (const Case& c : cases) {
    const json response = call(*dispatcher, c.method, c.params);
    EXPECT_EQ(error_code(response), c.code)
        << c.method << " " << c.params.dump() << " -> " << response.dump();
  }
  EXPECT_EQ(access.calls, 0);
}

TEST(RpcMethodTable, GenerateIsRegtestOnly) {
  ScriptedAccess access;
  const auto& main = consensus::chain_params(primitives::Network::kMain);
  const auto dispatcher = make_node_methods(access, main);
  primitives::Address address;
  address.bytes.fill(1);
  const json response = call(*dispatcher, "generatetoaddress",
                             json::array({1, address.to_string(primitives::Network::kMain)}));
  EXPECT_EQ(error_code(response), kRpcMiscError);
  EXPECT_EQ(access.calls, 0);
}

// ---- with a real node -----------------------------------------------------------------------

class ScriptedEnv final : public node::Env {
 public:
  std::uint64_t now_ms() override { return now; }
  std::uint64_t random() override { return ++random_state * 0x9e3779b97f4a7c15ULL; }
  void send(node::PeerId, const net::Message&) override {}
  node::PeerId connect(const net::PeerAddress&) override { return ++next_peer; }
  void disconnect(node::PeerId) override {}
  void set_timer(node::TimerId, std::uint64_t) override {}
  void submit_work(std::optional<mining::BlockTemplate>) override {}
  double hashes_per_second() const override { return 0; }
  util::Executor& executor() override { return inline_executor; }
  void request_shutdown() override { shutdown_requested = true; }
  void log(node::LogLevel, std::string_view) override {}

  std::uint64_t now = (regtest().genesis_time + 3600) * 1000;
  std::uint64_t random_state = 1;
  node::PeerId next_peer = 0;
  bool shutdown_requested = false;
  util::InlineExecutor inline_executor;
};

// Runs every call at once on the calling thread (the test is the node's thread).
class InlineAccess final : public node::NodeAccess {
 public:
  explicit InlineAccess(node::Node& node) : node_(node) {}
  util::Status call(const std::function<void(node::Node&)>& fn, std::uint64_t) override {
    fn(node_);
    return util::Status::ok();
  }

 private:
  node::Node& node_;
};

class NodeMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = node::Node::create(env, store, regtest(), node::NodeConfig{});
    if (!created.is_ok() && created.status().message().find("not built yet") != std::string::npos) {
      GTEST_SKIP() << "node::Node is not built yet";
    }
    ASSERT_TRUE(created.is_ok()) << created.status().to_string();
    node = std::move(created).value();
    access = std::make_unique<InlineAccess>(*node);
    dispatcher = make_node_methods(*access, regtest());
    const crypto::KeyPair keys = consensus::dev_keypair(regtest());
    dev_address = primitives::Address::from_public_key(regtest().dev_key_scheme, keys.public_key);
    miner.bytes.fill(0x4d);
  }

  json result(std::string_view method, json params = json::array()) {
    const json response = call(*dispatcher, method, params);
    EXPECT_FALSE(response.contains("error")) << method << ": " << response.dump();
    return response["result"];
  }
  int error(std::string_view method, json params) {
    return error_code(call(*dispatcher, method, std::move(params)));
  }
  std::string miner_text() const { return miner.to_string(primitives::Network::kRegtest); }
  std::string dev_text() const { return dev_address.to_string(primitives::Network::kRegtest); }

  // A signed transfer from the dev key.
  primitives::Transaction dev_transfer(std::uint64_t nonce, std::uint64_t amount) {
    const crypto::KeyPair keys = consensus::dev_keypair(regtest());
    primitives::Transaction tx;
    tx.chain_id = regtest().chain_id;
    tx.sender = dev_address;
    tx.recipient = miner;
    tx.nonce = nonce;
    tx.amount = amount;
    tx.fee = 100'000;
    EXPECT_TRUE(primitives::sign_tx(tx, {.scheme = regtest().dev_key_scheme,
                                         .secret_key = keys.secret_key.span(),
                                         .public_key = keys.public_key,
                                         .include_public_key = nonce == 0,
                                         .mode = crypto::SigningMode::kDeterministic})
                    .is_ok());
    return tx;
  }

  ScriptedEnv env;
  storage::MemoryStore store;
  std::unique_ptr<node::Node> node;
  std::unique_ptr<InlineAccess> access;
  std::unique_ptr<JsonRpcDispatcher> dispatcher;
  primitives::Address dev_address;
  primitives::Address miner;
};

TEST_F(NodeMethodsTest, GenesisQueries) {
  EXPECT_EQ(result("getblockcount"), 0);
  const json best = result("getbestblockhash");
  EXPECT_EQ(result("getblockhash", json::array({0})), best);
  EXPECT_EQ(error("getblockhash", json::array({1})), kRpcInvalidParameter);
  const json info = result("getblockchaininfo");
  EXPECT_EQ(info["chain"], "regtest");
  EXPECT_EQ(info["blocks"], 0);
  EXPECT_EQ(info["bestblockhash"], best);
  const json header = result("getblockheader", json::array({best}));
  EXPECT_EQ(header["hash"], best);
  EXPECT_EQ(header["confirmations"], 1);
  EXPECT_FALSE(header.contains("previousblockhash"));
  EXPECT_FALSE(header.contains("nextblockhash"));
  const json raw_header =
      result("getblockheader", json::object({{"blockhash", best}, {"verbose", false}}));
  EXPECT_EQ(raw_header.get<std::string>().size(), 2 * primitives::kHeaderBytes);
  const json raw_block = result("getblock", json::array({best, 0}));
  auto bytes = util::from_hex(raw_block.get<std::string>());
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_TRUE(primitives::decode_block(*bytes).is_ok());
  EXPECT_TRUE(result("getblock", json::array({best}))["tx"].is_array());
  EXPECT_EQ(error("getblock", json::array({std::string(64, '0')})), kRpcInvalidAddressOrKey);
}

TEST_F(NodeMethodsTest, GenerateExtendsTheChain) {
  const json hashes = result("generatetoaddress", json::array({3, miner_text()}));
  ASSERT_EQ(hashes.size(), 3u);
  EXPECT_EQ(result("getblockcount"), 3);
  EXPECT_EQ(result("getblockhash", json::array({3})), hashes[2]);
  const json first = result("getblockheader", json::array({hashes[0]}));
  EXPECT_EQ(first["nextblockhash"], hashes[1]);
  EXPECT_EQ(first["confirmations"], 3);
  EXPECT_EQ(first["miner"], miner_text());
  const json account = result("getaccount", json::array({miner_text()}));
  EXPECT_TRUE(account["exists"].get<bool>());
  EXPECT_GT(account["balance"].get<std::uint64_t>(), 0u);
  EXPECT_TRUE(account["key"].is_null());
  EXPECT_EQ(result("getmininginfo")["blocks"], 3);
}

TEST_F(NodeMethodsTest, TransactionLifecycle) {
  const primitives::Transaction tx = dev_transfer(0, 5 * consensus::kCoin);
  const std::string hex = util::to_hex(primitives::encode_tx(tx));
  const json txid = result("sendrawtransaction", json::array({hex}));
  EXPECT_EQ(txid, util::to_hex(primitives::txid(tx)));
  EXPECT_EQ(error("sendrawtransaction", json::array({hex})), kRpcVerifyRejected);

  EXPECT_EQ(result("getrawmempool"), json::array({txid}));
  EXPECT_TRUE(result("getrawmempool", json::array({true})).contains(txid.get<std::string>()));
  EXPECT_EQ(result("getmempoolinfo")["size"], 1);
  const json pending = result("gettransaction", json::array({txid}));
  EXPECT_TRUE(pending["in_mempool"].get<bool>());
  EXPECT_EQ(pending["amount"], 5 * consensus::kCoin);
  EXPECT_EQ(pending["amount_qpow"], "5");
  const json dev = result("getaccount", json::array({dev_text()}));
  EXPECT_EQ(dev["mempool_pending"], 1);
  EXPECT_EQ(dev["next_nonce"], 1);

  const json mined = result("generatetoaddress", json::array({1, miner_text()}));
  const json confirmed = result("gettransaction", json::array({txid}));
  EXPECT_FALSE(confirmed["in_mempool"].get<bool>());
  EXPECT_EQ(confirmed["blockhash"], mined[0]);
  EXPECT_EQ(confirmed["confirmations"], 1);
  const json block = result("getblock", json::array({mined[0], 2}));
  bool found = false;
  for (const json& t : block["tx"]) found = found || t["txid"] == txid;
  EXPECT_TRUE(found);
  EXPECT_EQ(result("getrawmempool"), json::array());
  EXPECT_FALSE(result("getaccount", json::array({dev_text()}))["key"].is_null());
  EXPECT_EQ(error("gettransaction", json::array({std::string(64, 'e')})), kRpcInvalidAddressOrKey);
}

// gettransaction reads at most kTxLookupBlocksMax blocks back from the tip (there is no index).
TEST_F(NodeMethodsTest, TransactionLookupReachesBackExactlyTheBound) {
  const json txid = result("sendrawtransaction",
                           json::array({util::to_hex(primitives::encode_tx(dev_transfer(0, 1)))}));
  result("generatetoaddress", json::array({1, miner_text()}));  // the tx is in block 1
  result("generatetoaddress", json::array({kTxLookupBlocksMax - 1, miner_text()}));
  // Tip kTxLookupBlocksMax: blocks tip .. 1 are the last kTxLookupBlocksMax.
  EXPECT_EQ(result("gettransaction", json::array({txid}))["height"], 1);
  result("generatetoaddress", json::array({1, miner_text()}));
  EXPECT_EQ(error("gettransaction", json::array({txid})), kRpcInvalidAddressOrKey);
}

TEST_F(NodeMethodsTest, TemplateSolvedAndSubmitted) {
  const json tmpl = result("getblocktemplate", json::array({miner_text()}));
  EXPECT_EQ(tmpl["height"], 1);
  auto bytes = util::from_hex(tmpl["hex"].get<std::string>());
  ASSERT_TRUE(bytes.is_ok());
  auto block = primitives::decode_block(*bytes);
  ASSERT_TRUE(block.is_ok());
  primitives::Block solved = *block;
  while (!consensus::check_pow(solved.header, regtest()).is_ok()) ++solved.header.nonce;
  primitives::Block unsolved = *block;
  while (consensus::check_pow(unsolved.header, regtest()).is_ok()) ++unsolved.header.nonce;
  EXPECT_EQ(result("submitblock", json::array({util::to_hex(primitives::encode_block(unsolved))})),
            "high-hash");
  EXPECT_TRUE(result("submitblock", json::array({util::to_hex(primitives::encode_block(solved))}))
                  .is_null());
  EXPECT_EQ(result("getblockcount"), 1);
}

TEST_F(NodeMethodsTest, NetworkAndControl) {
  EXPECT_EQ(result("getpeerinfo"), json::array());
  EXPECT_EQ(result("listbanned"), json::array());
  const json network = result("getnetworkinfo");
  EXPECT_EQ(network["connections"], 0);
  EXPECT_EQ(result("setnetworkactive", json::array({false})), false);
  EXPECT_EQ(result("getnetworkinfo")["networkactive"], false);
  EXPECT_EQ(result("setnetworkactive", json::array({true})), true);
  EXPECT_EQ(error("disconnectnode", json::array({"9.9.9.9:1"})), kRpcClientNodeNotConnected);
  EXPECT_EQ(error("disconnectnode", json::array({"", 12345})), kRpcClientNodeNotConnected);
  EXPECT_TRUE(result("addnode", json::array({"10.0.0.1:28633", "add"})).is_null());
  EXPECT_EQ(result("stop"), "qpow stopping");
  EXPECT_TRUE(env.shutdown_requested);
}

}  // namespace
}  // namespace qpow::http
