// How the chain layer lays its data out in the store (DESIGN §4):
//
//   column   key               value
//   headers  block hash (32)   header (280) || status (u8)
//   blocks   block hash (32)   encode_block()
//   undo     block hash (32)   the accounts the block changed, with their values before it
//   state    (state layer)     sparse Merkle tree nodes and account records
//   meta     "tip"             hash of the block the state corresponds to
//   meta     "version"         the chain data format (u32)
//
// A block is connected in one synced WriteBatch holding its state writes, its undo record, its
// status and the new tip, so after a crash the tip and the state always agree: no repair step.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/sha3.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "state/account.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::chain {

inline constexpr std::string_view kTipKey = "tip";
inline constexpr std::string_view kFormatKey = "version";
inline constexpr std::uint32_t kChainFormatVersion = 1;
// An undo record lists at most every account a maximal block can touch: two per transaction
// plus the miner.
inline constexpr std::size_t kUndoEntriesMax = 2 * primitives::kBlockTxCountMax + 1;

// Validation status bits of a block index entry.
enum BlockStatus : std::uint8_t {
  kHaveData = 1 << 0,      // the block's transactions are stored
  kConnected = 1 << 1,     // has been connected at least once: fully valid
  kFailed = 1 << 2,        // the block itself broke a rule
  kFailedParent = 1 << 3,  // descends from a failed block
};

struct HeaderRecord {
  primitives::BlockHeader header;
  std::uint8_t status = 0;
};

util::Bytes encode_header_record(const HeaderRecord& record);
util::Result<HeaderRecord> decode_header_record(util::ByteSpan data);

// Each account the block touched, with its value before the block (nullopt: it did not exist).
using UndoRecord = std::vector<std::pair<primitives::Address, std::optional<state::Account>>>;

util::Result<util::Bytes> encode_undo(const UndoRecord& undo);
util::Result<UndoRecord> decode_undo(util::ByteSpan data);

}  // namespace qpow::chain
