// `qpow wallet balance` and `qpow wallet send` (cmd_wallet_rpc.h): the keystore's accounts as a
// running node sees them, and transfers built from the node's view of the sender.
#include "app/cmd_wallet_rpc.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/node_options.h"
#include "app/rpc_client.h"
#include "http/json_rpc.h"
#include "primitives/address.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/hex.h"
#include "wallet/tx_builder.h"

namespace qpow::app {
namespace {

using nlohmann::json;
using util::Result;
using util::Status;

// The fee `qpow wallet send` offers when none is given (as `sign-tx`).
constexpr const char* kDefaultFee = "0.0001";

// An invalid argument (--rpc-user without --rpc-password, say) is a usage error (exit 2); a
// missing cookie, an unreachable node or its refusal is an operation that failed (exit 1).
int fail(const CommandContext& ctx, const Status& status) {
  return status.code() == util::StatusCode::kInvalidArgument ? fail_usage(ctx, status)
                                                             : fail_operation(ctx, status);
}

// An unsigned integer member of an RPC answer.
Result<std::uint64_t> uint_field(const json& object, std::string_view method, const char* name) {
  const auto it = object.find(name);
  if (!object.is_object() || it == object.end() || !it->is_number_unsigned()) {
    return Status::malformed(
        fmt::format("rpc {}: the answer has no unsigned integer '{}'", method, name));
  }
  return it->get<std::uint64_t>();
}

// What getaccount says about one address.
struct AccountView {
  std::uint64_t balance = 0;
  std::uint64_t nonce = 0;       // confirmed transactions
  std::uint64_t pending = 0;     // in the node's mempool
  std::uint64_t next_nonce = 0;  // for the next transaction
  std::string public_key_hex;    // the key the chain holds; empty when it holds none
};

Result<AccountView> get_account(const RpcEndpoint& endpoint, const primitives::Address& address,
                                primitives::Network network) {
  QPOW_ASSIGN_OR_RETURN(const json answer, rpc_call(endpoint, "getaccount",
                                                    json::array({address.to_string(network)})));
  AccountView view;
  QPOW_ASSIGN_OR_RETURN(view.balance, uint_field(answer, "getaccount", "balance"));
  QPOW_ASSIGN_OR_RETURN(view.nonce, uint_field(answer, "getaccount", "nonce"));
  QPOW_ASSIGN_OR_RETURN(view.pending, uint_field(answer, "getaccount", "mempool_pending"));
  QPOW_ASSIGN_OR_RETURN(view.next_nonce, uint_field(answer, "getaccount", "next_nonce"));
  const auto key = answer.find("key");
  if (key != answer.end() && key->is_object()) {
    const auto public_key = key->find("public_key");
    if (public_key == key->end() || !public_key->is_string()) {
      return Status::malformed("rpc getaccount: the key has no public_key text");
    }
    view.public_key_hex = public_key->get<std::string>();
  }
  return view;
}

// ---- balance ----

struct BalanceOptions {
  std::string address;
  std::string label;
};

// One line per account: address=... balance=<QPOW> balance_units=<base units> nonce=...
// pending=... [label=...]
void print_account(const CommandContext& ctx, const std::string& address, const AccountView& view,
                   const std::string& label) {
  std::string line =
      fmt::format("address={} balance={} balance_units={} nonce={} pending={}", address,
                  primitives::format_amount(view.balance), view.balance, view.nonce, view.pending);
  if (!label.empty()) line += " label=" + label;
  ctx.io.out << line << '\n';
}

// The accounts to show: --address alone (any address, no keystore needed), else the keystore's
// accounts, or the one labelled --label.
struct Listed {
  primitives::Address address;
  std::string label;
};

std::variant<std::vector<Listed>, int> accounts_to_show(const WalletAccess& access,
                                                        const BalanceOptions& o,
                                                        primitives::Network network,
                                                        const CommandContext& ctx) {
  if (!o.address.empty()) {
    const Result<primitives::Address> address = primitives::parse_address(o.address, network);
    if (!address.is_ok()) return fail_usage(ctx, address.status().with_context("--address"));
    return std::vector<Listed>{{*address, ""}};
  }
  std::variant<OpenedWallet, int> opened = access.open();
  if (const int* code = std::get_if<int>(&opened)) return *code;
  const wallet::Keystore& keystore = std::get<OpenedWallet>(opened).keystore;
  std::vector<Listed> out;
  for (const wallet::KeyEntry& entry : keystore.keys()) {
    if (o.label.empty() || entry.label == o.label) out.push_back({entry.address, entry.label});
  }
  if (out.empty()) {
    return fail_operation(
        ctx, Status::not_found(o.label.empty() ? "the keystore has no keys; add one with "
                                                 "'qpow wallet create'"
                                               : fmt::format("no key labelled '{}'", o.label)));
  }
  return out;
}

int run_balance(const WalletAccess& access, const NodeClientOptions& node, const BalanceOptions& o,
                const CommandContext& ctx) {
  const Result<primitives::Network> network = access.network();
  if (!network.is_ok()) return fail_usage(ctx, network.status());
  const Result<RpcEndpoint> endpoint = endpoint_from_options(*network, node.rpc);
  if (!endpoint.is_ok()) return fail(ctx, endpoint.status());
  const std::variant<std::vector<Listed>, int> listed = accounts_to_show(access, o, *network, ctx);
  if (const int* code = std::get_if<int>(&listed)) return *code;
  for (const Listed& account : std::get<std::vector<Listed>>(listed)) {
    const Result<AccountView> view = get_account(*endpoint, account.address, *network);
    if (!view.is_ok()) return fail_operation(ctx, view.status());
    print_account(ctx, account.address.to_string(*network), *view, account.label);
  }
  return kExitOk;
}

// ---- send ----

struct SendOptions {
  std::string to;
  std::string amount;
  std::string fee = kDefaultFee;
  std::string from;
  std::string memo;
};

// The checked arguments of a transfer (everything that needs neither the node nor the keystore).
struct Transfer {
  primitives::Network network = primitives::Network::kMain;
  primitives::Address to{};
  std::uint64_t amount = 0;
  std::uint64_t fee = 0;
  util::Bytes memo;
  std::optional<primitives::Address> from;
};

Result<Transfer> check_transfer(const SendOptions& o, primitives::Network network) {
  Transfer t;
  t.network = network;
  Result<primitives::Address> to = primitives::parse_address(o.to, network);
  if (!to.is_ok()) return to.status().with_context("--to");
  t.to = *to;
  Result<std::uint64_t> amount = primitives::parse_amount(o.amount);
  if (!amount.is_ok()) return amount.status().with_context("--amount");
  t.amount = *amount;
  Result<std::uint64_t> fee = primitives::parse_amount(o.fee);
  if (!fee.is_ok()) return fee.status().with_context("--fee");
  t.fee = *fee;
  if (t.amount > std::numeric_limits<std::uint64_t>::max() - t.fee) {
    return Status::invalid_argument("--amount plus --fee is more than any balance can hold");
  }
  if (o.memo.size() > primitives::kTxMemoBytesMax) {
    return Status::invalid_argument(fmt::format("--memo: {} bytes, the limit is {}", o.memo.size(),
                                                primitives::kTxMemoBytesMax));
  }
  t.memo = util::to_bytes(util::as_bytes(o.memo));
  if (!o.from.empty()) {
    Result<primitives::Address> from = primitives::parse_address(o.from, network);
    if (!from.is_ok()) return from.status().with_context("--from");
    t.from = *from;
  }
  return t;
}

// The sending account: --from (which must be in the keystore), else the first key.
Result<const wallet::KeyEntry*> sender_entry(const wallet::Keystore& keystore, const Transfer& t) {
  if (t.from) {
    const wallet::KeyEntry* entry = keystore.find(*t.from);
    if (entry == nullptr) {
      return Status::not_found(
          fmt::format("--from: {} is not in the keystore", t.from->to_string(t.network)));
    }
    return entry;
  }
  if (keystore.keys().empty()) {
    return Status::not_found("the keystore has no keys; add one with 'qpow wallet create'");
  }
  return &keystore.keys().front();
}

// Builds the transfer on the node's view of the sender, submits it, and returns its txid.
Result<std::string> send_transfer(const RpcEndpoint& endpoint, const wallet::KeyEntry& from,
                                  const Transfer& t) {
  const std::string sender = from.address.to_string(t.network);
  QPOW_ASSIGN_OR_RETURN(const AccountView account, get_account(endpoint, from.address, t.network));
  // The chain's key must be the one the wallet signs with (build_transfer uses the current key).
  if (!account.public_key_hex.empty() &&
      account.public_key_hex != util::to_hex(from.current.public_key)) {
    return Status::invalid_argument(
        fmt::format("the chain holds another key for {} than this keystore's current one (a "
                    "rotation not announced on chain yet?)",
                    sender));
  }
  if (account.balance < t.amount + t.fee) {
    return Status::out_of_range(fmt::format(
        "{} has {} QPOW confirmed; the transfer needs {} QPOW with its fee", sender,
        primitives::format_amount(account.balance), primitives::format_amount(t.amount + t.fee)));
  }
  // The same path as `qpow wallet sign-tx`: the key travels with the transaction exactly when its
  // nonce is 0, so the next nonce (confirmed plus the sender's transactions in the node's
  // mempool) also decides whether the chain has the key yet.
  const wallet::TxTerms terms{.chain_id = primitives::chain_id(t.network),
                              .nonce = account.next_nonce,
                              .fee = t.fee,
                              .memo = t.memo};
  QPOW_ASSIGN_OR_RETURN(const primitives::Transaction tx,
                        wallet::build_transfer(from, t.to, t.amount, terms));
  QPOW_ASSIGN_OR_RETURN(const json answer,
                        rpc_call(endpoint, "sendrawtransaction",
                                 json::array({util::to_hex(primitives::encode_tx(tx))})));
  const std::string txid = util::to_hex(primitives::txid(tx));
  if (!answer.is_string() || answer.get<std::string>() != txid) {
    return Status::malformed(fmt::format("rpc sendrawtransaction: expected the txid {}, got {}",
                                         txid, http::dump_json(answer).substr(0, 100)));
  }
  return txid;
}

int run_send(const WalletAccess& access, const NodeClientOptions& node, const SendOptions& o,
             const CommandContext& ctx) {
  const Result<primitives::Network> network = access.network();
  if (!network.is_ok()) return fail_usage(ctx, network.status());
  const Result<Transfer> transfer = check_transfer(o, *network);
  if (!transfer.is_ok()) return fail_usage(ctx, transfer.status());
  // The node's address and credentials first: no passphrase is asked for a send that cannot go.
  const Result<RpcEndpoint> endpoint = endpoint_from_options(*network, node.rpc);
  if (!endpoint.is_ok()) return fail(ctx, endpoint.status());
  std::variant<OpenedWallet, int> opened = access.open();
  if (const int* code = std::get_if<int>(&opened)) return *code;
  const wallet::Keystore& keystore = std::get<OpenedWallet>(opened).keystore;
  const Result<const wallet::KeyEntry*> from = sender_entry(keystore, *transfer);
  if (!from.is_ok()) return fail_operation(ctx, from.status());
  const Result<std::string> txid = send_transfer(*endpoint, **from, *transfer);
  if (!txid.is_ok()) return fail_operation(ctx, txid.status());
  ctx.io.out << *txid << '\n';
  return kExitOk;
}

}  // namespace

void add_wallet_node_commands(CLI::App& wallet, WalletAccess access, CommandContext& ctx) {
  auto shared = std::make_shared<WalletAccess>(std::move(access));

  auto balance_node = std::make_shared<NodeClientOptions>();
  auto balance = std::make_shared<BalanceOptions>();
  CLI::App* balance_cmd = wallet.add_subcommand(
      "balance",
      "Ask the node for the balance and nonce of every key, of --label's, or of any --address");
  CLI::Option* address_opt =
      balance_cmd->add_option("--address", balance->address, "Any address (no keystore needed)");
  balance_cmd->add_option("--label", balance->label, "The key's label")->excludes(address_opt);
  add_node_client_options(*balance_cmd, *balance_node, {.network = false});
  balance_cmd->fallthrough();
  balance_cmd->callback([shared, balance_node, balance, &ctx] {
    ctx.exit_code = run_balance(*shared, *balance_node, *balance, ctx);
  });

  auto send_node = std::make_shared<NodeClientOptions>();
  auto send = std::make_shared<SendOptions>();
  CLI::App* send_cmd = wallet.add_subcommand(
      "send",
      "Build a transfer with the sender's next nonce from the node, sign it and submit it; prints "
      "the txid");
  send_cmd->add_option("--to", send->to, "The recipient's address")->required();
  send_cmd->add_option("--amount", send->amount, "Amount in QPOW (8 decimals)")->required();
  send_cmd->add_option("--fee", send->fee, "Fee in QPOW (8 decimals)")->capture_default_str();
  send_cmd->add_option("--from", send->from,
                       "The sending address (in this keystore; default: the first key)");
  send_cmd->add_option("--memo", send->memo,
                       "Up to 256 bytes of text carried with the transaction");
  add_node_client_options(*send_cmd, *send_node, {.network = false});
  send_cmd->fallthrough();
  send_cmd->callback([shared, send_node, send, &ctx] {
    ctx.exit_code = run_send(*shared, *send_node, *send, ctx);
  });
}

}  // namespace qpow::app
