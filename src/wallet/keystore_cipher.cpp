#include "wallet/keystore_cipher.h"

#include <fmt/format.h>
#include <sodium.h>

#include "util/assert.h"

namespace qpow::wallet {
namespace {

static_assert(kSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kCipherKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kKdfInteractive.opslimit == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(kKdfInteractive.memlimit_kib * 1024ULL ==
              crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(kKdfModerate.opslimit == crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
static_assert(kKdfModerate.memlimit_kib * 1024ULL == crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
static_assert(kKdfSensitive.opslimit == crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE);
static_assert(kKdfSensitive.memlimit_kib * 1024ULL == crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
static_assert(kKdfOpsLimitMin == crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kKdfMemLimitKibMin * 1024ULL == crypto_pwhash_argon2id_MEMLIMIT_MIN);

// libsodium must be initialised before use; sodium_init() is idempotent and thread-safe.
util::Status sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) return util::Status::error(util::StatusCode::kInternal, "libsodium failed to start");
  return util::Status::ok();
}

}  // namespace

util::Status check_kdf_params(const KdfParams& params) {
  if (params.opslimit < kKdfOpsLimitMin || params.opslimit > kKdfOpsLimitMax) {
    return util::Status::out_of_range(fmt::format(
        "kdf opslimit {} is outside {}..{}", params.opslimit, kKdfOpsLimitMin, kKdfOpsLimitMax));
  }
  if (params.memlimit_kib < kKdfMemLimitKibMin || params.memlimit_kib > kKdfMemLimitKibMax) {
    return util::Status::out_of_range(fmt::format("kdf memlimit {} KiB is outside {}..{} KiB",
                                                  params.memlimit_kib, kKdfMemLimitKibMin,
                                                  kKdfMemLimitKibMax));
  }
  return util::Status::ok();
}

util::Status check_passphrase(std::string_view passphrase) {
  if (passphrase.empty()) return util::Status::invalid_argument("the passphrase is empty");
  if (passphrase.size() > kPassphraseMaxBytes) {
    return util::Status::out_of_range(fmt::format("the passphrase is {} bytes, at most {}",
                                                  passphrase.size(), kPassphraseMaxBytes));
  }
  return util::Status::ok();
}

util::Result<crypto::SecretBytes> derive_key(std::string_view passphrase, util::ByteSpan salt,
                                             const KdfParams& params) {
  QPOW_RETURN_IF_ERROR(sodium_ready());
  QPOW_RETURN_IF_ERROR(check_kdf_params(params));
  QPOW_RETURN_IF_ERROR(check_passphrase(passphrase));
  QPOW_ASSERT(salt.size() == kSaltBytes);
  crypto::SecretBytes key(kCipherKeyBytes);
  const int rc = crypto_pwhash(
      key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(), params.opslimit,
      static_cast<std::size_t>(params.memlimit_kib) * 1024, crypto_pwhash_ALG_ARGON2ID13);
  if (rc != 0) {
    return util::Status::io_error(fmt::format(
        "Argon2id could not allocate {} MiB for the keystore key", params.memlimit_kib / 1024));
  }
  return key;
}

util::Bytes seal(const crypto::SecretBytes& key, util::ByteSpan nonce,
                 util::ByteSpan associated_data, util::ByteSpan plaintext) {
  QPOW_ASSERT(sodium_ready().is_ok());
  QPOW_ASSERT(key.size() == kCipherKeyBytes && nonce.size() == kNonceBytes);
  util::Bytes sealed(plaintext.size() + kAeadTagBytes);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.data(), &sealed_len, plaintext.data(), plaintext.size(), associated_data.data(),
      associated_data.size(), nullptr, nonce.data(), key.data());
  QPOW_ASSERT(sealed_len == sealed.size());
  return sealed;
}

util::Result<crypto::SecretBytes> unseal(const crypto::SecretBytes& key, util::ByteSpan nonce,
                                         util::ByteSpan associated_data, util::ByteSpan sealed) {
  QPOW_RETURN_IF_ERROR(sodium_ready());
  QPOW_ASSERT(key.size() == kCipherKeyBytes && nonce.size() == kNonceBytes);
  if (sealed.size() < kAeadTagBytes) {
    return util::Status::malformed(fmt::format(
        "ciphertext of {} bytes is shorter than its {}-byte tag", sealed.size(), kAeadTagBytes));
  }
  crypto::SecretBytes plaintext(sealed.size() - kAeadTagBytes);
  unsigned long long plaintext_len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plaintext.data(), &plaintext_len, nullptr, sealed.data(), sealed.size(),
      associated_data.data(), associated_data.size(), nonce.data(), key.data());
  if (rc != 0) {
    return util::Status::invalid_argument("wrong passphrase or corrupted keystore");
  }
  QPOW_ASSERT(plaintext_len == plaintext.size());
  return plaintext;
}

}  // namespace qpow::wallet
