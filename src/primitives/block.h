// Block headers and blocks (DESIGN §4), with their canonical encodings. docs/protocol.md gives
// the byte layouts and golden vectors.
//
// The header has a fixed 280-byte encoding with the 64-bit nonce last, which is exactly the input
// qhash takes (crypto/qhash.h): a miner absorbs the first 272 bytes once per template. The
// 48-byte `extra` field is free for the miner to roll when a nonce range runs out.
//
//   offset size field
//        0    4 version          u32
//        4    4 chain_id         u32
//        8    4 shard            u32
//       12    8 height           u64
//       20    8 time             u64 (seconds since 1970-01-01 UTC)
//       28    4 bits             u32 compact target
//       32   32 parent           block hash of the parent
//       64   32 tx_root          merkle_root(wtxids)
//       96   32 state_root       account state after this block (state/sparse_merkle_tree.h)
//      128   32 receipt_root     cross-shard receipts (merkle root of none until sharding)
//      160   32 finality_root    SHA3-256("qpow/finality/v1" || the block's finality section)
//      192   32 miner            address credited with subsidy and fees
//      224   48 extra            miner-chosen bytes
//      272    8 nonce            u64
//
// A block is the header, a CompactSize count and that many transactions, then the finality
// section as CompactSize-prefixed bytes (empty until the finality layer defines it; the header's
// finality_root commits to it either way).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/qhash.h"
#include "crypto/sha3.h"
#include "primitives/address.h"
#include "primitives/transaction.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::primitives {

inline constexpr std::size_t kHeaderBytes = crypto::kQhashHeaderBytes;  // 280
inline constexpr std::size_t kHeaderNonceOffset = crypto::kQhashNonceOffset;  // 272
inline constexpr std::size_t kHeaderExtraBytes = 48;
inline constexpr std::uint32_t kHeaderVersion = 1;
inline constexpr std::size_t kBlockBytesMax = 8 * 1024 * 1024;
inline constexpr std::size_t kBlockTxCountMax = 16384;
inline constexpr std::size_t kFinalityBytesMax = 64 * 1024;
inline constexpr std::string_view kBlockHashDomain = "qpow/block/v1";
inline constexpr std::string_view kFinalityDomain = "qpow/finality/v1";

using HeaderBytes = std::array<std::uint8_t, kHeaderBytes>;

struct BlockHeader {
  std::uint32_t version = kHeaderVersion;
  std::uint32_t chain_id = 0;
  std::uint32_t shard = 0;
  std::uint64_t height = 0;
  std::uint64_t time = 0;
  std::uint32_t bits = 0;
  Hash256 parent{};
  Hash256 tx_root{};
  Hash256 state_root{};
  Hash256 receipt_root{};
  Hash256 finality_root{};
  Address miner{};
  std::array<std::uint8_t, kHeaderExtraBytes> extra{};
  std::uint64_t nonce = 0;

  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

HeaderBytes encode_header(const BlockHeader& header);
// Exactly kHeaderBytes bytes; any version decodes (the version rule is validation's).
util::Result<BlockHeader> decode_header(util::ByteSpan data);

// The block hash: SHA3-256("qpow/block/v1" || header encoding). Ids, parent links and the
// fork-choice tie-break use it; proof of work uses qhash (consensus/pow.h).
Hash256 block_hash(const BlockHeader& header);

struct Block {
  BlockHeader header;
  std::vector<Transaction> txs;
  util::Bytes finality;

  friend bool operator==(const Block&, const Block&) = default;
};

util::Bytes encode_block(const Block& block);
// encode_block(block).size(), without encoding it.
std::size_t block_size(const Block& block);
// At most kBlockBytesMax bytes, kBlockTxCountMax transactions, kFinalityBytesMax finality bytes.
util::Result<Block> decode_block(util::ByteSpan data);

// merkle_root of the block's wtxids.
Hash256 compute_tx_root(const std::vector<Transaction>& txs);
Hash256 compute_finality_root(util::ByteSpan finality);
// The receipt root of a block with no cross-shard receipts: merkle_root of nothing.
Hash256 empty_receipt_root();

}  // namespace qpow::primitives
