#include "crypto/secure_memory.h"

#include <sodium.h>

namespace qpow::crypto {

void secure_wipe(void* data, std::size_t n) {
  if (n != 0) sodium_memzero(data, n);
}

bool constant_time_equal(util::ByteSpan a, util::ByteSpan b) {
  if (a.size() != b.size()) return false;
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<std::uint8_t>(a[i] ^ b[i]);
  // Fold without a data-dependent branch; the compiler cannot know diff's value.
  return ((static_cast<unsigned>(diff) - 1) >> 8) & 1;
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.wipe();
  }
  return *this;
}

void SecretBytes::wipe() {
  secure_wipe(bytes_.data(), bytes_.size());
  bytes_.clear();
}

}  // namespace qpow::crypto
