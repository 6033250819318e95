// Transactions, accounts and the mempool: gettransaction, getaccount, sendrawtransaction,
// getmempoolinfo, getrawmempool.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "http/rpc_json.h"
#include "http/rpc_methods.h"
#include "http/rpc_node_call.h"
#include "http/rpc_params.h"
#include "primitives/amount.h"
#include "util/hex.h"

namespace qpow::http {
namespace {

using nlohmann::json;

// A transaction gettransaction found: in the mempool (block unset) or in a block.
struct FoundTx {
  primitives::Transaction tx;
  std::optional<HeaderSnapshot> block;
};

struct LookupStart {
  std::optional<FoundTx> found;  // set when the mempool has it
  std::uint64_t tip_height = 0;
};

// What getrawmempool's verbose form shows of one entry (copied, not the whole transaction).
struct PoolEntrySummary {
  crypto::Hash256 txid{};
  std::size_t size = 0;
  std::uint64_t fee = 0;
  std::uint64_t amount = 0;
  primitives::Address sender{};
  std::uint64_t nonce = 0;
};

// Looks for txid in the active chain's blocks at heights top, top - 1, ..., top - count + 1.
RpcOr<std::optional<FoundTx>> scan_blocks(const chain::Chainstate& chainstate,
                                          const crypto::Hash256& txid, std::uint64_t top,
                                          std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    // The chain may have become shorter since the scan began; those heights are skipped.
    const chain::BlockIndexEntry* entry = chainstate.active_at(top - i);
    if (entry == nullptr) continue;
    auto block = chainstate.read_block(entry->hash);
    if (!block.is_ok()) return rpc_error_from_status(block.status());
    if (!block->has_value()) continue;
    for (primitives::Transaction& tx : (*block)->txs) {
      if (primitives::txid(tx) == txid) {
        return std::optional<FoundTx>(
            FoundTx{.tx = std::move(tx), .block = snapshot_header(chainstate, *entry)});
      }
    }
  }
  return std::optional<FoundTx>();
}

RpcOr<FoundTx> find_transaction(const MethodContext& context, const crypto::Hash256& txid) {
  QPOW_RPC_ASSIGN_OR_RETURN(
      LookupStart start,
      node_call<LookupStart>(context.access, [&txid](node::Node& node) -> RpcOr<LookupStart> {
        LookupStart out{.found = std::nullopt, .tip_height = node.chainstate().tip().height()};
        if (const primitives::Transaction* tx = node.mempool().get(txid)) {
          out.found = FoundTx{.tx = *tx, .block = std::nullopt};
        }
        return out;
      }));
  if (start.found) return std::move(*start.found);
  // Heights tip .. 0, at most kTxLookupBlocksMax of them, kTxLookupBlocksPerCall per call.
  const std::uint64_t total = std::min(kTxLookupBlocksMax, start.tip_height + 1);
  for (std::uint64_t scanned = 0; scanned < total;) {
    const std::uint64_t count = std::min(kTxLookupBlocksPerCall, total - scanned);
    const std::uint64_t top = start.tip_height - scanned;
    QPOW_RPC_ASSIGN_OR_RETURN(
        std::optional<FoundTx> found,
        node_call<std::optional<FoundTx>>(context.access, [&](node::Node& node) {
          return scan_blocks(node.chainstate(), txid, top, count);
        }));
    if (found) return std::move(*found);
    scanned += count;
  }
  return RpcError{kRpcInvalidAddressOrKey,
                  fmt::format("No such transaction in the mempool or the last {} blocks (the "
                              "node keeps no transaction index)",
                              kTxLookupBlocksMax)};
}

RpcResult gettransaction(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("gettransaction", raw, {"txid"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const crypto::Hash256 txid, hash_param(params, 0));
  QPOW_RPC_ASSIGN_OR_RETURN(const FoundTx found, find_transaction(context, txid));
  json out = tx_json(found.tx, context.params.network);
  out["hex"] = util::to_hex(primitives::encode_tx(found.tx));
  out["in_mempool"] = !found.block.has_value();
  if (found.block) {
    out["blockhash"] = hash_hex(found.block->hash);
    out["height"] = found.block->header.height;
    out["confirmations"] = found.block->confirmations;
    out["time"] = found.block->header.time;
  }
  return out;
}

struct AccountCopy {
  std::optional<state::Account> account;
  std::size_t pending = 0;
};

RpcResult getaccount(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getaccount", raw, {"address"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const primitives::Address address,
                            address_param(params, 0, context.params.network));
  QPOW_RPC_ASSIGN_OR_RETURN(
      const AccountCopy copy,
      node_call<AccountCopy>(context.access, [&address](node::Node& node) -> RpcOr<AccountCopy> {
        auto account = node.chainstate().account(address);
        if (!account.is_ok()) return rpc_error_from_status(account.status());
        return AccountCopy{.account = std::move(account).value(),
                           .pending = node.mempool().pending_for(address).size()};
      }));
  json out = account_json(address, copy.account, context.params.network);
  // What a wallet needs to build its next transaction without a second call.
  out["mempool_pending"] = copy.pending;
  out["next_nonce"] = (copy.account ? copy.account->nonce : 0) + copy.pending;
  return out;
}

RpcResult sendrawtransaction(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("sendrawtransaction", raw, {"hexstring"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const util::Bytes bytes, hex_param(params, 0));
  auto decoded = primitives::decode_tx(bytes);
  if (!decoded.is_ok()) {
    return RpcError{kRpcDeserializationError,
                    fmt::format("TX decode failed: {}", decoded.status().message())};
  }
  const primitives::Transaction& tx = *decoded;
  return node_call<json>(context.access, [&tx](node::Node& node) -> RpcResult {
    auto result = node.submit_transaction(tx);
    if (!result.is_ok()) return rpc_error_from_status(result.status());
    if (!result->accepted()) return RpcError{kRpcVerifyRejected, result->to_string()};
    return json(hash_hex(result->txid));
  });
}

RpcResult getmempoolinfo(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getmempoolinfo", raw)) return *error;
  struct PoolInfo {
    chain::MempoolInfo info;
    std::uint64_t relay_fee_per_byte = 0;
  };
  QPOW_RPC_ASSIGN_OR_RETURN(
      const PoolInfo pool, node_call<PoolInfo>(context.access, [](node::Node& node) {
        const chain::Mempool& mempool = node.mempool();
        // The pool never relays below the consensus minimum, whatever its limits say.
        return RpcOr<PoolInfo>(PoolInfo{
            .info = mempool.info(),
            .relay_fee_per_byte =
                std::max(mempool.limits().min_fee_per_byte, node.params().min_fee_per_byte)});
      }));
  const chain::MempoolInfo& info = pool.info;
  json min_rate = nullptr;
  if (info.min_fee_rate) {
    min_rate = json{{"fee", info.min_fee_rate->fee}, {"bytes", info.min_fee_rate->bytes}};
  }
  return json{{"size", info.count},
              {"bytes", info.bytes},
              {"count_max", info.count_max},
              {"bytes_max", info.bytes_max},
              {"min_fee_rate", std::move(min_rate)},
              {"relay_fee_per_byte", pool.relay_fee_per_byte}};
}

RpcResult getrawmempool(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getrawmempool", raw, {"verbose"}, 0));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::optional<bool> verbose, params.optional_boolean(0));
  QPOW_RPC_ASSIGN_OR_RETURN(
      const std::vector<PoolEntrySummary> entries,
      node_call<std::vector<PoolEntrySummary>>(context.access, [](node::Node& node) {
        std::vector<PoolEntrySummary> out;
        const chain::Mempool& mempool = node.mempool();
        for (const crypto::Hash256& txid : mempool.txids()) {
          const primitives::Transaction* tx = mempool.get(txid);
          if (tx == nullptr) continue;
          out.push_back(PoolEntrySummary{.txid = txid,
                                         .size = primitives::tx_size(*tx),
                                         .fee = tx->fee,
                                         .amount = tx->amount,
                                         .sender = tx->sender,
                                         .nonce = tx->nonce});
        }
        return RpcOr<std::vector<PoolEntrySummary>>(std::move(out));
      }));
  if (!verbose.value_or(false)) {
    json txids = json::array();
    for (const PoolEntrySummary& entry : entries) txids.push_back(hash_hex(entry.txid));
    return txids;
  }
  // Keyed by txid, as Bitcoin Core's verbose form (a JSON object's members have no order).
  json out = json::object();
  for (const PoolEntrySummary& entry : entries) {
    json item{{"size", entry.size},
              {"sender", entry.sender.to_string(context.params.network)},
              {"nonce", entry.nonce}};
    set_amount(item, "fee", entry.fee);
    set_amount(item, "amount", entry.amount);
    out[hash_hex(entry.txid)] = std::move(item);
  }
  return out;
}

}  // namespace

void add_transaction_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context) {
  dispatcher.add("gettransaction", bind_method(context, gettransaction));
  dispatcher.add("getaccount", bind_method(context, getaccount));
  dispatcher.add("sendrawtransaction", bind_method(context, sendrawtransaction));
  dispatcher.add("getmempoolinfo", bind_method(context, getmempoolinfo));
  dispatcher.add("getrawmempool", bind_method(context, getrawmempool));
}

}  // namespace qpow::http
