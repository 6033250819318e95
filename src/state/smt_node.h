// How AccountState lays the sparse Merkle tree (smt_hash.h) out in a NodeStore. Storage treats
// these keys as opaque; only the state layer reads them.
//
//   "a" || k                    -> encode_account(account)   one record per account, for O(1) reads
//   "n" || u8 depth || prefix   -> internal node record      one per internal node
//   "r"                         -> root reference            absent while the state is empty
//
// k is the account's 32-byte tree key; prefix is the first `depth` bits of the keys below the
// node, in ceil(depth / 8) bytes with the unused low bits zero. Nodes are addressed by position,
// not by hash: the node that replaces another overwrites or deletes it, so the set of stored keys
// is a function of the set of accounts alone and nothing is left behind as garbage.
//
// An internal node record is the references to its two children, left then right. A reference is
//   0x00                        empty subtree
//   0x01 || k || leaf(k, v)     a leaf: the account's key and leaf hash, inline (leaves have no
//                               record of their own, so reading a node also reads its leaves;
//                               the value hash v is SHA3-256 of the account record when needed)
//   0x02 || hash                an internal node, whose record is at the child's position
// and "r" holds the root's reference in the same form. Holding both children's hashes in the
// parent means an update reads only the nodes on the changed paths, never their siblings.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/sha3.h"
#include "state/smt_hash.h"
#include "state/state_writes.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::state {

inline constexpr std::uint8_t kAccountKeyPrefix = 'a';
inline constexpr std::uint8_t kNodeKeyPrefix = 'n';
inline constexpr std::uint8_t kRootKeyByte = 'r';

// A reference to a subtree, as its parent (or the root key) holds it.
struct NodeRef {
  enum class Kind : std::uint8_t { kEmpty = 0, kLeaf = 1, kInternal = 2 };

  Kind kind = Kind::kEmpty;
  SmtKey key{};            // kLeaf: the account's key
  crypto::Hash256 hash{};  // the subtree's hash: kEmptyHash, leaf(k, v) or internal(l, r)

  static NodeRef empty() { return {}; }
  static NodeRef leaf(const SmtKey& key, const crypto::Hash256& leaf_hash) {
    return {.kind = Kind::kLeaf, .key = key, .hash = leaf_hash};
  }
  static NodeRef internal(const crypto::Hash256& hash) {
    return {.kind = Kind::kInternal, .key = {}, .hash = hash};
  }

  bool is_empty() const { return kind == Kind::kEmpty; }
  bool is_leaf() const { return kind == Kind::kLeaf; }
  bool is_internal() const { return kind == Kind::kInternal; }
};

// An internal node's two children.
struct NodeRecord {
  NodeRef left = {};
  NodeRef right = {};

  const NodeRef& child(unsigned bit) const { return bit == 0 ? left : right; }
  // False when the children would not make an internal node (both empty, or one empty and the
  // other a leaf): such a subtree must be stored as its single leaf or not at all.
  bool is_canonical() const;
};

// The longest key of the layout, "n" || depth || 32 prefix bytes, is what every NodeStore and
// StateWrites must hold.
static_assert(2 + sizeof(SmtKey) == kStateKeyBytesMax);

// A key of this layout held inline, for the lookups of an update, which should not allocate.
struct StateKeyBuffer {
  util::ByteArray<kStateKeyBytesMax> bytes{};
  std::size_t size = 0;

  util::ByteSpan span() const { return util::ByteSpan(bytes.data(), size); }
};

// The key of the root reference: the single byte kRootKeyByte.
util::Bytes root_record_key();
// The key of an account's record.
util::Bytes account_record_key(const SmtKey& key);
// The same key, inline.
StateKeyBuffer account_record_key_buffer(const SmtKey& key);
// The key of the internal node at `depth` (< kSmtDepth) on the path of `path`; only the first
// `depth` bits of path matter.
util::Bytes node_record_key(std::size_t depth, const SmtKey& path);
// The same key, inline.
StateKeyBuffer node_record_key_buffer(std::size_t depth, const SmtKey& path);

util::Bytes encode_node_ref(const NodeRef& ref);
util::Bytes encode_node_record(const NodeRecord& record);
// For a caller that places records itself: the length of encode_node_record(record), and that
// encoding written into `out` of exactly that length.
std::size_t node_record_bytes(const NodeRecord& record);
void encode_node_record_into(const NodeRecord& record, util::MutableByteSpan out);

// Decoders of stored data: a failure means the store is corrupt (StatusCode::kCorruption). The
// record of the node at (depth, path) is also checked to be canonical and to hold only leaves
// whose keys lie below that position.
util::Result<NodeRef> decode_root_ref(util::ByteSpan bytes);
util::Result<NodeRecord> decode_node_record(util::ByteSpan bytes, std::size_t depth,
                                            const SmtKey& path);

}  // namespace qpow::state
