#include "wallet/tx_builder.h"

#include <string>

namespace qpow::wallet {
namespace {

util::Status sign_with(primitives::Transaction& tx, const StoredKey& key) {
  return primitives::sign_tx(tx, {.scheme = key.scheme,
                                  .secret_key = key.secret_key.span(),
                                  .public_key = key.public_key,
                                  .include_public_key = tx.nonce == 0,
                                  .mode = crypto::SigningMode::kHedged});
}

primitives::Transaction base(const primitives::Address& sender, const TxTerms& terms) {
  primitives::Transaction tx;
  tx.chain_id = terms.chain_id;
  tx.sender = sender;
  tx.nonce = terms.nonce;
  tx.fee = terms.fee;
  tx.memo = terms.memo;
  return tx;
}

util::Status check_memo(const TxTerms& terms) {
  if (terms.memo.size() > primitives::kTxMemoBytesMax) {
    return util::Status::out_of_range("memo: " + std::to_string(terms.memo.size()) +
                                      " bytes, the limit is " +
                                      std::to_string(primitives::kTxMemoBytesMax));
  }
  return util::Status::ok();
}

}  // namespace

util::Result<primitives::Transaction> build_transfer(const KeyEntry& from,
                                                     const primitives::Address& to,
                                                     std::uint64_t amount, const TxTerms& terms) {
  QPOW_RETURN_IF_ERROR(check_memo(terms));
  if (to.is_zero()) return util::Status::invalid_argument("recipient: the all-zero address");
  if (amount > UINT64_MAX - terms.fee) {
    return util::Status::out_of_range("amount + fee is more than any balance can hold");
  }
  primitives::Transaction tx = base(from.address, terms);
  tx.kind = primitives::TxKind::kTransfer;
  tx.recipient = to;
  tx.amount = amount;
  QPOW_RETURN_IF_ERROR(sign_with(tx, from.current));
  return tx;
}

util::Result<primitives::Transaction> build_rotation(const Rotation& rotation,
                                                     RotationSigner signer,
                                                     const TxTerms& terms) {
  QPOW_RETURN_IF_ERROR(check_memo(terms));
  if (signer == RotationSigner::kCommittedKey && !rotation.new_key_was_committed) {
    return util::Status::invalid_argument(
        "the new key was not a committed next key, so no on-chain commitment can name it");
  }
  if (signer == RotationSigner::kCommittedKey && terms.nonce == 0) {
    return util::Status::invalid_argument(
        "an account with nonce 0 has sent nothing, so it has no commitment on chain");
  }
  primitives::Transaction tx = base(rotation.address, terms);
  tx.kind = primitives::TxKind::kKeyRotation;
  tx.rotation = primitives::KeyRotation{.scheme = rotation.new_key.scheme,
                                        .public_key = rotation.new_key.public_key,
                                        .next_key_commitment = rotation.next_commitment};
  const StoredKey& key =
      signer == RotationSigner::kCommittedKey ? rotation.new_key : rotation.old_key;
  QPOW_RETURN_IF_ERROR(sign_with(tx, key));
  return tx;
}

}  // namespace qpow::wallet
