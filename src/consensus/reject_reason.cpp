#include "consensus/reject_reason.h"

#include "util/assert.h"

namespace qpow::consensus {

std::string_view reject_reason_name(RejectReason reason) {
  switch (reason) {
    case RejectReason::kNone: return "none";
    case RejectReason::kMalformed: return "malformed";
    case RejectReason::kBlockTooLarge: return "block-too-large";
    case RejectReason::kBadVersion: return "bad-version";
    case RejectReason::kBadChainId: return "bad-chain-id";
    case RejectReason::kBadShard: return "bad-shard";
    case RejectReason::kBadHeight: return "bad-height";
    case RejectReason::kTimeTooOld: return "time-too-old";
    case RejectReason::kTimeTooNew: return "time-too-new";
    case RejectReason::kBadDifficulty: return "bad-difficulty";
    case RejectReason::kHighHash: return "high-hash";
    case RejectReason::kBadTxRoot: return "bad-tx-root";
    case RejectReason::kBadStateRoot: return "bad-state-root";
    case RejectReason::kBadReceiptRoot: return "bad-receipt-root";
    case RejectReason::kBadFinality: return "bad-finality";
    case RejectReason::kUnknownParent: return "unknown-parent";
    case RejectReason::kInvalidAncestor: return "invalid-ancestor";
    case RejectReason::kCheckpointMismatch: return "checkpoint-mismatch";
    case RejectReason::kTxWrongChain: return "tx-wrong-chain";
    case RejectReason::kTxWrongShard: return "tx-wrong-shard";
    case RejectReason::kTxBadKind: return "tx-bad-kind";
    case RejectReason::kTxDuplicate: return "tx-duplicate";
    case RejectReason::kTxBadNonce: return "tx-bad-nonce";
    case RejectReason::kTxInsufficientFunds: return "tx-insufficient-funds";
    case RejectReason::kTxFeeTooLow: return "tx-fee-too-low";
    case RejectReason::kTxAmountOverflow: return "tx-amount-overflow";
    case RejectReason::kTxMissingKey: return "tx-missing-key";
    case RejectReason::kTxUnexpectedKey: return "tx-unexpected-key";
    case RejectReason::kTxKeyMismatch: return "tx-key-mismatch";
    case RejectReason::kTxBadSignature: return "tx-bad-signature";
    case RejectReason::kTxBadRotation: return "tx-bad-rotation";
  }
  QPOW_UNREACHABLE();
}

PeerPenalty peer_penalty(RejectReason reason, RejectedObject object) {
  switch (reason) {
    case RejectReason::kNone:
    case RejectReason::kUnknownParent:
    case RejectReason::kTimeTooNew:
      return PeerPenalty::kNone;
    case RejectReason::kCheckpointMismatch:
      return PeerPenalty::kDisconnect;
    case RejectReason::kTxBadNonce:
    case RejectReason::kTxInsufficientFunds:
    case RejectReason::kTxFeeTooLow:
      return object == RejectedObject::kLooseTx ? PeerPenalty::kNone : PeerPenalty::kBan;
    default:
      return PeerPenalty::kBan;
  }
}

std::string Verdict::to_string() const {
  if (is_ok()) return "ok";
  return std::string(reject_reason_name(reason_)) + ": " + message_;
}

}  // namespace qpow::consensus
