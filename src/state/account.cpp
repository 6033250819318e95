#include "state/account.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "util/serialize.h"

namespace qpow::state {
namespace {

using util::Result;
using util::Status;

constexpr std::string_view kContext = "account";

// A presence flag: exactly 0 or 1, so that no account has two encodings.
Result<bool> read_flag(util::Reader& reader, std::string_view field) {
  const std::size_t offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t flag, reader.u8(field));
  if (flag > 1) {
    return Status::malformed(
        fmt::format("{}.{}: flag {} at offset {} is not 0 or 1", kContext, field, flag, offset));
  }
  return flag == 1;
}

Result<AccountKey> read_key(util::Reader& reader) {
  const std::size_t scheme_offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t id, reader.u8("key.scheme"));
  auto scheme = crypto::find_scheme(id);
  if (!scheme.is_ok()) {
    return Status::malformed(fmt::format("{}.key.scheme: unknown scheme id 0x{:02x} at offset {}",
                                         kContext, id, scheme_offset));
  }
  const std::size_t key_offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(util::Bytes public_key,
                        reader.var_bytes("key.public_key", max_account_key_bytes()));
  if (public_key.size() != (*scheme)->public_key_bytes) {
    return Status::malformed(fmt::format(
        "{}.key.public_key: {} bytes at offset {}, {} public keys are {} bytes", kContext,
        public_key.size(), key_offset, (*scheme)->name, (*scheme)->public_key_bytes));
  }
  return AccountKey{.scheme = (*scheme)->id, .public_key = std::move(public_key)};
}

}  // namespace

std::size_t max_account_key_bytes() {
  static const std::size_t max = [] {
    std::size_t largest = 0;
    for (const crypto::SchemeInfo& info : crypto::all_schemes()) {
      largest = std::max(largest, info.public_key_bytes);
    }
    return largest;
  }();
  return max;
}

std::size_t max_account_encoding_bytes() {
  // version, balance, nonce, has_key, scheme, CompactSize (3 bytes above 252), key,
  // has_commitment, commitment.
  return 1 + 8 + 8 + 1 + 1 + 3 + max_account_key_bytes() + 1 + sizeof(crypto::Hash256);
}

Status check_account(const Account& account) {
  if (!account.key) return Status::ok();
  auto scheme = crypto::find_scheme(static_cast<std::uint8_t>(account.key->scheme));
  if (!scheme.is_ok()) {
    return Status::invalid_argument(fmt::format("{}.key.scheme: unknown scheme id 0x{:02x}",
                                                kContext,
                                                static_cast<unsigned>(account.key->scheme)));
  }
  if (account.key->public_key.size() != (*scheme)->public_key_bytes) {
    return Status::invalid_argument(
        fmt::format("{}.key.public_key: {} bytes, {} public keys are {}", kContext,
                    account.key->public_key.size(), (*scheme)->name, (*scheme)->public_key_bytes));
  }
  return Status::ok();
}

Result<util::Bytes> encode_account(const Account& account) {
  QPOW_RETURN_IF_ERROR(check_account(account));
  util::Writer writer;
  writer.u8(kAccountEncodingVersion);
  writer.u64(account.balance);
  writer.u64(account.nonce);
  writer.u8(account.key ? 1 : 0);
  if (account.key) {
    writer.u8(static_cast<std::uint8_t>(account.key->scheme));
    writer.var_bytes(account.key->public_key);
  }
  writer.u8(account.next_key_commitment ? 1 : 0);
  if (account.next_key_commitment) writer.bytes(*account.next_key_commitment);
  return std::move(writer).take();
}

Result<Account> decode_account(util::ByteSpan bytes) {
  util::Reader reader(bytes, kContext);
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t version, reader.u8("version"));
  if (version != kAccountEncodingVersion) {
    return Status::malformed(fmt::format("{}.version: {} at offset 0, expected {}", kContext,
                                         version, kAccountEncodingVersion));
  }
  Account account;
  QPOW_ASSIGN_OR_RETURN(account.balance, reader.u64("balance"));
  QPOW_ASSIGN_OR_RETURN(account.nonce, reader.u64("nonce"));
  QPOW_ASSIGN_OR_RETURN(const bool has_key, read_flag(reader, "has_key"));
  if (has_key) {
    QPOW_ASSIGN_OR_RETURN(account.key, read_key(reader));
  }
  QPOW_ASSIGN_OR_RETURN(const bool has_commitment, read_flag(reader, "has_commitment"));
  if (has_commitment) {
    crypto::Hash256 commitment;
    QPOW_RETURN_IF_ERROR(reader.bytes_into("next_key_commitment", commitment));
    account.next_key_commitment = commitment;
  }
  QPOW_RETURN_IF_ERROR(reader.expect_end());
  return account;
}

}  // namespace qpow::state
