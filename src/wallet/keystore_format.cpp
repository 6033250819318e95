#include "wallet/keystore_format.h"

#include <cstring>
#include <set>
#include <string>

#include <fmt/format.h>

#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::wallet {
namespace {

constexpr std::uint8_t kFlagNext = 0x01;
constexpr std::uint8_t kFlagRetired = 0x02;
constexpr std::uint32_t kSealedMinBytes = 4 + kAeadTagBytes;  // an empty account list + tag
constexpr std::uint32_t kSealedMaxBytes = kPayloadMaxBytes + kAeadTagBytes;

// Writes into a buffer sized in advance, so secret bytes are never copied by a reallocation.
class FixedWriter {
 public:
  explicit FixedWriter(util::MutableByteSpan out) : out_(out) {}

  void u8(std::uint8_t v) { bytes({&v, 1}); }
  void u16(std::uint16_t v) {
    util::ByteArray<2> le;
    util::store_le16(le.data(), v);
    bytes(le);
  }
  void u32(std::uint32_t v) {
    util::ByteArray<4> le;
    util::store_le32(le.data(), v);
    bytes(le);
  }
  void bytes(util::ByteSpan data) {
    QPOW_ASSERT(data.size() <= out_.size() - at_);
    if (!data.empty()) std::memcpy(out_.data() + at_, data.data(), data.size());
    at_ += data.size();
  }
  std::size_t written() const { return at_; }

 private:
  util::MutableByteSpan out_;
  std::size_t at_ = 0;
};

std::size_t encoded_key_bytes(const StoredKey& key) {
  return 1 + key.public_key.size() + key.secret_key.size();
}

void encode_key(const StoredKey& key, FixedWriter& w) {
  const crypto::SchemeInfo& info = crypto::scheme_info(key.scheme);
  QPOW_ASSERT(key.public_key.size() == info.public_key_bytes);
  QPOW_ASSERT(key.secret_key.size() == info.secret_key_bytes);
  w.u8(static_cast<std::uint8_t>(key.scheme));
  w.bytes(key.public_key);
  w.bytes(key.secret_key);
}

void encode_entry(const KeyEntry& entry, FixedWriter& w) {
  QPOW_ASSERT(check_label(entry.label).is_ok());
  w.u32(entry.order);
  w.bytes(entry.address.bytes);
  w.u8(static_cast<std::uint8_t>(entry.label.size()));
  w.bytes(util::as_bytes(entry.label));
  encode_key(entry.current, w);
  const std::uint8_t flags = (entry.next ? kFlagNext : 0) | (entry.retired ? kFlagRetired : 0);
  w.u8(flags);
  if (entry.next) encode_key(*entry.next, w);
  if (entry.retired) encode_key(*entry.retired, w);
}

util::Result<StoredKey> decode_key(util::Reader& r, const std::string& field) {
  const std::size_t at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t id, r.u8(field + ".scheme"));
  util::Result<const crypto::SchemeInfo*> info = crypto::find_scheme(id);
  if (!info.is_ok()) {
    return info.status().with_context(
        fmt::format("keystore payload.{}.scheme at offset {}", field, at));
  }
  StoredKey key{.scheme = (*info)->id, .public_key = {}, .secret_key = {}};
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan pk,
                        r.bytes(field + ".public_key", (*info)->public_key_bytes));
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan sk,
                        r.bytes(field + ".secret_key", (*info)->secret_key_bytes));
  key.public_key = util::to_bytes(pk);
  key.secret_key = crypto::SecretBytes(sk);
  return key;
}

util::Result<KeyEntry> decode_entry(util::Reader& r, const std::string& field) {
  KeyEntry entry;
  QPOW_ASSIGN_OR_RETURN(entry.order, r.u32(field + ".order"));
  QPOW_RETURN_IF_ERROR(r.bytes_into(field + ".address", entry.address.bytes));
  const std::size_t label_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t label_len, r.u8(field + ".label_length"));
  if (label_len > kLabelMaxBytes) {
    return util::Status::out_of_range(
        fmt::format("keystore payload.{}.label_length: {} at offset {} is past the limit {}", field,
                    label_len, label_at, kLabelMaxBytes));
  }
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan label, r.bytes(field + ".label", label_len));
  entry.label.assign(label.begin(), label.end());
  QPOW_RETURN_IF_ERROR(check_label(entry.label).with_context("keystore payload." + field));
  QPOW_ASSIGN_OR_RETURN(entry.current, decode_key(r, field + ".current"));
  const std::size_t flags_at = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t flags, r.u8(field + ".flags"));
  if ((flags & ~(kFlagNext | kFlagRetired)) != 0) {
    return util::Status::malformed(fmt::format(
        "keystore payload.{}.flags: unknown bits 0x{:02x} at offset {}", field, flags, flags_at));
  }
  if (flags & kFlagNext) {
    QPOW_ASSIGN_OR_RETURN(entry.next, decode_key(r, field + ".next"));
  }
  if (flags & kFlagRetired) {
    QPOW_ASSIGN_OR_RETURN(entry.retired, decode_key(r, field + ".retired"));
  }
  return entry;
}

// Orders strictly increase, addresses and non-empty labels are unique.
util::Status check_entries(const std::vector<KeyEntry>& entries) {
  std::set<primitives::Address> addresses;
  std::set<std::string> labels;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const KeyEntry& e = entries[i];
    if (i > 0 && e.order <= entries[i - 1].order) {
      return util::Status::malformed(fmt::format("keystore payload.account[{}].order: {} after {}",
                                                 i, e.order, entries[i - 1].order));
    }
    if (!addresses.insert(e.address).second) {
      return util::Status::malformed(
          fmt::format("keystore payload.account[{}].address: listed twice", i));
    }
    if (!e.label.empty() && !labels.insert(e.label).second) {
      return util::Status::malformed(
          fmt::format("keystore payload.account[{}].label: '{}' listed twice", i, e.label));
    }
  }
  return util::Status::ok();
}

}  // namespace

util::Bytes encode_header(const KeystoreHeader& header) {
  // A fixed-size layout, written in place (offsets as in the header comment).
  util::Bytes out(kKeystoreHeaderBytes);
  FixedWriter w(out);
  w.bytes(kKeystoreMagic);
  w.u16(kKeystoreVersion);
  w.u8(kKdfArgon2id13);
  w.u32(header.kdf.opslimit);
  w.u32(header.kdf.memlimit_kib);
  w.bytes(header.salt);
  w.bytes(header.nonce);
  w.u32(header.sealed_bytes);
  QPOW_ASSERT(w.written() == kKeystoreHeaderBytes);
  return out;
}

util::Result<KeystoreFileView> decode_keystore_file(util::ByteSpan file) {
  util::Reader r(file, "keystore");
  KeystoreFileView view;
  QPOW_ASSIGN_OR_RETURN(const util::ByteSpan magic, r.bytes("magic", kKeystoreMagic.size()));
  if (!util::bytes_equal(magic, kKeystoreMagic)) {
    return util::Status::malformed("keystore: not a qpow keystore (no QPOWKEYS magic at offset 0)");
  }
  QPOW_ASSIGN_OR_RETURN(const std::uint16_t version, r.u16("version"));
  if (version != kKeystoreVersion) {
    return util::Status::unsupported(fmt::format(
        "keystore.version: format version {} at offset 8 is not supported (this build reads {})",
        version, kKeystoreVersion));
  }
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t kdf, r.u8("kdf"));
  if (kdf != kKdfArgon2id13) {
    return util::Status::unsupported(
        fmt::format("keystore.kdf: unknown key derivation {} at offset 10", kdf));
  }
  QPOW_ASSIGN_OR_RETURN(view.header.kdf.opslimit, r.u32("opslimit"));
  QPOW_ASSIGN_OR_RETURN(view.header.kdf.memlimit_kib, r.u32("memlimit"));
  QPOW_RETURN_IF_ERROR(check_kdf_params(view.header.kdf).with_context("keystore"));
  QPOW_RETURN_IF_ERROR(r.bytes_into("salt", view.header.salt));
  QPOW_RETURN_IF_ERROR(r.bytes_into("nonce", view.header.nonce));
  QPOW_ASSIGN_OR_RETURN(view.header.sealed_bytes, r.u32("sealed_length"));
  if (view.header.sealed_bytes < kSealedMinBytes || view.header.sealed_bytes > kSealedMaxBytes) {
    return util::Status::out_of_range(
        fmt::format("keystore.sealed_length: {} at offset 59 is outside {}..{}",
                    view.header.sealed_bytes, kSealedMinBytes, kSealedMaxBytes));
  }
  view.header_bytes = file.first(kKeystoreHeaderBytes);
  QPOW_ASSIGN_OR_RETURN(view.sealed, r.bytes("sealed_payload", view.header.sealed_bytes));
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return view;
}

std::size_t encoded_entry_bytes(const KeyEntry& entry) {
  return 4 + primitives::kAddressBytes + 1 + entry.label.size() + encoded_key_bytes(entry.current) +
         1 + (entry.next ? encoded_key_bytes(*entry.next) : 0) +
         (entry.retired ? encoded_key_bytes(*entry.retired) : 0);
}

crypto::SecretBytes encode_payload(std::span<const KeyEntry> entries) {
  QPOW_ASSERT(entries.size() <= kKeystoreKeysMax);
  std::size_t size = 4;
  for (const KeyEntry& e : entries) size += encoded_entry_bytes(e);
  QPOW_ASSERT(size <= kPayloadMaxBytes);
  crypto::SecretBytes payload(size);
  FixedWriter w(payload.mutable_span());
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const KeyEntry& e : entries) encode_entry(e, w);
  QPOW_ASSERT(w.written() == size);
  return payload;
}

util::Result<std::vector<KeyEntry>> decode_payload(util::ByteSpan payload) {
  util::Reader r(payload, "keystore payload");
  QPOW_ASSIGN_OR_RETURN(const std::uint32_t count, r.u32("count"));
  if (count > kKeystoreKeysMax) {
    return util::Status::out_of_range(
        fmt::format("keystore payload.count: {} accounts, at most {}", count, kKeystoreKeysMax));
  }
  std::vector<KeyEntry> entries;
  entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(KeyEntry entry, decode_entry(r, fmt::format("account[{}]", i)));
    entries.push_back(std::move(entry));
  }
  QPOW_RETURN_IF_ERROR(r.expect_end());
  QPOW_RETURN_IF_ERROR(check_entries(entries));
  return entries;
}

}  // namespace qpow::wallet
