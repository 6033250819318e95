// Canonical binary encoding: fixed-width little-endian integers, raw byte strings, and
// Bitcoin-style CompactSize lengths that must use their minimal form. Every length read from
// input is checked against a hard limit given by the caller before anything is allocated, and
// reading past the end is an error that says which field, at which offset, needed how much.
//
// Writer appends to a growing buffer. Reader walks a borrowed span; it never owns the bytes, so
// the span must outlive the Reader and every ByteSpan it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::util {

// The largest value any CompactSize in qpow may carry, whatever the caller's own limit: 32 MiB.
inline constexpr std::uint64_t kCompactSizeMax = 0x0200'0000;

// How many bytes Writer::compact_size(v) writes: 1, 3, 5 or 9.
constexpr std::size_t compact_size_bytes(std::uint64_t v) {
  return v < 0xfd ? 1 : v <= 0xffff ? 3 : v <= 0xffff'ffff ? 5 : 9;
}

// Writes the minimal CompactSize of v (compact_size_bytes(v) bytes) at `at`, for callers that
// place an encoding into a buffer of their own; returns the end. Writer::compact_size writes the
// same bytes.
std::uint8_t* store_compact_size(std::uint8_t* at, std::uint64_t v);

class Writer {
 public:
  Writer() = default;

  void u8(std::uint8_t v) { buffer_.push_back(v); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  // The bytes as they are, no length.
  void bytes(ByteSpan data) { buffer_.insert(buffer_.end(), data.begin(), data.end()); }
  // Minimal CompactSize: 1 byte below 0xFD, else a 0xFD/0xFE/0xFF marker and 2/4/8 bytes.
  void compact_size(std::uint64_t v);
  // CompactSize length, then the bytes.
  void var_bytes(ByteSpan data);

  std::size_t size() const { return buffer_.size(); }
  const Bytes& data() const& { return buffer_; }
  Bytes take() && { return std::move(buffer_); }

 private:
  Bytes buffer_;
};

class Reader {
 public:
  // `context` names what is being decoded ("tx", "header"); it prefixes every error message.
  explicit Reader(ByteSpan data, std::string_view context = {}) : data_(data), context_(context) {}

  Result<std::uint8_t> u8(std::string_view field);
  Result<std::uint16_t> u16(std::string_view field);
  Result<std::uint32_t> u32(std::string_view field);
  Result<std::uint64_t> u64(std::string_view field);

  // A view of the next n bytes.
  Result<ByteSpan> bytes(std::string_view field, std::size_t n);
  // Copies the next out.size() bytes into out.
  Status bytes_into(std::string_view field, MutableByteSpan out);

  // A minimally encoded CompactSize no larger than max (which must be <= kCompactSizeMax).
  Result<std::uint64_t> compact_size(std::string_view field, std::uint64_t max);
  // A CompactSize length no larger than max_len, then that many bytes (copied).
  Result<Bytes> var_bytes(std::string_view field, std::size_t max_len);

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return data_.size() - offset_; }
  bool at_end() const { return offset_ == data_.size(); }
  // Error if any bytes are left unread.
  Status expect_end() const;

 private:
  Status need(std::string_view field, std::size_t n) const;
  std::string where(std::string_view field) const;

  ByteSpan data_;
  std::string_view context_;
  std::size_t offset_ = 0;
};

}  // namespace qpow::util
