#include "state/smt_node.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "util/hex.h"
#include "util/serialize.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

Status corruption(std::string message) {
  return Status::error(util::StatusCode::kCorruption, std::move(message));
}

void write_ref(util::Writer& writer, const NodeRef& ref) {
  writer.u8(static_cast<std::uint8_t>(ref.kind));
  switch (ref.kind) {
    case NodeRef::Kind::kEmpty:
      return;
    case NodeRef::Kind::kLeaf:
      writer.bytes(ref.key);
      writer.bytes(ref.hash);
      return;
    case NodeRef::Kind::kInternal:
      writer.bytes(ref.hash);
      return;
  }
  QPOW_UNREACHABLE();
}

Result<NodeRef> read_ref(util::Reader& reader, std::string_view context, std::string_view field) {
  const std::size_t offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t kind, reader.u8(field));
  switch (static_cast<NodeRef::Kind>(kind)) {
    case NodeRef::Kind::kEmpty:
      return NodeRef::empty();
    case NodeRef::Kind::kLeaf: {
      SmtKey key;
      crypto::Hash256 hash;
      QPOW_RETURN_IF_ERROR(reader.bytes_into(field, key));
      QPOW_RETURN_IF_ERROR(reader.bytes_into(field, hash));
      return NodeRef::leaf(key, hash);
    }
    case NodeRef::Kind::kInternal: {
      crypto::Hash256 hash;
      QPOW_RETURN_IF_ERROR(reader.bytes_into(field, hash));
      return NodeRef::internal(hash);
    }
  }
  return Status::malformed(fmt::format("{}.{}: unknown reference kind {} at offset {}", context,
                                       field, static_cast<unsigned>(kind), offset));
}

// The store's bytes did not decode: that is corruption, not bad input from a peer.
Status as_corruption(const Status& status) {
  return corruption(status.message());
}

Status check_child(const NodeRef& child, unsigned side, std::size_t depth, const SmtKey& path) {
  if (child.is_leaf() &&
      (common_prefix_bits(child.key, path) < depth || key_bit(child.key, depth) != side)) {
    return corruption(fmt::format("state node at depth {} (path {}): leaf {} does not belong there",
                                  depth, util::to_hex(path), util::to_hex(child.key)));
  }
  if (child.is_internal() && depth + 1 >= kSmtDepth) {
    return corruption(
        fmt::format("state node at depth {}: internal child below depth {}", depth, kSmtDepth - 1));
  }
  return Status::ok();
}

std::size_t encoded_ref_bytes(const NodeRef& ref) {
  switch (ref.kind) {
    case NodeRef::Kind::kEmpty:
      return 1;
    case NodeRef::Kind::kLeaf:
      return 1 + ref.key.size() + ref.hash.size();
    case NodeRef::Kind::kInternal:
      return 1 + ref.hash.size();
  }
  QPOW_UNREACHABLE();
}

// write_ref() into a buffer of encoded_ref_bytes(ref) at `at`; returns the end.
std::uint8_t* append_ref(std::uint8_t* at, const NodeRef& ref) {
  *at++ = static_cast<std::uint8_t>(ref.kind);
  if (ref.is_leaf()) at = std::copy(ref.key.begin(), ref.key.end(), at);
  if (!ref.is_empty()) at = std::copy(ref.hash.begin(), ref.hash.end(), at);
  return at;
}

Result<NodeRecord> decode_record_in(util::ByteSpan bytes, std::size_t depth, const SmtKey& path,
                                    std::string_view what) {
  util::Reader reader(bytes, what);
  NodeRecord record;
  auto left = read_ref(reader, what, "left");
  if (!left.is_ok()) return as_corruption(left.status());
  auto right = read_ref(reader, what, "right");
  if (!right.is_ok()) return as_corruption(right.status());
  Status end = reader.expect_end();
  if (!end.is_ok()) return as_corruption(end);
  record.left = *left;
  record.right = *right;
  if (!record.is_canonical()) {
    return corruption(std::string(what) +
                      ": not a canonical internal node (fewer than two accounts below)");
  }
  QPOW_RETURN_IF_ERROR(check_child(record.left, 0, depth, path));
  QPOW_RETURN_IF_ERROR(check_child(record.right, 1, depth, path));
  return record;
}

}  // namespace

bool NodeRecord::is_canonical() const {
  if (left.is_internal() || right.is_internal()) return true;
  return left.is_leaf() && right.is_leaf();
}

util::Bytes root_record_key() {
  return util::Bytes{kRootKeyByte};
}

StateKeyBuffer account_record_key_buffer(const SmtKey& key) {
  StateKeyBuffer out;
  out.size = 1 + key.size();
  out.bytes[0] = kAccountKeyPrefix;
  std::copy(key.begin(), key.end(), out.bytes.begin() + 1);
  return out;
}

util::Bytes account_record_key(const SmtKey& key) {
  return util::to_bytes(account_record_key_buffer(key).span());
}

StateKeyBuffer node_record_key_buffer(std::size_t depth, const SmtKey& path) {
  QPOW_ASSERT(depth < kSmtDepth);
  const std::size_t prefix_bytes = (depth + 7) / 8;
  StateKeyBuffer out;
  out.size = 2 + prefix_bytes;
  out.bytes[0] = kNodeKeyPrefix;
  out.bytes[1] = static_cast<std::uint8_t>(depth);
  for (std::size_t i = 0; i < prefix_bytes; ++i) out.bytes[2 + i] = path[i];
  if (depth % 8 != 0) {
    out.bytes[out.size - 1] &= static_cast<std::uint8_t>(0xff << (8 - depth % 8));
  }
  return out;
}

util::Bytes node_record_key(std::size_t depth, const SmtKey& path) {
  return util::to_bytes(node_record_key_buffer(depth, path).span());
}

util::Bytes encode_node_ref(const NodeRef& ref) {
  util::Writer writer;
  write_ref(writer, ref);
  return std::move(writer).take();
}

std::size_t node_record_bytes(const NodeRecord& record) {
  return encoded_ref_bytes(record.left) + encoded_ref_bytes(record.right);
}

void encode_node_record_into(const NodeRecord& record, util::MutableByteSpan out) {
  QPOW_ASSERT(record.is_canonical());
  QPOW_ASSERT(out.size() == node_record_bytes(record));
  append_ref(append_ref(out.data(), record.left), record.right);
}

util::Bytes encode_node_record(const NodeRecord& record) {
  util::Bytes out(node_record_bytes(record));
  encode_node_record_into(record, out);
  return out;
}

Result<NodeRef> decode_root_ref(util::ByteSpan bytes) {
  util::Reader reader(bytes, "state root");
  auto ref = read_ref(reader, "state root", "ref");
  if (!ref.is_ok()) return as_corruption(ref.status());
  Status end = reader.expect_end();
  if (!end.is_ok()) return as_corruption(end);
  return ref;
}

Result<NodeRecord> decode_node_record(util::ByteSpan bytes, std::size_t depth, const SmtKey& path) {
  // Formatting the context costs more than decoding the record, and only a message needs it: a
  // record that fails is decoded again with its full context.
  Result<NodeRecord> record = decode_record_in(bytes, depth, path, "state node");
  if (record.is_ok()) return record;
  return decode_record_in(bytes, depth, path, fmt::format("state node at depth {}", depth));
}

}  // namespace qpow::state
