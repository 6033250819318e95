// How the node's RPC methods show chain objects as JSON, and read them from parameters.
//
//   - hashes, roots, txids: lower-case hex of the 32 bytes in the order they are stored;
//   - addresses: bech32m of the node's network (primitives/address.h);
//   - amounts: two members, the integer in base units ("amount") and the decimal text in QPOW
//     ("amount_qpow", primitives/amount.h), so no client has to go through floating point;
//   - compact bits: 8 hex digits as Bitcoin shows them ("207fffff"); targets and chain work:
//     64 hex digits, most significant first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chain/chainstate.h"
#include "crypto/sha3.h"
#include "http/json_rpc.h"
#include "http/rpc_params.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "state/account.h"
#include "util/uint256.h"

namespace qpow::http {

std::string hash_hex(const crypto::Hash256& hash);
std::string bits_hex(std::uint32_t bits);
// The target `bits` encodes, or null when the bits do not encode one.
nlohmann::json target_json(std::uint32_t bits);
// Sets object[name] to the base units and object[name + "_qpow"] to the decimal text.
void set_amount(nlohmann::json& object, std::string_view name, std::uint64_t base_units);

// A 64-hex-digit hash parameter (-8 otherwise, as Bitcoin Core).
RpcOr<crypto::Hash256> hash_param(const RpcParams& params, std::size_t i);
// An address of `network` (-5 "Invalid address" otherwise).
RpcOr<primitives::Address> address_param(const RpcParams& params, std::size_t i,
                                         primitives::Network network);
// Hex of an encoded object (-22 when it is not hex).
RpcOr<util::Bytes> hex_param(const RpcParams& params, std::size_t i);

// A header's place in the chain, copied out of the node.
struct HeaderSnapshot {
  crypto::Hash256 hash{};
  primitives::BlockHeader header{};
  util::Uint256 chain_work{};
  std::uint64_t median_time = 0;
  std::int64_t confirmations = -1;           // -1: not on the active chain
  std::optional<crypto::Hash256> next = {};  // the active chain's next block
};
HeaderSnapshot snapshot_header(const chain::Chainstate& chainstate,
                               const chain::BlockIndexEntry& entry);

nlohmann::json header_json(const HeaderSnapshot& snapshot, primitives::Network network);
nlohmann::json tx_json(const primitives::Transaction& tx, primitives::Network network);
// verbosity 1: "tx" lists txids; 2: "tx" lists tx_json objects.
nlohmann::json block_json(const HeaderSnapshot& snapshot, const primitives::Block& block,
                          unsigned verbosity, primitives::Network network);
// An account as getaccount shows it; `account` nullopt: an address the chain has never seen.
nlohmann::json account_json(const primitives::Address& address,
                            const std::optional<state::Account>& account,
                            primitives::Network network);

}  // namespace qpow::http
