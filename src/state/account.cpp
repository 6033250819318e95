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

Result<const crypto::SchemeInfo*> read_scheme(util::Reader& reader) {
  const std::size_t offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t id, reader.u8("key.scheme"));
  auto scheme = crypto::find_scheme(id);
  if (!scheme.is_ok()) {
    return Status::malformed(fmt::format("{}.key.scheme: unknown scheme id 0x{:02x} at offset {}",
                                         kContext, id, offset));
  }
  return *scheme;
}

Result<util::Bytes> read_key_bytes(util::Reader& reader, const crypto::SchemeInfo& scheme) {
  const std::size_t offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(util::Bytes public_key,
                        reader.var_bytes("key.public_key", max_account_key_bytes()));
  if (public_key.size() != scheme.public_key_bytes) {
    return Status::malformed(
        fmt::format("{}.key.public_key: {} bytes at offset {}, {} public keys are {} bytes",
                    kContext, public_key.size(), offset, scheme.name, scheme.public_key_bytes));
  }
  return public_key;
}

void store_u64(util::ByteArray<kAccountValueBytesMax>& out, std::size_t& at, std::uint64_t v) {
  util::store_le64(out.data() + at, v);
  at += 8;
}

void store_hash(util::ByteArray<kAccountValueBytesMax>& out, std::size_t& at,
                const crypto::Hash256& h) {
  std::copy(h.begin(), h.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
  at += h.size();
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
  // The value, then CompactSize (3 bytes above 252) and the key.
  return kAccountValueBytesMax + 3 + max_account_key_bytes();
}

Status check_account(const Account& account) {
  if (!account.key) return Status::ok();
  auto scheme = crypto::find_scheme(static_cast<std::uint8_t>(account.key->scheme()));
  if (!scheme.is_ok()) {
    return Status::invalid_argument(fmt::format("{}.key.scheme: unknown scheme id 0x{:02x}",
                                                kContext,
                                                static_cast<unsigned>(account.key->scheme())));
  }
  if (account.key->public_key().size() != (*scheme)->public_key_bytes) {
    return Status::invalid_argument(fmt::format(
        "{}.key.public_key: {} bytes, {} public keys are {}", kContext,
        account.key->public_key().size(), (*scheme)->name, (*scheme)->public_key_bytes));
  }
  return Status::ok();
}

AccountValue encode_account_value(const Account& account) {
  AccountValue v;
  std::size_t at = 0;
  v.bytes[at++] = kAccountEncodingVersion;
  store_u64(v.bytes, at, account.balance);
  store_u64(v.bytes, at, account.nonce);
  v.bytes[at++] = account.key ? 1 : 0;
  if (account.key) {
    v.bytes[at++] = static_cast<std::uint8_t>(account.key->scheme());
    store_hash(v.bytes, at, account.key->commitment());
  }
  v.bytes[at++] = account.next_key_commitment ? 1 : 0;
  if (account.next_key_commitment) store_hash(v.bytes, at, *account.next_key_commitment);
  v.size = at;
  return v;
}

Result<util::Bytes> encode_account(const Account& account) {
  QPOW_RETURN_IF_ERROR(check_account(account));
  const AccountValue value = encode_account_value(account);
  util::Writer writer;
  writer.bytes(value.span());
  if (account.key) writer.var_bytes(account.key->public_key());
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
  const crypto::SchemeInfo* scheme = nullptr;
  crypto::Hash256 key_commitment{};
  if (has_key) {
    QPOW_ASSIGN_OR_RETURN(scheme, read_scheme(reader));
    QPOW_RETURN_IF_ERROR(reader.bytes_into("key.commitment", key_commitment));
  }
  QPOW_ASSIGN_OR_RETURN(const bool has_commitment, read_flag(reader, "has_next"));
  if (has_commitment) {
    crypto::Hash256 commitment;
    QPOW_RETURN_IF_ERROR(reader.bytes_into("next_key_commitment", commitment));
    account.next_key_commitment = commitment;
  }
  if (has_key) {
    QPOW_ASSIGN_OR_RETURN(util::Bytes public_key, read_key_bytes(reader, *scheme));
    account.key =
        AccountKey::with_known_commitment(scheme->id, std::move(public_key), key_commitment);
  }
  QPOW_RETURN_IF_ERROR(reader.expect_end());
  return account;
}

Status check_account_key_commitment(const Account& account) {
  if (account.key && !account.key->commitment_matches()) {
    return Status::malformed(
        fmt::format("{}.key.commitment: does not match the key's bytes", kContext));
  }
  return Status::ok();
}

}  // namespace qpow::state
