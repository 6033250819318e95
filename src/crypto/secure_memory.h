// Handling secrets: wiping memory so a secret does not outlive its use, a byte buffer that wipes
// itself, and comparison whose time does not depend on where two secrets first differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/bytes.h"

namespace qpow::crypto {

// Overwrites n bytes with zeros in a way the compiler may not remove (libsodium's memzero).
void secure_wipe(void* data, std::size_t n);

// Compares equal-length buffers in time that depends only on the length. Buffers of different
// lengths are unequal (the lengths themselves are not secret).
bool constant_time_equal(util::ByteSpan a, util::ByteSpan b);

// A fixed-size byte buffer for secret keys and seeds: zeroed when destroyed, when assigned over,
// and when moved from. It never reallocates, so no stale copy is left behind in freed memory.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : bytes_(size, 0) {}
  explicit SecretBytes(util::ByteSpan data) : bytes_(data.begin(), data.end()) {}
  SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  util::ByteSpan span() const { return bytes_; }
  util::MutableByteSpan mutable_span() { return bytes_; }
  // Implicit view, so a SecretBytes can be passed where a ByteSpan is read.
  operator util::ByteSpan() const { return bytes_; }  // NOLINT

 private:
  void wipe();

  std::vector<std::uint8_t> bytes_;
};

}  // namespace qpow::crypto
