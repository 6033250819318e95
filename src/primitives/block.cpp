#include "primitives/block.h"

#include <fmt/format.h>

#include "primitives/merkle.h"
#include "util/serialize.h"

namespace qpow::primitives {

HeaderBytes encode_header(const BlockHeader& h) {
  util::Writer w;
  w.u32(h.version);
  w.u32(h.chain_id);
  w.u32(h.shard);
  w.u64(h.height);
  w.u64(h.time);
  w.u32(h.bits);
  w.bytes(h.parent);
  w.bytes(h.tx_root);
  w.bytes(h.state_root);
  w.bytes(h.receipt_root);
  w.bytes(h.finality_root);
  w.bytes(h.miner.bytes);
  w.bytes(h.extra);
  w.u64(h.nonce);
  QPOW_ASSERT(w.size() == kHeaderBytes);
  HeaderBytes out;
  std::copy(w.data().begin(), w.data().end(), out.begin());
  return out;
}

util::Result<BlockHeader> decode_header(util::ByteSpan data) {
  if (data.size() != kHeaderBytes) {
    return util::Status::malformed(
        fmt::format("header: {} bytes, a header is exactly {}", data.size(), kHeaderBytes));
  }
  util::Reader r(data, "header");
  BlockHeader h;
  QPOW_ASSIGN_OR_RETURN(h.version, r.u32("version"));
  QPOW_ASSIGN_OR_RETURN(h.chain_id, r.u32("chain_id"));
  QPOW_ASSIGN_OR_RETURN(h.shard, r.u32("shard"));
  QPOW_ASSIGN_OR_RETURN(h.height, r.u64("height"));
  QPOW_ASSIGN_OR_RETURN(h.time, r.u64("time"));
  QPOW_ASSIGN_OR_RETURN(h.bits, r.u32("bits"));
  QPOW_RETURN_IF_ERROR(r.bytes_into("parent", h.parent));
  QPOW_RETURN_IF_ERROR(r.bytes_into("tx_root", h.tx_root));
  QPOW_RETURN_IF_ERROR(r.bytes_into("state_root", h.state_root));
  QPOW_RETURN_IF_ERROR(r.bytes_into("receipt_root", h.receipt_root));
  QPOW_RETURN_IF_ERROR(r.bytes_into("finality_root", h.finality_root));
  QPOW_RETURN_IF_ERROR(r.bytes_into("miner", h.miner.bytes));
  QPOW_RETURN_IF_ERROR(r.bytes_into("extra", h.extra));
  QPOW_ASSIGN_OR_RETURN(h.nonce, r.u64("nonce"));
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return h;
}

Hash256 block_hash(const BlockHeader& header) {
  const HeaderBytes bytes = encode_header(header);
  return crypto::Sha3_256().absorb(util::as_bytes(kBlockHashDomain)).absorb(bytes).finalize();
}

util::Bytes encode_block(const Block& block) {
  util::Writer w;
  w.bytes(encode_header(block.header));
  w.compact_size(block.txs.size());
  for (const Transaction& tx : block.txs) write_tx(w, tx);
  w.var_bytes(block.finality);
  return std::move(w).take();
}

std::size_t block_size(const Block& block) {
  std::size_t size = kHeaderBytes + util::compact_size_bytes(block.txs.size());
  for (const Transaction& tx : block.txs) size += tx_size(tx);
  return size + util::compact_size_bytes(block.finality.size()) + block.finality.size();
}

util::Result<Block> decode_block(util::ByteSpan data) {
  if (data.size() > kBlockBytesMax) {
    return util::Status::out_of_range(
        fmt::format("block: {} bytes, the limit is {}", data.size(), kBlockBytesMax));
  }
  util::Reader r(data, "block");
  Block block;
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan header_bytes, r.bytes("header", kHeaderBytes));
  QPOW_ASSIGN_OR_RETURN(block.header, decode_header(header_bytes));
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t count, r.compact_size("tx_count", kBlockTxCountMax));
  // Every transaction is at least ~120 bytes, so `count` is also bounded by what is left; reserve
  // no more than the remaining bytes could hold.
  block.txs.reserve(std::min<std::uint64_t>(count, r.remaining() / 64));
  for (std::uint64_t i = 0; i < count; ++i) {
    auto tx = read_tx(r);
    if (!tx.is_ok()) return tx.status().with_context(fmt::format("block.txs[{}]", i));
    block.txs.push_back(std::move(tx).value());
  }
  QPOW_ASSIGN_OR_RETURN(block.finality, r.var_bytes("finality", kFinalityBytesMax));
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return block;
}

Hash256 compute_tx_root(const std::vector<Transaction>& txs) {
  std::vector<Hash256> ids;
  ids.reserve(txs.size());
  for (const Transaction& tx : txs) ids.push_back(wtxid(tx));
  return merkle_root(ids);
}

Hash256 compute_finality_root(util::ByteSpan finality) {
  return crypto::Sha3_256().absorb(util::as_bytes(kFinalityDomain)).absorb(finality).finalize();
}

Hash256 empty_receipt_root() { return merkle_root({}); }

}  // namespace qpow::primitives
