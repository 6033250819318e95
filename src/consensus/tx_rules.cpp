#include "consensus/tx_rules.h"

#include <fmt/format.h>

#include "primitives/key_commitment.h"
#include "util/assert.h"

namespace qpow::consensus {
namespace {

using primitives::Transaction;
using primitives::TxKind;

Verdict check_kind_fields(const Transaction& tx) {
  if (tx.kind == TxKind::kTransfer) {
    if (tx.rotation)
      return Verdict::reject(RejectReason::kTxBadKind, "transfer with rotation fields");
    if (tx.recipient.is_zero()) {
      return Verdict::reject(RejectReason::kTxBadKind, "transfer to the all-zero address");
    }
    return Verdict::ok();
  }
  if (!tx.rotation) return Verdict::reject(RejectReason::kTxBadKind, "rotation without a new key");
  if (!tx.recipient.is_zero() || tx.amount != 0) {
    return Verdict::reject(RejectReason::kTxBadKind,
                           "a rotation has no recipient and moves no amount");
  }
  return Verdict::ok();
}

// The key the witness must sign with before any rotation rule applies.
Verdict resolve_current_key(const Transaction& tx, const SenderState& sender, AccountKey& key) {
  if (sender.key) {
    if (!tx.witness.public_key.empty()) {
      return Verdict::reject(RejectReason::kTxUnexpectedKey,
                             "witness carries a public key but the sender's key is on chain");
    }
    key = *sender.key;
    return Verdict::ok();
  }
  if (tx.witness.public_key.empty()) {
    return Verdict::reject(RejectReason::kTxMissingKey,
                           "the sender has no key on chain and the witness carries none");
  }
  const auto derived =
      primitives::Address::from_public_key(tx.witness.scheme, tx.witness.public_key);
  if (derived != tx.sender) {
    return Verdict::reject(RejectReason::kTxKeyMismatch,
                           "the witness public key's address is not the sender");
  }
  key = AccountKey::from_public_key(tx.witness.scheme, tx.witness.public_key);
  return Verdict::ok();
}

}  // namespace

std::uint64_t min_fee(const ChainParams& params, std::size_t tx_bytes) {
  return params.min_fee_per_byte * static_cast<std::uint64_t>(tx_bytes);
}

Verdict check_tx_standalone(const Transaction& tx, const ChainParams& params) {
  if (tx.chain_id != params.chain_id) {
    return Verdict::reject(
        RejectReason::kTxWrongChain,
        fmt::format("tx.chain_id {} on a network with chain id {}", tx.chain_id, params.chain_id));
  }
  if (tx.shard >= params.shard_count) {
    return Verdict::reject(
        RejectReason::kTxWrongShard,
        fmt::format("tx.shard {} (this network has {} shard(s))", tx.shard, params.shard_count));
  }
  QPOW_RETURN_IF_REJECTED(check_kind_fields(tx));
  if (tx.amount > UINT64_MAX - tx.fee) {
    return Verdict::reject(RejectReason::kTxAmountOverflow, "tx.amount + tx.fee overflows");
  }
  const std::size_t size = primitives::tx_size(tx);
  if (tx.fee < min_fee(params, size)) {
    return Verdict::reject(RejectReason::kTxFeeTooLow,
                           fmt::format("tx.fee {} is below the minimum {} for {} bytes", tx.fee,
                                       min_fee(params, size), size));
  }
  return Verdict::ok();
}

Verdict check_tx_against_sender(const Transaction& tx, const SenderState& sender,
                                AccountKey& signing_key) {
  if (tx.nonce != sender.nonce) {
    return Verdict::reject(
        RejectReason::kTxBadNonce,
        fmt::format("tx.nonce {} but the sender's next nonce is {}", tx.nonce, sender.nonce));
  }
  if (sender.nonce == UINT64_MAX) {
    return Verdict::reject(RejectReason::kTxBadNonce, "the sender's nonce is exhausted");
  }
  const std::uint64_t cost = tx.amount + tx.fee;  // checked by check_tx_standalone
  if (sender.balance < cost) {
    return Verdict::reject(
        RejectReason::kTxInsufficientFunds,
        fmt::format("the sender has {} and the transaction costs {}", sender.balance, cost));
  }
  AccountKey current;
  QPOW_RETURN_IF_REJECTED(resolve_current_key(tx, sender, current));
  signing_key = current;
  if (tx.kind == TxKind::kKeyRotation && sender.next_key_commitment) {
    const primitives::KeyRotation& rot = *tx.rotation;
    AccountKey next = AccountKey::from_public_key(rot.scheme, rot.public_key);
    if (next.commitment() != *sender.next_key_commitment) {
      return Verdict::reject(RejectReason::kTxBadRotation,
                             "the new key does not match the account's pre-rotation commitment");
    }
    signing_key = std::move(next);
  }
  if (tx.witness.scheme != signing_key.scheme()) {
    return Verdict::reject(RejectReason::kTxKeyMismatch,
                           fmt::format("witness scheme 0x{:02x} but the signing key is 0x{:02x}",
                                       static_cast<unsigned>(tx.witness.scheme),
                                       static_cast<unsigned>(signing_key.scheme())));
  }
  return Verdict::ok();
}

SenderState sender_after(const Transaction& tx, const SenderState& sender,
                         const AccountKey& signing_key) {
  SenderState next = sender;
  QPOW_ASSERT(sender.balance >= tx.amount + tx.fee);
  next.balance -= tx.amount + tx.fee;
  next.nonce += 1;
  if (!next.key) next.key = signing_key;
  if (tx.kind == TxKind::kKeyRotation) {
    // With a pre-rotation commitment the new key is the signing key, already checked against it.
    next.key = sender.next_key_commitment
                   ? signing_key
                   : AccountKey::from_public_key(tx.rotation->scheme, tx.rotation->public_key);
    next.next_key_commitment = tx.rotation->next_key_commitment;
  }
  return next;
}

Verdict check_tx_signature(const Transaction& tx, const AccountKey& signing_key) {
  if (!primitives::verify_tx_signature(tx, signing_key.scheme(), signing_key.public_key())) {
    return Verdict::reject(RejectReason::kTxBadSignature,
                           "the witness signature does not verify under the sender's key");
  }
  return Verdict::ok();
}

Verdict credit(std::uint64_t& balance, std::uint64_t amount) {
  if (balance > UINT64_MAX - amount) {
    return Verdict::reject(RejectReason::kTxAmountOverflow, "a balance would pass 2^64 - 1");
  }
  balance += amount;
  return Verdict::ok();
}

}  // namespace qpow::consensus
