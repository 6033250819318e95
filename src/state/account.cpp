#include "state/account.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "util/assert.h"
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

// The key's bytes: a view into the record, checked to be the scheme's public key length.
Result<util::ByteSpan> read_key_bytes(util::Reader& reader, const crypto::SchemeInfo& scheme) {
  const std::size_t offset = reader.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t length,
                        reader.compact_size("key.public_key", max_account_key_bytes()));
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan public_key,
                        reader.bytes("key.public_key", static_cast<std::size_t>(length)));
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

std::size_t account_encoding_bytes(const Account& account) {
  // The fields of encode_account_value(), counted rather than written.
  const std::size_t value = 1 + 8 + 8 + 1 + (account.key ? 1 + sizeof(crypto::Hash256) : 0) + 1 +
                            (account.next_key_commitment ? sizeof(crypto::Hash256) : 0);
  if (!account.key) return value;
  const std::size_t key = account.key->public_key().size();
  return value + util::compact_size_bytes(key) + key;
}

void encode_account_into(const Account& account, util::MutableByteSpan out) {
  QPOW_ASSERT(out.size() == account_encoding_bytes(account));
  const AccountValue value = encode_account_value(account);
  std::uint8_t* at = std::copy(value.span().begin(), value.span().end(), out.data());
  if (!account.key) {
    QPOW_ASSERT(at == out.data() + out.size());
    return;
  }
  const util::ByteSpan key = account.key->public_key();
  at = util::store_compact_size(at, key.size());
  QPOW_ASSERT(at + key.size() == out.data() + out.size());
  std::copy(key.begin(), key.end(), at);
}

Result<util::Bytes> encode_account(const Account& account) {
  QPOW_RETURN_IF_ERROR(check_account(account));
  util::Bytes out(account_encoding_bytes(account));
  encode_account_into(account, out);
  return out;
}

namespace {

// decode_account() of `bytes`; where `owner` holds those bytes, the key keeps its buffer instead
// of a copy (the key is the record's tail, so it moves to the front: no allocation).
Result<Account> decode_account_from(util::ByteSpan bytes, util::Bytes* owner) {
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
  util::ByteSpan public_key;
  if (has_key) {
    QPOW_ASSIGN_OR_RETURN(public_key, read_key_bytes(reader, *scheme));
  }
  QPOW_RETURN_IF_ERROR(reader.expect_end());
  if (has_key) {
    util::Bytes key_bytes;
    if (owner != nullptr) {
      owner->erase(owner->begin(), owner->end() - static_cast<std::ptrdiff_t>(public_key.size()));
      key_bytes = std::move(*owner);
    } else {
      key_bytes = util::to_bytes(public_key);
    }
    account.key =
        AccountKey::with_known_commitment(scheme->id, std::move(key_bytes), key_commitment);
  }
  return account;
}

}  // namespace

Result<Account> decode_account(util::ByteSpan bytes) {
  return decode_account_from(bytes, nullptr);
}

Result<Account> decode_account(util::Bytes&& record) {
  return decode_account_from(record, &record);
}

Status check_account_key_commitment(const Account& account) {
  if (account.key && !account.key->commitment_matches()) {
    return Status::malformed(
        fmt::format("{}.key.commitment: does not match the key's bytes", kContext));
  }
  return Status::ok();
}

}  // namespace qpow::state
