// `qpow wallet balance` and `qpow wallet send`, run in-process against a toy node: a real
// http::RpcServer (cookie in a temporary data directory) whose getaccount answers what the test
// sets and whose sendrawtransaction decodes and records what the wallet sent. Checked: the
// balance lines, the nonce and key the transfer is built with, the txid printed, the node's
// refusals, and the exit-code contract for malformed arguments and a missing node.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "app/passphrase.h"
#include "cli_run.h"
#include "http/json_rpc.h"
#include "http/rpc_server.h"
#include "primitives/address.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using nlohmann::json;
using qpow::test::CliResult;
using qpow::test::run;

constexpr auto kRegtest = primitives::Network::kRegtest;
constexpr std::uint64_t kCoin = 100'000'000;

// What the toy node's getaccount says about one address.
struct ToyAccount {
  std::uint64_t balance = 0;
  std::uint64_t nonce = 0;
  std::uint64_t pending = 0;
  std::string public_key_hex = {};  // empty: no key on chain
};

class WalletNodeCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "qpow-wsend-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    ::setenv(kPassphraseEnvVar, "wallet-send-test", 1);
    dispatcher_.add("getaccount", [this](const json& p) { return getaccount(p); });
    dispatcher_.add("sendrawtransaction", [this](const json& p) { return sendrawtransaction(p); });
    auto started =
        http::RpcServer::start({.cookie_path = (root_ / ".cookie").string()}, dispatcher_, {});
    ASSERT_TRUE(started.is_ok()) << started.status().to_string();
    server_ = std::move(started).value();
    sender_ = create_key("sender");
    recipient_ = create_key("recipient");
  }
  void TearDown() override {
    server_.reset();
    ::unsetenv(kPassphraseEnvVar);
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  // `qpow wallet --wallet-dir W --network regtest <args> --datadir D --rpc-port P`.
  CliResult wallet(std::vector<std::string> args, bool with_node_options = true) const {
    std::vector<std::string> full = {"wallet", "--wallet-dir", (root_ / "wallet").string(),
                                     "--network", "regtest"};
    full.insert(full.end(), args.begin(), args.end());
    if (with_node_options) {
      const std::vector<std::string> node = {"--datadir", root_.string(), "--rpc-port",
                                             std::to_string(server_->port())};
      full.insert(full.end(), node.begin(), node.end());
    }
    return run(full);
  }
  std::string create_key(const std::string& label) const {
    std::vector<std::string> args = {"create", "--label", label};
    if (!std::filesystem::exists(root_ / "wallet" / "keystore.dat")) {
      args.insert(args.end(), {"--kdf-cost", "interactive"});
    }
    const CliResult r = wallet(args, /*with_node_options=*/false);
    EXPECT_EQ(r.code, kExitOk) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }
  // The key the wallet signs with, as getaccount shows it (hex without the scheme byte).
  std::string public_key_hex(const std::string& address) const {
    const CliResult r = wallet({"export-pubkey", address}, /*with_node_options=*/false);
    EXPECT_EQ(r.code, kExitOk) << r.err;
    return r.out.substr(2, r.out.find('\n') - 2);
  }

  http::RpcResult getaccount(const json& params) {
    const std::lock_guard lock(mutex_);
    const std::string address = params.at(0).get<std::string>();
    const ToyAccount a = accounts_.count(address) ? accounts_.at(address) : ToyAccount{};
    json key = nullptr;
    if (!a.public_key_hex.empty())
      key = json{{"scheme", "ml-dsa-65"}, {"public_key", a.public_key_hex}};
    return json{{"address", address},
                {"balance", a.balance},
                {"nonce", a.nonce},
                {"mempool_pending", a.pending},
                {"next_nonce", a.nonce + a.pending},
                {"key", key}};
  }
  http::RpcResult sendrawtransaction(const json& params) {
    const std::lock_guard lock(mutex_);
    auto bytes = util::from_hex(params.at(0).get<std::string>());
    if (!bytes.is_ok()) return http::RpcError{http::kRpcDeserializationError, "hex"};
    auto tx = primitives::decode_tx(*bytes);
    if (!tx.is_ok()) return http::RpcError{http::kRpcDeserializationError, "decode"};
    if (reject_) return http::RpcError{http::kRpcVerifyRejected, "tx-bad-nonce: too high"};
    sent_.push_back(*tx);
    return json(util::to_hex(primitives::txid(*tx)));
  }
  void set_account(const std::string& address, ToyAccount account) {
    const std::lock_guard lock(mutex_);
    accounts_[address] = std::move(account);
  }
  std::vector<primitives::Transaction> sent() {
    const std::lock_guard lock(mutex_);
    return sent_;
  }

  std::filesystem::path root_;
  http::JsonRpcDispatcher dispatcher_;
  std::unique_ptr<http::RpcServer> server_;
  std::string sender_;
  std::string recipient_;
  std::mutex mutex_;  // the handlers run on the server's threads
  std::map<std::string, ToyAccount> accounts_;
  std::vector<primitives::Transaction> sent_;
  bool reject_ = false;
};

TEST_F(WalletNodeCommands, BalanceShowsEveryKeyOrOne) {
  set_account(sender_, {.balance = 12 * kCoin + kCoin / 2, .nonce = 2, .pending = 1});
  const CliResult all = wallet({"balance"});
  ASSERT_EQ(all.code, kExitOk) << all.err;
  EXPECT_EQ(all.out, "address=" + sender_ +
                         " balance=12.5 balance_units=1250000000 nonce=2 pending=1 label=sender\n"
                         "address=" +
                         recipient_ +
                         " balance=0 balance_units=0 nonce=0 pending=0 label=recipient\n");
  const CliResult labelled = wallet({"balance", "--label", "recipient"});
  ASSERT_EQ(labelled.code, kExitOk) << labelled.err;
  EXPECT_EQ(labelled.out, "address=" + recipient_ +
                              " balance=0 balance_units=0 nonce=0 pending=0 label=recipient\n");
  expect_error(wallet({"balance", "--label", "nobody"}), kExitNegative, "no key labelled 'nobody'");
}

TEST_F(WalletNodeCommands, BalanceOfAnyAddressNeedsNoKeystore) {
  set_account(recipient_, {.balance = 7});
  ::unsetenv(kPassphraseEnvVar);  // a passphrase asked for would fail the command
  const CliResult r = run({"wallet", "--wallet-dir", (root_ / "elsewhere").string(), "--network",
                           "regtest", "balance", "--address", recipient_, "--datadir",
                           root_.string(), "--rpc-port", std::to_string(server_->port())});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "address=" + recipient_ + " balance=0.00000007 balance_units=7 nonce=0 pending=0\n");
  expect_error(wallet({"balance", "--address", "rq1nope"}), kExitUsage, "--address");
}

TEST_F(WalletNodeCommands, FirstSendCarriesTheKey) {
  set_account(sender_, {.balance = 10 * kCoin});
  const CliResult r =
      wallet({"send", "--to", recipient_, "--amount", "1.5", "--fee", "0.001", "--memo", "hi"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<primitives::Transaction> txs = sent();
  ASSERT_EQ(txs.size(), 1u);
  const primitives::Transaction& tx = txs[0];
  EXPECT_EQ(r.out, util::to_hex(primitives::txid(tx)) + "\n");
  EXPECT_EQ(tx.sender.to_string(kRegtest), sender_);  // the first key by default
  EXPECT_EQ(tx.recipient.to_string(kRegtest), recipient_);
  EXPECT_EQ(tx.amount, kCoin + kCoin / 2);
  EXPECT_EQ(tx.fee, kCoin / 1000);
  EXPECT_EQ(tx.nonce, 0u);
  EXPECT_EQ(tx.chain_id, primitives::chain_id(kRegtest));
  EXPECT_EQ(tx.memo, util::to_bytes(util::as_bytes(std::string("hi"))));
  EXPECT_EQ(util::to_hex(tx.witness.public_key), public_key_hex(sender_));
}

TEST_F(WalletNodeCommands, LaterSendUsesTheNextNonceAndLeavesTheKeyOut) {
  // Two confirmed transactions and one in the mempool: the next nonce is 3.
  set_account(recipient_, {.balance = 5 * kCoin,
                           .nonce = 2,
                           .pending = 1,
                           .public_key_hex = public_key_hex(recipient_)});
  const CliResult r = wallet({"send", "--from", recipient_, "--to", sender_, "--amount", "2"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::vector<primitives::Transaction> txs = sent();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].sender.to_string(kRegtest), recipient_);
  EXPECT_EQ(txs[0].nonce, 3u);
  EXPECT_TRUE(txs[0].witness.public_key.empty());
  EXPECT_EQ(txs[0].fee, 10'000u);  // the default fee, 0.0001
}

TEST_F(WalletNodeCommands, RefusalsFromTheNodeOrTheChain) {
  set_account(sender_, {.balance = kCoin});
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1"}), kExitNegative,
               "the transfer needs 1.0001 QPOW with its fee");
  set_account(sender_, {.balance = 10 * kCoin, .nonce = 1, .public_key_hex = "00ff"});
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1"}), kExitNegative,
               "the chain holds another key");
  set_account(sender_, {.balance = 10 * kCoin});
  reject_ = true;
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1"}), kExitNegative,
               "rpc sendrawtransaction: -26 tx-bad-nonce: too high");
  EXPECT_TRUE(sent().empty());
}

TEST_F(WalletNodeCommands, MalformedArgumentsExit2) {
  expect_error(wallet({"send", "--to", "rq1bad", "--amount", "1"}), kExitUsage, "--to");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1.123456789"}), kExitUsage,
               "--amount");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1", "--fee", "-1"}), kExitUsage,
               "--fee");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1", "--memo",
                       std::string(primitives::kTxMemoBytesMax + 1, 'm')}),
               kExitUsage, "--memo: 257 bytes, the limit is 256");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1", "--from", "rq1bad"}),
               kExitUsage, "--from");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "184467440737.09551615", "--fee",
                       "0.00000001"}),
               kExitUsage, "more than any balance");
  expect_error(wallet({"send", "--to", recipient_, "--amount", "1", "--rpc-user", "u"}), kExitUsage,
               "--rpc-user needs --rpc-password");
  EXPECT_TRUE(sent().empty());
}

TEST_F(WalletNodeCommands, MemoAtTheLimitIsSent) {
  set_account(sender_, {.balance = kCoin});
  const CliResult r = wallet({"send", "--to", recipient_, "--amount", "0.5", "--memo",
                              std::string(primitives::kTxMemoBytesMax, 'm')});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(sent()[0].memo.size(), primitives::kTxMemoBytesMax);
}

TEST_F(WalletNodeCommands, SenderMustBeInTheKeystore) {
  const std::string stranger =
      primitives::Address::from_public_key(crypto::kDefaultScheme, util::Bytes(32, 7))
          .to_string(kRegtest);
  expect_error(wallet({"send", "--from", stranger, "--to", recipient_, "--amount", "1"}),
               kExitNegative, "is not in the keystore");
}

TEST_F(WalletNodeCommands, NoNodeNoPassphrase) {
  ::unsetenv(kPassphraseEnvVar);  // were a passphrase asked for, that error would come first
  const std::string nowhere = (root_ / "no-node").string();
  const CliResult missing =
      run({"wallet", "--wallet-dir", (root_ / "wallet").string(), "--network", "regtest", "send",
           "--to", recipient_, "--amount", "1", "--datadir", nowhere});
  expect_error(missing, kExitNegative,
               "no RPC cookie at " + nowhere + "/.cookie: is the node running?");
  const CliResult balance = run({"wallet", "--wallet-dir", (root_ / "wallet").string(), "--network",
                                 "regtest", "balance", "--datadir", nowhere});
  expect_error(balance, kExitNegative, "no RPC cookie at");
}

}  // namespace
}  // namespace qpow::app
