// Transactions (DESIGN §4): an account-model transfer or key rotation, and its canonical
// encoding. docs/protocol.md gives the byte layout and golden vectors.
//
// A transaction has two parts. The body commits to everything that decides its effect (chain
// id, shard, kind, sender, nonce, recipient, amount, fee, memo, and for a rotation the new key);
// the witness proves the sender authorised it (scheme id, the sender's public key when the chain
// does not know it yet, and the signature). The transaction id hashes the body only, so nobody
// can change the id by re-encoding or replacing the witness (no malleability); the block's
// transaction root hashes the witness too (wtxid), so a block commits to its signatures.
//
// The signature is made with the witness's scheme over the 32-byte txid with the context string
// "qpow/tx" (FIPS 204 §5.2 context; every registered scheme takes one).
//
// Decoding checks everything the bytes alone can show (lengths, known kind and scheme, key and
// signature sizes of that scheme, flags exactly 0 or 1, nothing left over); what needs the chain
// (nonce, balance, which key signs) is validation (consensus/tx_rules.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/sha3.h"
#include "crypto/signature_scheme.h"
#include "primitives/address.h"
#include "util/bytes.h"
#include "util/result.h"
#include "util/serialize.h"

namespace qpow::primitives {

using crypto::Hash256;

inline constexpr std::uint8_t kTxVersion = 1;
inline constexpr std::size_t kTxMemoBytesMax = 256;
// Large enough for the biggest registered scheme (SLH-DSA-256f: 49,856-byte signature) with a
// rotation that reveals another such key.
inline constexpr std::size_t kTxBytesMax = 64 * 1024;
inline constexpr std::string_view kTxidDomain = "qpow/txid/v1";
inline constexpr std::string_view kWtxidDomain = "qpow/wtxid/v1";
inline constexpr std::string_view kTxSignatureContext = "qpow/tx";

enum class TxKind : std::uint8_t {
  kTransfer = 0,     // move amount from sender to recipient
  kKeyRotation = 1,  // replace the sender's key (and its pre-rotation commitment)
  // 2..255 reserved for later kinds (cross-shard transfers); rejected until defined.
};

// The key a rotation installs, and optionally the commitment to the key after it.
struct KeyRotation {
  crypto::SchemeId scheme = crypto::kDefaultScheme;
  util::Bytes public_key;
  std::optional<Hash256> next_key_commitment;

  friend bool operator==(const KeyRotation&, const KeyRotation&) = default;
};

struct TxWitness {
  crypto::SchemeId scheme = crypto::kDefaultScheme;
  util::Bytes public_key;  // empty when the signing key is already on chain
  util::Bytes signature;

  friend bool operator==(const TxWitness&, const TxWitness&) = default;
};

struct Transaction {
  std::uint8_t version = kTxVersion;
  std::uint32_t chain_id = 0;
  std::uint32_t shard = 0;
  TxKind kind = TxKind::kTransfer;
  Address sender{};
  std::uint64_t nonce = 0;
  Address recipient{};  // all zero for a rotation
  std::uint64_t amount = 0;
  std::uint64_t fee = 0;
  util::Bytes memo;
  std::optional<KeyRotation> rotation;  // present exactly when kind is kKeyRotation
  TxWitness witness;

  friend bool operator==(const Transaction&, const Transaction&) = default;
};

// Canonical encodings.
util::Bytes encode_tx_body(const Transaction& tx);
void write_tx(util::Writer& w, const Transaction& tx);
util::Bytes encode_tx(const Transaction& tx);

// Reads one transaction from r (used inside block decoding).
util::Result<Transaction> read_tx(util::Reader& r);
// Decodes exactly one transaction of at most kTxBytesMax bytes.
util::Result<Transaction> decode_tx(util::ByteSpan data);

// SHA3-256("qpow/txid/v1" || body): the id wallets, mempools and peers use.
Hash256 txid(const Transaction& tx);
// SHA3-256("qpow/wtxid/v1" || full encoding): the leaf of a block's transaction root.
Hash256 wtxid(const Transaction& tx);
// Encoded size including the witness (what fee rates divide by).
std::size_t tx_size(const Transaction& tx);

// Signs tx in place: sets the witness scheme, its public key (when include_public_key) and the
// signature over txid(tx) with context "qpow/tx". Fails only for a malformed secret key.
struct TxSigner {
  crypto::SchemeId scheme = crypto::kDefaultScheme;
  util::ByteSpan secret_key = {};
  util::ByteSpan public_key = {};
  bool include_public_key = false;
  crypto::SigningMode mode = crypto::SigningMode::kHedged;
};
util::Status sign_tx(Transaction& tx, const TxSigner& signer);

// True if the witness signature verifies under (scheme, public_key) over txid(tx).
bool verify_tx_signature(const Transaction& tx, crypto::SchemeId scheme,
                         util::ByteSpan public_key);

std::string_view tx_kind_name(TxKind kind);

}  // namespace qpow::primitives
