#include "state/smt_proof.h"

#include <fmt/format.h>

#include "util/serialize.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

constexpr std::string_view kContext = "proof";

bool bitmap_bit(util::ByteSpan bitmap, std::size_t index) {
  return ((bitmap[index / 8] >> (7 - index % 8)) & 1u) != 0;
}

Status check_bitmap_padding(util::ByteSpan bitmap, std::size_t depth, std::size_t offset) {
  if (depth % 8 == 0) return Status::ok();
  const std::uint8_t unused = static_cast<std::uint8_t>(0xff >> (depth % 8));
  if ((bitmap.back() & unused) == 0) return Status::ok();
  return Status::malformed(fmt::format("{}.bitmap: unused bits set in the byte at offset {}",
                                       kContext, offset + bitmap.size() - 1));
}

Result<std::vector<crypto::Hash256>> read_siblings(util::Reader& reader, std::size_t depth) {
  const std::size_t bitmap_offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan bitmap, reader.bytes("bitmap", (depth + 7) / 8));
  QPOW_RETURN_IF_ERROR(check_bitmap_padding(bitmap, depth, bitmap_offset));
  std::vector<crypto::Hash256> siblings(depth, kEmptyHash);
  for (std::size_t i = 0; i < depth; ++i) {
    if (!bitmap_bit(bitmap, i)) continue;
    const std::size_t offset = reader.offset();
    QPOW_RETURN_IF_ERROR(reader.bytes_into("sibling", siblings[i]));
    if (siblings[i] == kEmptyHash) {
      return Status::malformed(fmt::format(
          "{}.sibling: sibling {} at offset {} is the empty hash but its bitmap bit is set",
          kContext, i, offset));
    }
  }
  if (depth > 0 && siblings.back() == kEmptyHash) {
    return Status::malformed(
        fmt::format("{}.bitmap: last sibling (depth {}) is empty, so the proof is not canonical",
                    kContext, depth - 1));
  }
  return siblings;
}

// The hash at the end of the path, before the siblings are folded in.
Result<crypto::Hash256> terminal_hash(const SmtKey& key, const std::optional<Account>& expected,
                                      const Proof& proof) {
  switch (proof.terminal) {
    case ProofTerminal::kLeaf: {
      if (!expected) return Status::invalid_argument("proof: shows presence, expected absence");
      QPOW_RETURN_IF_ERROR(check_account(*expected));
      // The proof shows the key's commitment; the key's bytes are proven only if they give it.
      QPOW_RETURN_IF_ERROR(check_account_key_commitment(*expected));
      return leaf_hash(key, value_hash(*expected));
    }
    case ProofTerminal::kEmpty:
      if (expected) return Status::invalid_argument("proof: shows absence, expected an account");
      return kEmptyHash;
    case ProofTerminal::kOtherLeaf:
      if (expected) return Status::invalid_argument("proof: shows absence, expected an account");
      if (proof.other_key == key) {
        return Status::invalid_argument("proof: the other leaf has the account's own key");
      }
      if (common_prefix_bits(proof.other_key, key) < proof.siblings.size()) {
        return Status::invalid_argument(fmt::format(
            "proof: the other leaf is not on the path to depth {}", proof.siblings.size()));
      }
      return leaf_hash(proof.other_key, proof.other_value_hash);
  }
  return Status::invalid_argument(
      fmt::format("proof: unknown terminal {}", static_cast<unsigned>(proof.terminal)));
}

}  // namespace

util::Bytes encode_proof(const Proof& proof) {
  const std::size_t depth = proof.siblings.size();
  QPOW_ASSERT(depth <= kSmtDepth);
  util::Writer writer;
  writer.u8(kProofEncodingVersion);
  writer.u8(static_cast<std::uint8_t>(proof.terminal));
  writer.compact_size(depth);
  util::Bytes bitmap((depth + 7) / 8, 0);
  for (std::size_t i = 0; i < depth; ++i) {
    if (proof.siblings[i] != kEmptyHash)
      bitmap[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
  }
  writer.bytes(bitmap);
  for (const crypto::Hash256& sibling : proof.siblings) {
    if (sibling != kEmptyHash) writer.bytes(sibling);
  }
  if (proof.terminal == ProofTerminal::kOtherLeaf) {
    writer.bytes(proof.other_key);
    writer.bytes(proof.other_value_hash);
  }
  return std::move(writer).take();
}

Result<Proof> decode_proof(util::ByteSpan bytes) {
  if (bytes.size() > kMaxProofBytes) {
    return Status::out_of_range(
        fmt::format("{}: {} bytes, the limit is {}", kContext, bytes.size(), kMaxProofBytes));
  }
  util::Reader reader(bytes, kContext);
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t version, reader.u8("version"));
  if (version != kProofEncodingVersion) {
    return Status::malformed(fmt::format("{}.version: {} at offset 0, expected {}", kContext,
                                         version, kProofEncodingVersion));
  }
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t terminal, reader.u8("terminal"));
  if (terminal > static_cast<std::uint8_t>(ProofTerminal::kOtherLeaf)) {
    return Status::malformed(
        fmt::format("{}.terminal: unknown terminal {} at offset 1", kContext, terminal));
  }
  Proof proof;
  proof.terminal = static_cast<ProofTerminal>(terminal);
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t depth, reader.compact_size("depth", kSmtDepth));
  QPOW_ASSIGN_OR_RETURN(proof.siblings, read_siblings(reader, static_cast<std::size_t>(depth)));
  if (proof.terminal == ProofTerminal::kOtherLeaf) {
    QPOW_RETURN_IF_ERROR(reader.bytes_into("other_key", proof.other_key));
    QPOW_RETURN_IF_ERROR(reader.bytes_into("other_value_hash", proof.other_value_hash));
  }
  QPOW_RETURN_IF_ERROR(reader.expect_end());
  return proof;
}

Result<crypto::Hash256> proof_root(const SmtKey& key, const std::optional<Account>& expected,
                                   const Proof& proof) {
  const std::size_t depth = proof.siblings.size();
  if (depth > kSmtDepth) {
    return Status::out_of_range(
        fmt::format("proof: {} siblings, a path has at most {}", depth, kSmtDepth));
  }
  if (depth > 0 && proof.siblings.back() == kEmptyHash) {
    return Status::invalid_argument("proof: last sibling is empty, so the proof is not canonical");
  }
  QPOW_ASSIGN_OR_RETURN(crypto::Hash256 node, terminal_hash(key, expected, proof));
  for (std::size_t i = depth; i-- > 0;) {
    node = key_bit(key, i) == 0 ? internal_hash(node, proof.siblings[i])
                                : internal_hash(proof.siblings[i], node);
  }
  return node;
}

bool verify_proof(const crypto::Hash256& root, const primitives::Address& address,
                  const std::optional<Account>& expected, const Proof& proof) {
  const Result<crypto::Hash256> implied = proof_root(smt_key(address), expected, proof);
  return implied.is_ok() && *implied == root;
}

}  // namespace qpow::state
