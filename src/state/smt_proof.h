// Proofs that an account is, or is not, in the state with a given root (smt_hash.h).
//
// A proof follows the account's key from the root down to where its path ends: at the account's
// own leaf (inclusion), at an empty subtree, or at the leaf of a different account whose key
// shares the path so far (both exclusion: in a compact tree that leaf would have been split off
// had the account existed). It carries the hash of every sibling along the way, root first; the
// verifier hashes back up and compares with the root.
//
// Encoding, version 1:
//   u8  version  = 1
//   u8  terminal   0 empty, 1 the account's leaf, 2 another account's leaf
//   CompactSize depth (<= kSmtDepth): how many siblings
//   ceil(depth / 8) bytes of bitmap: bit i (most significant first, as key bits) set when sibling
//       i is not empty; unused bits zero
//   32 bytes per non-empty sibling, in path order (never all zero: an empty one is a clear bit)
//   if terminal is 2: that account's 32-byte key and 32-byte value hash
// Nothing may follow. The last sibling of a proof of depth > 0 is never empty: a node with an
// empty child and a leaf or empty terminal would hold fewer than two accounts, so it would not be
// an internal node. Any proof is at most kMaxProofBytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/sha3.h"
#include "primitives/address.h"
#include "state/account.h"
#include "state/smt_hash.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

inline constexpr std::uint8_t kProofEncodingVersion = 1;
// version, terminal, depth (3-byte CompactSize), bitmap, every sibling, the other leaf.
inline constexpr std::size_t kMaxProofBytes =
    1 + 1 + 3 + kSmtDepth / 8 + kSmtDepth * sizeof(crypto::Hash256) + 2 * sizeof(crypto::Hash256);

enum class ProofTerminal : std::uint8_t {
  kEmpty = 0,      // the path ends in an empty subtree: the account is absent
  kLeaf = 1,       // the path ends at the account's own leaf: it is present
  kOtherLeaf = 2,  // the path ends at another account's leaf: the account is absent
};

struct Proof {
  ProofTerminal terminal = ProofTerminal::kEmpty;
  // siblings[i] is the hash of the child of the path's depth-i node that is off the path, so
  // there is one per level above the terminal (kEmptyHash for an empty subtree). At most
  // kSmtDepth.
  std::vector<crypto::Hash256> siblings = {};
  // kOtherLeaf only: the key and value hash of the account whose leaf ends the path.
  SmtKey other_key{};
  crypto::Hash256 other_value_hash{};

  friend bool operator==(const Proof&, const Proof&) = default;
};

// The canonical encoding. siblings.size() must be at most kSmtDepth.
util::Bytes encode_proof(const Proof& proof);
// Decodes a proof, rejecting every non-canonical or malformed input with the field and offset.
util::Result<Proof> decode_proof(util::ByteSpan bytes);

// The root that `proof` implies if the account at `key` has the state `expected` (nullopt:
// absent), or why the proof cannot show that (a terminal that contradicts expected, an "other"
// leaf that is not on the key's path, a non-canonical shape, an account that does not encode).
util::Result<crypto::Hash256> proof_root(const SmtKey& key, const std::optional<Account>& expected,
                                         const Proof& proof);

// True if proof shows that, in the state with this root, the account at address is `expected`
// (present with exactly that state) or absent (nullopt). Any other proof is false.
bool verify_proof(const crypto::Hash256& root, const primitives::Address& address,
                  const std::optional<Account>& expected, const Proof& proof);

}  // namespace qpow::state
