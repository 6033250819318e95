// Transaction validity rules as pure functions.
//
// check_tx_standalone looks at the transaction alone (chain id, shard, kind fields, fee floor,
// overflow). check_tx_against_sender adds the sender's account state and decides which key must
// have signed; the signature itself is checked separately (check_tx_signature) so a block's
// signatures can be verified in parallel after one sequential pass over the state.
//
// Which key signs (docs/protocol.md, "Keys and rotation"):
//   - the account has a key on chain: that key; the witness carries no public key;
//   - it has none yet (its first transaction): the witness's key, whose address must be the
//     sender (SHA3-256 of domain, scheme and key); the transaction puts that key on chain;
//   - a rotation from an account with a pre-rotation commitment: the new key itself, which must
//     match the commitment; the old (possibly stolen) key cannot authorise it. Without a
//     commitment, a rotation is signed by the current key like any other transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "consensus/account_key.h"
#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "crypto/signature_scheme.h"
#include "primitives/transaction.h"
#include "util/bytes.h"

namespace qpow::consensus {

// The part of an account the rules read and change (state::Account converts to and from it).
struct SenderState {
  std::uint64_t balance = 0;
  std::uint64_t nonce = 0;
  std::optional<AccountKey> key;
  std::optional<crypto::Hash256> next_key_commitment;

  friend bool operator==(const SenderState&, const SenderState&) = default;
};

Verdict check_tx_standalone(const primitives::Transaction& tx, const ChainParams& params);

// Checks nonce, funds and key rules against the sender's current state; on success sets
// `signing_key` to the key the signature must verify under.
Verdict check_tx_against_sender(const primitives::Transaction& tx, const SenderState& sender,
                                AccountKey& signing_key);

// The sender's state after tx (which passed check_tx_against_sender).
SenderState sender_after(const primitives::Transaction& tx, const SenderState& sender,
                         const AccountKey& signing_key);

// kTxBadSignature unless the witness signature verifies under signing_key.
Verdict check_tx_signature(const primitives::Transaction& tx, const AccountKey& signing_key);

// balance + amount, or kTxAmountOverflow.
Verdict credit(std::uint64_t& balance, std::uint64_t amount);

// The fee a transaction of this many bytes must at least pay.
std::uint64_t min_fee(const ChainParams& params, std::size_t tx_bytes);

}  // namespace qpow::consensus
