#include "wallet/keystore.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "crypto/os_random.h"
#include "util/assert.h"
#include "wallet/keystore_format.h"
#include "wallet/next_key.h"

namespace qpow::wallet {
namespace {

util::Result<StoredKey> generate_key(crypto::SchemeId scheme) {
  QPOW_ASSIGN_OR_RETURN(crypto::KeyPair pair, crypto::keygen(scheme));
  return StoredKey{.scheme = scheme,
                   .public_key = std::move(pair.public_key),
                   .secret_key = std::move(pair.secret_key)};
}

}  // namespace

util::Result<Keystore> Keystore::create(std::string path, std::string_view passphrase,
                                        const KeystoreOptions& options) {
  QPOW_RETURN_IF_ERROR(check_kdf_params(options.kdf));
  QPOW_RETURN_IF_ERROR(check_passphrase(passphrase));
  // Checked before the costly key derivation; the final link(2) still refuses a file that
  // appears in between.
  if (path_exists(path)) {
    return util::Status::error(util::StatusCode::kAlreadyExists,
                               fmt::format("'{}' already exists", path));
  }
  Keystore keystore(std::move(path), options.kdf);
  QPOW_RETURN_IF_ERROR(crypto::os_random(keystore.salt_));
  QPOW_ASSIGN_OR_RETURN(keystore.key_, derive_key(passphrase, keystore.salt_, keystore.kdf_));
  QPOW_RETURN_IF_ERROR(keystore.write(WriteMode::kCreateNew));
  return keystore;
}

util::Result<Keystore> Keystore::open(std::string path, std::string_view passphrase) {
  QPOW_RETURN_IF_ERROR(check_passphrase(passphrase));
  QPOW_ASSIGN_OR_RETURN(const util::Bytes file, read_file(path, kKeystoreFileMaxBytes));
  return decrypt(std::move(path), file, passphrase);
}

util::Result<Keystore> Keystore::decrypt(std::string path, util::ByteSpan file,
                                         std::string_view passphrase) {
  QPOW_RETURN_IF_ERROR(check_passphrase(passphrase));
  util::Result<KeystoreFileView> view = decode_keystore_file(file);
  if (!view.is_ok()) return view.status().with_context(path);
  Keystore keystore(std::move(path), view->header.kdf);
  keystore.salt_ = view->header.salt;
  QPOW_ASSIGN_OR_RETURN(keystore.key_, derive_key(passphrase, keystore.salt_, keystore.kdf_));
  util::Result<crypto::SecretBytes> payload =
      unseal(keystore.key_, view->header.nonce, view->header_bytes, view->sealed);
  if (!payload.is_ok()) return payload.status().with_context(keystore.path_);
  util::Result<std::vector<KeyEntry>> entries = decode_payload(*payload);
  if (!entries.is_ok()) return entries.status().with_context(keystore.path_);
  keystore.entries_ = std::move(entries).value();
  return keystore;
}

util::Result<primitives::Address> Keystore::add_key(crypto::SchemeId scheme, std::string_view label,
                                                    PreRotation pre_rotation) {
  QPOW_RETURN_IF_ERROR(check_label(label));
  if (find_label(label) != nullptr) {
    return util::Status::error(util::StatusCode::kAlreadyExists,
                               fmt::format("label '{}' is already in use", label));
  }
  if (entries_.size() >= kKeystoreKeysMax) {
    return util::Status::out_of_range(
        fmt::format("the keystore is full: it holds at most {} accounts", kKeystoreKeysMax));
  }
  KeyEntry entry;
  QPOW_ASSIGN_OR_RETURN(entry.current, generate_key(scheme));
  if (pre_rotation == PreRotation::kCommitNextKey) {
    QPOW_ASSIGN_OR_RETURN(entry.next, generate_key(scheme));
  }
  entry.address = primitives::Address::from_public_key(scheme, entry.current.public_key);
  entry.label = std::string(label);
  entry.order = entries_.empty() ? 0 : entries_.back().order + 1;
  if (find(entry.address) != nullptr) {
    // Two fresh keys with one address would be a SHA3-256 collision or a broken RNG.
    return util::Status::error(util::StatusCode::kInternal,
                               "a freshly generated key has the address of an existing account");
  }
  entries_.push_back(std::move(entry));
  return entries_.back().address;
}

const KeyEntry* Keystore::find(const primitives::Address& address) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const KeyEntry& e) { return e.address == address; });
  return it == entries_.end() ? nullptr : &*it;
}

const KeyEntry* Keystore::find_label(std::string_view label) const {
  if (label.empty()) return nullptr;
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const KeyEntry& e) { return e.label == label; });
  return it == entries_.end() ? nullptr : &*it;
}

util::Result<Rotation> Keystore::rotate(const primitives::Address& address) {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const KeyEntry& e) { return e.address == address; });
  if (it == entries_.end()) {
    return util::Status::not_found(fmt::format("no account {} in the keystore", address.to_hex()));
  }
  KeyEntry& entry = *it;
  // Every key is generated before the entry changes, so a failure leaves it as it was.
  Rotation rotation{.address = entry.address,
                    .old_key = entry.current,
                    .new_key = {},
                    .new_key_was_committed = entry.next.has_value(),
                    .next_commitment = {}};
  StoredKey promoted;
  if (entry.next) {
    promoted = *entry.next;
  } else {
    QPOW_ASSIGN_OR_RETURN(promoted, generate_key(entry.current.scheme));
  }
  QPOW_ASSIGN_OR_RETURN(StoredKey next, generate_key(promoted.scheme));
  rotation.next_commitment = next_key_commitment(next.scheme, next.public_key);
  rotation.new_key = promoted;

  entry.retired = std::move(entry.current);
  entry.current = std::move(promoted);
  entry.next = std::move(next);
  return rotation;
}

util::Status Keystore::save() {
  return write(WriteMode::kReplace);
}

util::Status Keystore::change_passphrase(std::string_view new_passphrase, const KdfParams& kdf) {
  QPOW_RETURN_IF_ERROR(check_kdf_params(kdf));
  QPOW_RETURN_IF_ERROR(check_passphrase(new_passphrase));
  util::ByteArray<kSaltBytes> salt{};
  QPOW_RETURN_IF_ERROR(crypto::os_random(salt));
  QPOW_ASSIGN_OR_RETURN(crypto::SecretBytes key, derive_key(new_passphrase, salt, kdf));
  // Swap in the new key; if the file cannot be written it still holds the old encryption, and
  // so must this object.
  std::swap(salt_, salt);
  std::swap(key_, key);
  const KdfParams old_kdf = std::exchange(kdf_, kdf);
  const util::Status saved = save();
  if (!saved.is_ok()) {
    std::swap(salt_, salt);
    std::swap(key_, key);
    kdf_ = old_kdf;
  }
  return saved;
}

util::Status Keystore::write(WriteMode mode) const {
  KeystoreHeader header{.kdf = kdf_, .salt = salt_, .nonce = {}, .sealed_bytes = 0};
  QPOW_RETURN_IF_ERROR(crypto::os_random(header.nonce));
  const crypto::SecretBytes payload = encode_payload(entries_);
  header.sealed_bytes = static_cast<std::uint32_t>(payload.size() + kAeadTagBytes);
  util::Bytes file = encode_header(header);
  const util::Bytes sealed = seal(key_, header.nonce, file, payload);
  file.insert(file.end(), sealed.begin(), sealed.end());
  return write_file_atomically(path_, file, mode);
}

}  // namespace qpow::wallet
