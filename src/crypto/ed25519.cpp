#include "crypto/ed25519.h"

#include <sodium.h>

#include "crypto/secure_memory.h"
#include "util/assert.h"

namespace qpow::crypto::ed25519 {
namespace {

static_assert(crypto_sign_SEEDBYTES == kSeedBytes);
static_assert(crypto_sign_PUBLICKEYBYTES == kPublicKeyBytes);
static_assert(crypto_sign_BYTES == kSignatureBytes);

// libsodium must be initialised once before use; sodium_init() is idempotent and thread-safe,
// and a function-local static makes the first caller run it.
void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  QPOW_ASSERT_MSG(ready, "libsodium failed to initialise");
}

// libsodium's 64-byte secret key is seed || public key.
struct ExpandedKey {
  std::uint8_t pk[crypto_sign_PUBLICKEYBYTES];
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
  explicit ExpandedKey(Seed seed) {
    ensure_sodium();
    QPOW_ASSERT(crypto_sign_seed_keypair(pk, sk, seed.data()) == 0);
  }
  ~ExpandedKey() { secure_wipe(sk, sizeof sk); }
  ExpandedKey(const ExpandedKey&) = delete;
  ExpandedKey& operator=(const ExpandedKey&) = delete;
};

}  // namespace

void public_key(Seed seed, std::span<std::uint8_t, kPublicKeyBytes> pk) {
  const ExpandedKey key(seed);
  std::copy(std::begin(key.pk), std::end(key.pk), pk.begin());
}

void sign(Seed seed, util::ByteSpan message, std::span<std::uint8_t, kSignatureBytes> sig) {
  const ExpandedKey key(seed);
  unsigned long long len = 0;
  QPOW_ASSERT(crypto_sign_detached(sig.data(), &len, message.data(), message.size(), key.sk) == 0);
  QPOW_ASSERT(len == kSignatureBytes);
}

bool verify(PublicKey pk, util::ByteSpan message, util::ByteSpan sig) {
  if (sig.size() != kSignatureBytes) return false;
  ensure_sodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), pk.data()) == 0;
}

}  // namespace qpow::crypto::ed25519
