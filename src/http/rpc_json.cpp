#include "http/rpc_json.h"

#include <fmt/format.h>

#include "consensus/compact_target.h"
#include "crypto/signature_scheme.h"
#include "primitives/amount.h"
#include "util/hex.h"

namespace qpow::http {

using nlohmann::json;

std::string hash_hex(const crypto::Hash256& hash) {
  return util::to_hex(hash);
}

std::string bits_hex(std::uint32_t bits) {
  return fmt::format("{:08x}", bits);
}

json target_json(std::uint32_t bits) {
  auto target = consensus::target_from_bits(bits);
  if (!target.is_ok()) return nullptr;
  return target->to_hex();
}

void set_amount(json& object, std::string_view name, std::uint64_t base_units) {
  object[std::string(name)] = base_units;
  object[fmt::format("{}_qpow", name)] = primitives::format_amount(base_units);
}

RpcOr<crypto::Hash256> hash_param(const RpcParams& params, std::size_t i) {
  QPOW_RPC_ASSIGN_OR_RETURN(const std::string text, params.string(i));
  crypto::Hash256 hash{};
  const util::Status status = util::from_hex_exact(text, hash);
  if (!status.is_ok()) {
    RpcError error = params.invalid(i, "must be 64 hex digits: " + status.message());
    error.code = kRpcInvalidParameter;
    return error;
  }
  return hash;
}

RpcOr<primitives::Address> address_param(const RpcParams& params, std::size_t i,
                                         primitives::Network network) {
  QPOW_RPC_ASSIGN_OR_RETURN(const std::string text, params.string(i));
  auto address = primitives::parse_address(text, network);
  if (!address.is_ok()) {
    return RpcError{kRpcInvalidAddressOrKey,
                    fmt::format("Invalid address: {}", address.status().message())};
  }
  return *address;
}

RpcOr<util::Bytes> hex_param(const RpcParams& params, std::size_t i) {
  QPOW_RPC_ASSIGN_OR_RETURN(const std::string text, params.string(i));
  auto bytes = util::from_hex(text);
  if (!bytes.is_ok()) {
    RpcError error = params.invalid(i, "must be hex: " + bytes.status().message());
    error.code = kRpcDeserializationError;
    return error;
  }
  return std::move(bytes).value();
}

HeaderSnapshot snapshot_header(const chain::Chainstate& chainstate,
                               const chain::BlockIndexEntry& entry) {
  HeaderSnapshot snapshot{.hash = entry.hash,
                          .header = entry.header,
                          .chain_work = entry.chain_work,
                          .median_time = chain::BlockIndex::median_time_past(&entry)};
  if (chainstate.is_active(entry)) {
    const std::uint64_t tip = chainstate.tip().height();
    snapshot.confirmations = static_cast<std::int64_t>(tip - entry.height() + 1);
    if (const chain::BlockIndexEntry* next = chainstate.active_at(entry.height() + 1)) {
      snapshot.next = next->hash;
    }
  }
  return snapshot;
}

json header_json(const HeaderSnapshot& s, primitives::Network network) {
  const primitives::BlockHeader& h = s.header;
  json out{{"hash", hash_hex(s.hash)},
           {"confirmations", s.confirmations},
           {"height", h.height},
           {"version", h.version},
           {"chain_id", h.chain_id},
           {"shard", h.shard},
           {"time", h.time},
           {"mediantime", s.median_time},
           {"bits", bits_hex(h.bits)},
           {"target", target_json(h.bits)},
           {"chainwork", s.chain_work.to_hex()},
           {"nonce", h.nonce},
           {"tx_root", hash_hex(h.tx_root)},
           {"state_root", hash_hex(h.state_root)},
           {"receipt_root", hash_hex(h.receipt_root)},
           {"finality_root", hash_hex(h.finality_root)},
           {"miner", h.miner.to_string(network)},
           {"extra", util::to_hex(h.extra)}};
  // As Bitcoin Core: genesis has no previousblockhash, the tip no nextblockhash.
  if (h.height > 0) out["previousblockhash"] = hash_hex(h.parent);
  if (s.next) out["nextblockhash"] = hash_hex(*s.next);
  return out;
}

json tx_json(const primitives::Transaction& tx, primitives::Network network) {
  json out{{"txid", hash_hex(primitives::txid(tx))},
           {"wtxid", hash_hex(primitives::wtxid(tx))},
           {"version", tx.version},
           {"chain_id", tx.chain_id},
           {"shard", tx.shard},
           {"kind", primitives::tx_kind_name(tx.kind)},
           {"sender", tx.sender.to_string(network)},
           {"nonce", tx.nonce},
           {"size", primitives::tx_size(tx)},
           {"memo", util::to_hex(tx.memo)}};
  out["recipient"] = tx.recipient.is_zero() ? json(nullptr) : json(tx.recipient.to_string(network));
  set_amount(out, "amount", tx.amount);
  set_amount(out, "fee", tx.fee);
  if (tx.rotation) {
    const primitives::KeyRotation& r = *tx.rotation;
    out["rotation"] =
        json{{"scheme", crypto::scheme_info(r.scheme).name},
             {"public_key", util::to_hex(r.public_key)},
             {"next_key_commitment",
              r.next_key_commitment ? json(hash_hex(*r.next_key_commitment)) : json(nullptr)}};
  }
  const primitives::TxWitness& w = tx.witness;
  out["witness"] =
      json{{"scheme", crypto::scheme_info(w.scheme).name},
           {"public_key", w.public_key.empty() ? json(nullptr) : json(util::to_hex(w.public_key))},
           {"signature_bytes", w.signature.size()}};
  return out;
}

json block_json(const HeaderSnapshot& snapshot, const primitives::Block& block, unsigned verbosity,
                primitives::Network network) {
  json out = header_json(snapshot, network);
  out["size"] = primitives::block_size(block);
  out["tx_count"] = block.txs.size();
  out["finality"] = util::to_hex(block.finality);
  json txs = json::array();
  for (const primitives::Transaction& tx : block.txs) {
    txs.push_back(verbosity >= 2 ? tx_json(tx, network) : json(hash_hex(primitives::txid(tx))));
  }
  out["tx"] = std::move(txs);
  return out;
}

json account_json(const primitives::Address& address, const std::optional<state::Account>& account,
                  primitives::Network network) {
  const state::Account a = account.value_or(state::Account{});
  json out{
      {"address", address.to_string(network)}, {"exists", account.has_value()}, {"nonce", a.nonce}};
  set_amount(out, "balance", a.balance);
  out["key"] = nullptr;
  if (a.key) {
    out["key"] = json{{"scheme", crypto::scheme_info(a.key->scheme()).name},
                      {"public_key", util::to_hex(a.key->public_key())},
                      {"commitment", hash_hex(a.key->commitment())}};
  }
  out["next_key_commitment"] =
      a.next_key_commitment ? json(hash_hex(*a.next_key_commitment)) : json(nullptr);
  return out;
}

}  // namespace qpow::http
