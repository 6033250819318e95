// Mining: getmininginfo, getblocktemplate, submitblock, generatetoaddress.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "consensus/reject_reason.h"
#include "http/rpc_json.h"
#include "http/rpc_node_call.h"
#include "http/rpc_params.h"
#include "mining/block_miner.h"
#include "util/hex.h"

namespace qpow::http {
namespace {

using nlohmann::json;

struct MiningCopy {
  node::MiningInfo mining;
  std::uint64_t height = 0;
  std::uint32_t bits = 0;
  std::size_t pooled = 0;
};

RpcResult getmininginfo(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getmininginfo", raw)) return *error;
  QPOW_RPC_ASSIGN_OR_RETURN(const MiningCopy copy,
                            node_call<MiningCopy>(context.access, [](node::Node& node) {
                              const chain::BlockIndexEntry& tip = node.chainstate().tip();
                              return RpcOr<MiningCopy>(MiningCopy{.mining = node.mining_info(),
                                                                  .height = tip.height(),
                                                                  .bits = tip.header.bits,
                                                                  .pooled = node.mempool().size()});
                            }));
  const node::MiningInfo& m = copy.mining;
  return json{{"chain", primitives::network_name(context.params.network)},
              {"blocks", copy.height},
              {"bits", bits_hex(copy.bits)},
              {"target", target_json(copy.bits)},
              {"pooledtx", copy.pooled},
              {"mining", m.mining},
              {"miner_address", m.miner_address.is_zero()
                                    ? json(nullptr)
                                    : json(m.miner_address.to_string(context.params.network))},
              {"hashespersec", m.hashes_per_second},
              {"blocks_mined", m.blocks_mined}};
}

RpcResult getblocktemplate(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("getblocktemplate", raw, {"address"}, 0));
  std::optional<primitives::Address> miner;
  if (params.has(0)) {
    QPOW_RPC_ASSIGN_OR_RETURN(miner, address_param(params, 0, context.params.network));
  }
  QPOW_RPC_ASSIGN_OR_RETURN(
      const mining::BlockTemplate tmpl,
      node_call<mining::BlockTemplate>(
          context.access, [&miner](node::Node& node) -> RpcOr<mining::BlockTemplate> {
            // Without an address the template pays the node's own miner address, if it has one.
            const primitives::Address to = miner.value_or(node.mining_info().miner_address);
            if (to.is_zero()) {
              return RpcError{kRpcInvalidParameter,
                              "getblocktemplate: give a miner address (the node has none)"};
            }
            auto made = node.block_template(to);
            if (!made.is_ok()) return rpc_error_from_status(made.status());
            return std::move(made).value();
          }));
  const primitives::BlockHeader& h = tmpl.block.header;
  return json{{"hex", util::to_hex(primitives::encode_block(tmpl.block))},
              {"height", h.height},
              {"previousblockhash", hash_hex(h.parent)},
              {"bits", bits_hex(h.bits)},
              {"target", tmpl.target.to_hex()},
              {"time", h.time},
              {"miner", h.miner.to_string(context.params.network)},
              {"transactions", tmpl.block.txs.size()}};
}

RpcResult submitblock(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("submitblock", raw, {"hexdata"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const util::Bytes bytes, hex_param(params, 0));
  auto decoded = primitives::decode_block(bytes);
  if (!decoded.is_ok()) {
    return RpcError{kRpcDeserializationError,
                    fmt::format("Block decode failed: {}", decoded.status().message())};
  }
  const primitives::Block& block = *decoded;
  // As Bitcoin Core: null when accepted, the reason's name when the block breaks a rule; an
  // error only when the node could not judge it (its store failed).
  return node_call<json>(context.access, [&block](node::Node& node) -> RpcResult {
    auto verdict = node.submit_block(block);
    if (!verdict.is_ok()) return RpcError{kRpcVerifyError, verdict.status().message()};
    if (verdict->is_ok()) return json(nullptr);
    return json(std::string(consensus::reject_reason_name(verdict->reason())));
  });
}

RpcResult generatetoaddress(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("generatetoaddress", raw, {"nblocks", "address"}, 2));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::uint64_t count,
                            params.uint(0, std::numeric_limits<std::uint64_t>::max()));
  QPOW_RPC_ASSIGN_OR_RETURN(const primitives::Address to,
                            address_param(params, 1, context.params.network));
  if (context.params.network != primitives::Network::kRegtest) {
    return RpcError{kRpcMiscError, "generatetoaddress: only available on regtest"};
  }
  if (count == 0 || count > node::kGenerateCountMax) {
    return RpcError{kRpcInvalidParameter,
                    fmt::format("generatetoaddress: nblocks must be 1 to {}, got {}",
                                node::kGenerateCountMax, count)};
  }
  using Hashes = std::vector<crypto::Hash256>;
  QPOW_RPC_ASSIGN_OR_RETURN(
      const Hashes hashes,
      node_call<Hashes>(context.access, [&to, count](node::Node& node) -> RpcOr<Hashes> {
        auto mined = node.generate(to, static_cast<std::size_t>(count));
        if (!mined.is_ok()) return rpc_error_from_status(mined.status());
        return std::move(mined).value();
      }));
  json out = json::array();
  for (const crypto::Hash256& hash : hashes) out.push_back(hash_hex(hash));
  return out;
}

}  // namespace

void add_mining_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context) {
  dispatcher.add("getmininginfo", bind_method(context, getmininginfo));
  dispatcher.add("getblocktemplate", bind_method(context, getblocktemplate));
  dispatcher.add("submitblock", bind_method(context, submitblock));
  dispatcher.add("generatetoaddress", bind_method(context, generatetoaddress));
}

}  // namespace qpow::http
