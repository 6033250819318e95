// Chain queries: getblockchaininfo, getblockcount, getbestblockhash, getblockhash,
// getblockheader, getblock.
#include <cstdint>
#include <limits>
#include <string>

#include "http/rpc_json.h"
#include "http/rpc_node_call.h"
#include "http/rpc_params.h"
#include "primitives/network.h"
#include "util/hex.h"

namespace qpow::http {
namespace {

using nlohmann::json;

constexpr std::uint64_t kUint64Max = std::numeric_limits<std::uint64_t>::max();
// getblock's verbosity: 0 hex, 1 JSON with txids, 2 JSON with transactions.
constexpr std::uint64_t kBlockVerbosityMax = 2;

struct ChainInfo {
  HeaderSnapshot tip;
  node::SyncInfo sync;
};

struct BlockCopy {
  HeaderSnapshot snapshot;
  primitives::Block block;
};

RpcError block_not_found() {
  return RpcError{kRpcInvalidAddressOrKey, "Block not found"};
}

RpcResult getblockchaininfo(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getblockchaininfo", raw)) return *error;
  QPOW_RPC_ASSIGN_OR_RETURN(
      const ChainInfo info, node_call<ChainInfo>(context.access, [](node::Node& node) {
        const chain::Chainstate& chainstate = node.chainstate();
        return RpcOr<ChainInfo>(ChainInfo{.tip = snapshot_header(chainstate, chainstate.tip()),
                                          .sync = node.sync_info()});
      }));
  const primitives::BlockHeader& tip = info.tip.header;
  return json{{"chain", primitives::network_name(context.params.network)},
              {"chain_id", context.params.chain_id},
              {"blocks", tip.height},
              {"headers", info.sync.best_header_height},
              {"bestblockhash", hash_hex(info.tip.hash)},
              {"bits", bits_hex(tip.bits)},
              {"target", target_json(tip.bits)},
              {"time", tip.time},
              {"mediantime", info.tip.median_time},
              {"chainwork", info.tip.chain_work.to_hex()},
              {"initialblockdownload", info.sync.initial_download},
              {"verificationprogress", info.sync.progress},
              {"blocks_in_flight", info.sync.blocks_in_flight}};
}

RpcResult getblockcount(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getblockcount", raw)) return *error;
  return node_call<json>(context.access, [](node::Node& node) -> RpcResult {
    return json(node.chainstate().tip().height());
  });
}

RpcResult getbestblockhash(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getbestblockhash", raw)) return *error;
  return node_call<json>(context.access, [](node::Node& node) -> RpcResult {
    return json(hash_hex(node.chainstate().tip().hash));
  });
}

RpcResult getblockhash(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getblockhash", raw, {"height"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::uint64_t height, params.uint(0, kUint64Max));
  return node_call<json>(context.access, [height](node::Node& node) -> RpcResult {
    const chain::BlockIndexEntry* entry = node.chainstate().active_at(height);
    if (entry == nullptr) return RpcError{kRpcInvalidParameter, "Block height out of range"};
    return json(hash_hex(entry->hash));
  });
}

RpcResult getblockheader(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getblockheader", raw, {"blockhash", "verbose"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const crypto::Hash256 hash, hash_param(params, 0));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::optional<bool> verbose, params.optional_boolean(1));
  QPOW_RPC_ASSIGN_OR_RETURN(
      const HeaderSnapshot snapshot,
      node_call<HeaderSnapshot>(context.access, [&hash](node::Node& node) -> RpcOr<HeaderSnapshot> {
        const chain::BlockIndexEntry* entry = node.chainstate().find(hash);
        if (entry == nullptr) return block_not_found();
        return snapshot_header(node.chainstate(), *entry);
      }));
  if (!verbose.value_or(true))
    return json(util::to_hex(primitives::encode_header(snapshot.header)));
  return header_json(snapshot, context.params.network);
}

RpcResult getblock(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getblock", raw, {"blockhash", "verbosity"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const crypto::Hash256 hash, hash_param(params, 0));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> verbosity_param,
                            params.optional_uint(1, kUint64Max));
  const std::uint64_t verbosity = verbosity_param.value_or(1);
  if (verbosity > kBlockVerbosityMax) {
    return RpcError{kRpcInvalidParameter, "getblock: verbosity must be 0, 1 or 2"};
  }
  QPOW_RPC_ASSIGN_OR_RETURN(
      const BlockCopy copy,
      node_call<BlockCopy>(context.access, [&hash](node::Node& node) -> RpcOr<BlockCopy> {
        const chain::Chainstate& chainstate = node.chainstate();
        const chain::BlockIndexEntry* entry = chainstate.find(hash);
        if (entry == nullptr) return block_not_found();
        auto block = chainstate.read_block(hash);
        if (!block.is_ok()) return rpc_error_from_status(block.status());
        if (!block->has_value()) {
          return RpcError{kRpcMiscError, "Block not available (only its header is stored)"};
        }
        return BlockCopy{.snapshot = snapshot_header(chainstate, *entry),
                         .block = std::move(**block)};
      }));
  if (verbosity == 0) return json(util::to_hex(primitives::encode_block(copy.block)));
  return block_json(copy.snapshot, copy.block, static_cast<unsigned>(verbosity),
                    context.params.network);
}

}  // namespace

void add_block_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context) {
  dispatcher.add("getblockchaininfo", bind_method(context, getblockchaininfo));
  dispatcher.add("getblockcount", bind_method(context, getblockcount));
  dispatcher.add("getbestblockhash", bind_method(context, getbestblockhash));
  dispatcher.add("getblockhash", bind_method(context, getblockhash));
  dispatcher.add("getblockheader", bind_method(context, getblockheader));
  dispatcher.add("getblock", bind_method(context, getblock));
}

}  // namespace qpow::http
