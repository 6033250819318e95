// Building and signing transactions from keystore keys, offline: the caller supplies the
// account's next nonce and the fee (the node issue wires `qpow wallet send` to a node's RPC for
// those). The result is what the chain's validation accepts (consensus/tx_rules.h):
//
//   - the witness carries the public key exactly when the nonce is 0: an account's key reaches
//     the chain with its first transaction, and after that the chain has it;
//   - a rotation installs the entry's new key and commits to its freshly generated next key. It is
//     signed by the new key when the account's on-chain commitment names it (every rotation this
//     wallet makes leaves such a commitment behind), otherwise by the key it replaces.
#pragma once

#include <cstdint>

#include "primitives/address.h"
#include "primitives/transaction.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wallet/key_entry.h"
#include "wallet/keystore.h"

namespace qpow::wallet {

struct TxTerms {
  std::uint32_t chain_id = 0;
  std::uint64_t nonce = 0;
  std::uint64_t fee = 0;
  util::Bytes memo;
};

// A transfer of `amount` from `from`'s current key to `to`.
util::Result<primitives::Transaction> build_transfer(const KeyEntry& from,
                                                     const primitives::Address& to,
                                                     std::uint64_t amount, const TxTerms& terms);

enum class RotationSigner : std::uint8_t {
  kOldKey,        // the account has no commitment on chain
  kCommittedKey,  // the account's on-chain commitment names rotation.new_key
};

// The transaction announcing a rotation the keystore has made (Keystore::rotate).
util::Result<primitives::Transaction> build_rotation(const Rotation& rotation,
                                                     RotationSigner signer,
                                                     const TxTerms& terms);

}  // namespace qpow::wallet
