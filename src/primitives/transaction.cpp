#include "primitives/transaction.h"

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::primitives {
namespace {

// The largest public key and signature of any registered scheme: the decoding bounds.
std::size_t max_public_key_bytes() {
  std::size_t m = 0;
  for (const auto& s : crypto::all_schemes()) m = std::max(m, s.public_key_bytes);
  return m;
}
std::size_t max_signature_bytes() {
  std::size_t m = 0;
  for (const auto& s : crypto::all_schemes()) m = std::max(m, s.signature_bytes);
  return m;
}

void write_body(util::Writer& w, const Transaction& tx) {
  w.u8(tx.version);
  w.u32(tx.chain_id);
  w.u32(tx.shard);
  w.u8(static_cast<std::uint8_t>(tx.kind));
  w.bytes(tx.sender.bytes);
  w.u64(tx.nonce);
  w.bytes(tx.recipient.bytes);
  w.u64(tx.amount);
  w.u64(tx.fee);
  w.var_bytes(tx.memo);
  if (tx.kind == TxKind::kKeyRotation) {
    QPOW_ASSERT(tx.rotation.has_value());
    const KeyRotation& rot = *tx.rotation;
    w.u8(static_cast<std::uint8_t>(rot.scheme));
    w.var_bytes(rot.public_key);
    w.u8(rot.next_key_commitment ? 1 : 0);
    if (rot.next_key_commitment) w.bytes(*rot.next_key_commitment);
  }
}

util::Result<const crypto::SchemeInfo*> read_scheme(util::Reader& r, std::string_view field) {
  const std::size_t at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t id, r.u8(field));
  auto info = crypto::find_scheme(id);
  if (!info.is_ok()) {
    return util::Status::malformed(
        fmt::format("tx.{}: unknown signature scheme 0x{:02x} at offset {}", field, id, at));
  }
  return info;
}

util::Result<Address> read_address(util::Reader& r, std::string_view field) {
  Address a;
  QPOW_RETURN_IF_ERROR(r.bytes_into(field, a.bytes));
  return a;
}

util::Result<bool> read_flag(util::Reader& r, std::string_view field) {
  const std::size_t at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t v, r.u8(field));
  if (v > 1) {
    return util::Status::malformed(
        fmt::format("tx.{}: flag must be 0 or 1, got {} at offset {}", field, v, at));
  }
  return v == 1;
}

util::Result<KeyRotation> read_rotation(util::Reader& r) {
  KeyRotation rot;
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeInfo* info, read_scheme(r, "rotation.scheme"));
  rot.scheme = info->id;
  const std::size_t at = r.offset();
  QPOW_ASSIGN_OR_RETURN(rot.public_key, r.var_bytes("rotation.public_key", max_public_key_bytes()));
  if (rot.public_key.size() != info->public_key_bytes) {
    return util::Status::malformed(
        fmt::format("tx.rotation.public_key: {} bytes at offset {}, {} takes {}",
                    rot.public_key.size(), at, info->name, info->public_key_bytes));
  }
  QPOW_ASSIGN_OR_RETURN(const bool has_commitment, read_flag(r, "rotation.has_next_key"));
  if (has_commitment) {
    Hash256 c;
    QPOW_RETURN_IF_ERROR(r.bytes_into("rotation.next_key_commitment", c));
    rot.next_key_commitment = c;
  }
  return rot;
}

util::Status read_body(util::Reader& r, Transaction& tx) {
  const std::size_t version_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(tx.version, r.u8("version"));
  if (tx.version != kTxVersion) {
    return util::Status::malformed(fmt::format("tx.version: {} at offset {} is not supported "
                                               "(this node knows version {})",
                                               tx.version, version_at, kTxVersion));
  }
  QPOW_ASSIGN_OR_RETURN(tx.chain_id, r.u32("chain_id"));
  QPOW_ASSIGN_OR_RETURN(tx.shard, r.u32("shard"));
  const std::size_t kind_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t kind, r.u8("kind"));
  if (kind > static_cast<std::uint8_t>(TxKind::kKeyRotation)) {
    return util::Status::malformed(
        fmt::format("tx.kind: {} at offset {} is reserved (0 transfer, 1 key rotation)", kind,
                    kind_at));
  }
  tx.kind = static_cast<TxKind>(kind);
  QPOW_ASSIGN_OR_RETURN(tx.sender, read_address(r, "sender"));
  QPOW_ASSIGN_OR_RETURN(tx.nonce, r.u64("nonce"));
  QPOW_ASSIGN_OR_RETURN(tx.recipient, read_address(r, "recipient"));
  QPOW_ASSIGN_OR_RETURN(tx.amount, r.u64("amount"));
  QPOW_ASSIGN_OR_RETURN(tx.fee, r.u64("fee"));
  QPOW_ASSIGN_OR_RETURN(tx.memo, r.var_bytes("memo", kTxMemoBytesMax));
  if (tx.kind == TxKind::kKeyRotation) {
    QPOW_ASSIGN_OR_RETURN(tx.rotation, read_rotation(r));
  } else {
    tx.rotation.reset();
  }
  return util::Status::ok();
}

util::Status read_witness(util::Reader& r, TxWitness& wit) {
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeInfo* info, read_scheme(r, "witness.scheme"));
  wit.scheme = info->id;
  const std::size_t pk_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(wit.public_key, r.var_bytes("witness.public_key", max_public_key_bytes()));
  if (!wit.public_key.empty() && wit.public_key.size() != info->public_key_bytes) {
    return util::Status::malformed(
        fmt::format("tx.witness.public_key: {} bytes at offset {}, {} takes {} (or 0)",
                    wit.public_key.size(), pk_at, info->name, info->public_key_bytes));
  }
  const std::size_t sig_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(wit.signature, r.var_bytes("witness.signature", max_signature_bytes()));
  if (wit.signature.size() != info->signature_bytes) {
    return util::Status::malformed(
        fmt::format("tx.witness.signature: {} bytes at offset {}, {} takes {}",
                    wit.signature.size(), sig_at, info->name, info->signature_bytes));
  }
  return util::Status::ok();
}

Hash256 tagged_hash(std::string_view domain, util::ByteSpan data) {
  return crypto::Sha3_256().absorb(util::as_bytes(domain)).absorb(data).finalize();
}

}  // namespace

util::Bytes encode_tx_body(const Transaction& tx) {
  util::Writer w;
  write_body(w, tx);
  return std::move(w).take();
}

void write_tx(util::Writer& w, const Transaction& tx) {
  write_body(w, tx);
  w.u8(static_cast<std::uint8_t>(tx.witness.scheme));
  w.var_bytes(tx.witness.public_key);
  w.var_bytes(tx.witness.signature);
}

util::Bytes encode_tx(const Transaction& tx) {
  util::Writer w;
  write_tx(w, tx);
  return std::move(w).take();
}

util::Result<Transaction> read_tx(util::Reader& r) {
  const std::size_t start = r.offset();
  Transaction tx;
  QPOW_RETURN_IF_ERROR(read_body(r, tx));
  QPOW_RETURN_IF_ERROR(read_witness(r, tx.witness));
  if (r.offset() - start > kTxBytesMax) {
    return util::Status::out_of_range(fmt::format(
        "tx: {} bytes at offset {}, the limit is {}", r.offset() - start, start, kTxBytesMax));
  }
  return tx;
}

util::Result<Transaction> decode_tx(util::ByteSpan data) {
  if (data.size() > kTxBytesMax) {
    return util::Status::out_of_range(
        fmt::format("tx: {} bytes, the limit is {}", data.size(), kTxBytesMax));
  }
  util::Reader r(data, "tx");
  QPOW_ASSIGN_OR_RETURN(Transaction tx, read_tx(r));
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return tx;
}

Hash256 txid(const Transaction& tx) { return tagged_hash(kTxidDomain, encode_tx_body(tx)); }

Hash256 wtxid(const Transaction& tx) { return tagged_hash(kWtxidDomain, encode_tx(tx)); }

std::size_t tx_size(const Transaction& tx) {
  // Computed from the field sizes rather than by encoding: validation and the mempool ask for it
  // for every transaction (fee floor, fee rate, block size).
  constexpr std::size_t kFixedBody = 1 + 4 + 4 + 1 + kAddressBytes + 8 + kAddressBytes + 8 + 8;
  auto var = [](std::size_t n) { return util::compact_size_bytes(n) + n; };
  std::size_t size = kFixedBody + var(tx.memo.size());
  if (tx.kind == TxKind::kKeyRotation) {
    QPOW_ASSERT(tx.rotation.has_value());
    size += 1 + var(tx.rotation->public_key.size()) + 1 +
            (tx.rotation->next_key_commitment ? sizeof(Hash256) : 0);
  }
  return size + 1 + var(tx.witness.public_key.size()) + var(tx.witness.signature.size());
}

util::Status sign_tx(Transaction& tx, const TxSigner& signer) {
  const Hash256 id = txid(tx);
  auto sig = crypto::sign(signer.scheme, signer.secret_key, id,
                          {.ctx = util::as_bytes(kTxSignatureContext), .mode = signer.mode, .rnd = {}});
  if (!sig.is_ok()) return sig.status().with_context("sign_tx");
  tx.witness.scheme = signer.scheme;
  tx.witness.public_key =
      signer.include_public_key ? util::to_bytes(signer.public_key) : util::Bytes{};
  tx.witness.signature = std::move(sig).value();
  return util::Status::ok();
}

bool verify_tx_signature(const Transaction& tx, crypto::SchemeId scheme,
                         util::ByteSpan public_key) {
  if (tx.witness.scheme != scheme) return false;
  const Hash256 id = txid(tx);
  auto ok = crypto::verify(scheme, public_key, id, tx.witness.signature,
                           util::as_bytes(kTxSignatureContext));
  return ok.is_ok() && ok.value();
}

std::string_view tx_kind_name(TxKind kind) {
  switch (kind) {
    case TxKind::kTransfer: return "transfer";
    case TxKind::kKeyRotation: return "key-rotation";
  }
  QPOW_UNREACHABLE();
}

}  // namespace qpow::primitives
