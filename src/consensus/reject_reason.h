// Why a block, header or transaction is invalid, as a typed value (STYLE: "An invalid block or
// transaction carries a typed RejectReason, which peer scoring maps to ignore, disconnect or
// ban", as Bitcoin Core's BlockValidationResult). Every rule in consensus/ returns a Verdict:
// success, or a reason plus a message that says exactly what was wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qpow::consensus {

enum class RejectReason : std::uint8_t {
  kNone = 0,
  // Encoding and size
  kMalformed,         // bytes that do not decode
  kBlockTooLarge,     // over kBlockBytesMax or kBlockTxCountMax
  // Header
  kBadVersion,
  kBadChainId,
  kBadShard,
  kBadHeight,         // not parent height + 1
  kTimeTooOld,        // not above the median of the last 11 blocks
  kTimeTooNew,        // more than 2 hours past the node's adjusted time (may become valid later)
  kBadDifficulty,     // bits differ from what ASERT gives
  kHighHash,          // qhash(header) above the target
  kBadTxRoot,
  kBadStateRoot,
  kBadReceiptRoot,
  kBadFinality,
  // Chain context
  kUnknownParent,     // the parent is not known (not invalid: fetch it)
  kInvalidAncestor,   // descends from a block already found invalid
  kCheckpointMismatch,
  // Transactions
  kTxWrongChain,      // chain id of another network
  kTxWrongShard,
  kTxBadKind,         // rotation fields on a transfer, a transfer to nobody, ...
  kTxDuplicate,       // the same txid twice in one block
  kTxBadNonce,        // not exactly the account's next nonce
  kTxInsufficientFunds,
  kTxFeeTooLow,
  kTxAmountOverflow,  // amount + fee, or a credit, past 2^64 - 1
  kTxMissingKey,      // the sender has no key on chain and the witness carries none
  kTxUnexpectedKey,   // the witness carries a key the chain already knows
  kTxKeyMismatch,     // the witness key does not belong to the sender's address / account
  kTxBadSignature,
  kTxBadRotation,     // a rotation that breaks the pre-rotation commitment
};

// What a peer that sent an object rejected for this reason deserves.
enum class PeerPenalty : std::uint8_t {
  kNone,        // not the peer's fault or may be valid later (unknown parent, time too new)
  kDisconnect,  // could be an honest peer on an old version or a different view
  kBan,         // only a broken or malicious peer sends this (bad PoW, bad signature, ...)
};

enum class RejectedObject : std::uint8_t { kBlock, kLooseTx };

std::string_view reject_reason_name(RejectReason reason);
// A relayed transaction can go stale between peers (its nonce used, its funds spent) without
// anyone misbehaving; inside a block the same failure proves the block's author broke the rules.
PeerPenalty peer_penalty(RejectReason reason, RejectedObject object);

// The outcome of a validity rule.
class [[nodiscard]] Verdict {
 public:
  Verdict() = default;
  static Verdict ok() { return Verdict(); }
  static Verdict reject(RejectReason reason, std::string message) {
    Verdict v;
    v.reason_ = reason;
    v.message_ = std::move(message);
    return v;
  }

  bool is_ok() const { return reason_ == RejectReason::kNone; }
  RejectReason reason() const { return reason_; }
  const std::string& message() const { return message_; }
  // "<reason name>: <message>", or "ok".
  std::string to_string() const;

 private:
  RejectReason reason_ = RejectReason::kNone;
  std::string message_;
};

#define QPOW_RETURN_IF_REJECTED(expr)         \
  do {                                        \
    ::qpow::consensus::Verdict verdict_ = (expr); \
    if (!verdict_.is_ok()) return verdict_;   \
  } while (false)

}  // namespace qpow::consensus
