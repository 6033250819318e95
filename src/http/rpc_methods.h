// The node's JSON-RPC methods, named and shaped after Bitcoin Core's where one exists, so that
// existing habits and tools carry over. Every method reaches the node through NodeAccess::call
// (node::kDefaultNodeCallTimeoutMs), copies what it needs there and builds its JSON afterwards.
// JSON conventions (hex hashes, bech32m addresses, amounts as base units plus decimal text) are in
// rpc_json.h; parameters may be positional or named (rpc_params.h).
//
//   chain        getblockchaininfo, getblockcount, getbestblockhash, getblockhash(height),
//                getblock(blockhash, verbosity=1), getblockheader(blockhash, verbose=true)
//   transactions gettransaction(txid), getaccount(address), sendrawtransaction(hexstring),
//                getmempoolinfo, getrawmempool(verbose=false)
//   network      getpeerinfo, getnetworkinfo, addnode(node, command), disconnectnode(address,
//                nodeid), setnetworkactive(state), listbanned
//   mining       getmininginfo, getblocktemplate(address), submitblock(hexdata),
//                generatetoaddress(nblocks, address) (regtest only)
//   control      stop, uptime, help
//
// gettransaction has no transaction index to consult: it looks in the mempool, then in the
// active chain's last kTxLookupBlocksMax blocks, newest first, a few blocks per node call so the
// node is never held for the whole scan. An older transaction is reported as not found (-5).
#pragma once

#include <cstdint>
#include <memory>

#include "consensus/chain_params.h"
#include "http/json_rpc.h"
#include "node/node_access.h"

namespace qpow::http {

// Most blocks gettransaction reads back from the tip.
inline constexpr std::uint64_t kTxLookupBlocksMax = 1000;
// Blocks gettransaction reads per node call.
inline constexpr std::uint64_t kTxLookupBlocksPerCall = 50;

// The method table. `access` and `params` must outlive the dispatcher.
std::unique_ptr<JsonRpcDispatcher> make_node_methods(node::NodeAccess& access,
                                                     const consensus::ChainParams& params);

}  // namespace qpow::http
