#include "chain/chain_records.h"

#include <fmt/format.h>

#include "util/serialize.h"

namespace qpow::chain {

util::Bytes encode_header_record(const HeaderRecord& record) {
  util::Writer w;
  w.bytes(primitives::encode_header(record.header));
  w.u8(record.status);
  return std::move(w).take();
}

util::Result<HeaderRecord> decode_header_record(util::ByteSpan data) {
  if (data.size() != primitives::kHeaderBytes + 1) {
    return util::Status::error(util::StatusCode::kCorruption,
                               fmt::format("header record: {} bytes, expected {}", data.size(),
                                           primitives::kHeaderBytes + 1));
  }
  HeaderRecord record;
  QPOW_ASSIGN_OR_RETURN(record.header,
                        primitives::decode_header(data.first(primitives::kHeaderBytes)));
  record.status = data.back();
  if (record.status > 0x0f) {
    return util::Status::error(util::StatusCode::kCorruption,
                               fmt::format("header record: unknown status bits 0x{:02x}",
                                           record.status));
  }
  return record;
}

util::Result<util::Bytes> encode_undo(const UndoRecord& undo) {
  util::Writer w;
  w.compact_size(undo.size());
  for (const auto& [address, before] : undo) {
    w.bytes(address.bytes);
    w.u8(before ? 1 : 0);
    if (before) {
      QPOW_ASSIGN_OR_RETURN(const util::Bytes account, state::encode_account(*before));
      w.var_bytes(account);
    }
  }
  return std::move(w).take();
}

util::Result<UndoRecord> decode_undo(util::ByteSpan data) {
  util::Reader r(data, "undo");
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t n, r.compact_size("count", kUndoEntriesMax));
  UndoRecord undo;
  undo.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    primitives::Address address;
    QPOW_RETURN_IF_ERROR(r.bytes_into("address", address.bytes));
    QPOW_ASSIGN_OR_RETURN(const std::uint8_t present, r.u8("present"));
    if (present > 1) return util::Status::error(util::StatusCode::kCorruption, "undo: bad flag");
    std::optional<state::Account> before;
    if (present) {
      QPOW_ASSIGN_OR_RETURN(const util::Bytes bytes,
                            r.var_bytes("account", state::max_account_encoding_bytes()));
      QPOW_ASSIGN_OR_RETURN(before, state::decode_account(bytes));
    }
    undo.emplace_back(address, std::move(before));
  }
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return undo;
}

}  // namespace qpow::chain
