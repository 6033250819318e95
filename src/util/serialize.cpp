#include "util/serialize.h"

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::util {

void Writer::u16(std::uint16_t v) {
  std::uint8_t b[2];
  store_le16(b, v);
  bytes(b);
}

void Writer::u32(std::uint32_t v) {
  std::uint8_t b[4];
  store_le32(b, v);
  bytes(b);
}

void Writer::u64(std::uint64_t v) {
  std::uint8_t b[8];
  store_le64(b, v);
  bytes(b);
}

std::uint8_t* store_compact_size(std::uint8_t* at, std::uint64_t v) {
  if (v < 0xfd) {
    *at = static_cast<std::uint8_t>(v);
    return at + 1;
  }
  if (v <= 0xffff) {
    at[0] = 0xfd;
    store_le16(at + 1, static_cast<std::uint16_t>(v));
    return at + 3;
  }
  if (v <= 0xffff'ffff) {
    at[0] = 0xfe;
    store_le32(at + 1, static_cast<std::uint32_t>(v));
    return at + 5;
  }
  at[0] = 0xff;
  store_le64(at + 1, v);
  return at + 9;
}

void Writer::compact_size(std::uint64_t v) {
  std::uint8_t b[9];
  bytes(ByteSpan(b, store_compact_size(b, v)));
}

void Writer::var_bytes(ByteSpan data) {
  compact_size(data.size());
  bytes(data);
}

std::string Reader::where(std::string_view field) const {
  if (context_.empty()) return std::string(field);
  return fmt::format("{}.{}", context_, field);
}

Status Reader::need(std::string_view field, std::size_t n) const {
  if (n <= remaining()) return Status::ok();
  return Status::malformed(fmt::format("{}: need {} bytes at offset {}, have {}", where(field), n,
                                       offset_, remaining()));
}

Result<std::uint8_t> Reader::u8(std::string_view field) {
  QPOW_RETURN_IF_ERROR(need(field, 1));
  return data_[offset_++];
}

Result<std::uint16_t> Reader::u16(std::string_view field) {
  QPOW_RETURN_IF_ERROR(need(field, 2));
  const std::uint16_t v = load_le16(data_.data() + offset_);
  offset_ += 2;
  return v;
}

Result<std::uint32_t> Reader::u32(std::string_view field) {
  QPOW_RETURN_IF_ERROR(need(field, 4));
  const std::uint32_t v = load_le32(data_.data() + offset_);
  offset_ += 4;
  return v;
}

Result<std::uint64_t> Reader::u64(std::string_view field) {
  QPOW_RETURN_IF_ERROR(need(field, 8));
  const std::uint64_t v = load_le64(data_.data() + offset_);
  offset_ += 8;
  return v;
}

Result<ByteSpan> Reader::bytes(std::string_view field, std::size_t n) {
  QPOW_RETURN_IF_ERROR(need(field, n));
  const ByteSpan view = data_.subspan(offset_, n);
  offset_ += n;
  return view;
}

Status Reader::bytes_into(std::string_view field, MutableByteSpan out) {
  QPOW_ASSIGN_OR_RETURN(const ByteSpan view, bytes(field, out.size()));
  if (!view.empty()) std::memcpy(out.data(), view.data(), view.size());
  return Status::ok();
}

Result<std::uint64_t> Reader::compact_size(std::string_view field, std::uint64_t max) {
  QPOW_ASSERT(max <= kCompactSizeMax);
  const std::size_t start = offset_;
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t marker, u8(field));
  std::uint64_t minimum = 0;
  std::size_t width = 1;
  if (marker == 0xfd) {
    minimum = 0xfd;
    width = 3;
  } else if (marker == 0xfe) {
    minimum = 0x1'0000;
    width = 5;
  } else if (marker == 0xff) {
    minimum = 0x1'0000'0000;
    width = 9;
  }
  if (width - 1 > remaining()) {
    offset_ = start;
    return Status::malformed(fmt::format("{}: need {} bytes at offset {}, have {}", where(field),
                                         width, start, remaining() + 1));
  }
  std::uint64_t value = marker;
  if (width == 3) value = load_le16(data_.data() + offset_);
  if (width == 5) value = load_le32(data_.data() + offset_);
  if (width == 9) value = load_le64(data_.data() + offset_);
  offset_ += width - 1;
  if (value < minimum) {
    offset_ = start;
    return Status::malformed(
        fmt::format("{}: non-canonical CompactSize ({} in {} bytes) at offset {}", where(field),
                    value, width, start));
  }
  if (value > max) {
    offset_ = start;
    return Status::out_of_range(fmt::format("{}: length {} exceeds the limit of {} at offset {}",
                                            where(field), value, max, start));
  }
  return value;
}

Result<Bytes> Reader::var_bytes(std::string_view field, std::size_t max_len) {
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t n, compact_size(field, max_len));
  QPOW_ASSIGN_OR_RETURN(const ByteSpan view, bytes(field, static_cast<std::size_t>(n)));
  return to_bytes(view);
}

Status Reader::expect_end() const {
  if (at_end()) return Status::ok();
  const std::string what = context_.empty() ? std::string("input") : std::string(context_);
  return Status::malformed(
      fmt::format("{}: {} trailing bytes at offset {}", what, remaining(), offset_));
}

}  // namespace qpow::util
