// Helpers for writing byte-oriented tests: hex literals and seeded random bytes.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

#include <gtest/gtest.h>

#include "util/bytes.h"
#include "util/hex.h"

namespace qpow::test {

// Bytes of a hex literal in a test; a malformed literal is a broken test and aborts.
inline util::Bytes unhex(std::string_view hex) {
  util::Result<util::Bytes> bytes = util::from_hex(hex);
  if (!bytes.is_ok()) {
    ADD_FAILURE() << "bad hex literal in test: " << bytes.status().to_string();
    return {};
  }
  return std::move(bytes).value();
}

inline util::Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  util::Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

}  // namespace qpow::test
