// Test helpers for ML-DSA: deterministic key pairs, signatures and the message representative,
// built only from the public interface (crypto/ml_dsa.h).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ml_dsa.h"
#include "crypto/sha3.h"
#include "util/bytes.h"

namespace qpow::crypto::mldsa::test {

inline constexpr ParameterSet kAllSets[] = {ParameterSet::kMlDsa44, ParameterSet::kMlDsa65,
                                            ParameterSet::kMlDsa87};

inline const char* set_name(ParameterSet set) {
  switch (set) {
    case ParameterSet::kMlDsa44:
      return "ML-DSA-44";
    case ParameterSet::kMlDsa65:
      return "ML-DSA-65";
    case ParameterSet::kMlDsa87:
      break;
  }
  return "ML-DSA-87";
}

struct KeyPair {
  util::Bytes pk;
  util::Bytes sk;
};

// The key pair of seed ξ = (tag, tag + 1, ...).
inline KeyPair make_keys(ParameterSet set, std::uint8_t tag, CpuPath path) {
  std::array<std::uint8_t, kSeedBytes> xi{};
  for (std::size_t i = 0; i < xi.size(); ++i) xi[i] = static_cast<std::uint8_t>(tag + i);
  KeyPair keys{util::Bytes(sizes(set).public_key), util::Bytes(sizes(set).secret_key)};
  keygen_internal(set, xi, keys.pk, keys.sk, path);
  return keys;
}

inline std::array<std::uint8_t, kRndBytes> rnd_of(std::uint8_t tag) {
  std::array<std::uint8_t, kRndBytes> rnd{};
  rnd.fill(tag);
  return rnd;
}

// Pure ML-DSA signature of message under ctx; fails the test if signing fails.
inline util::Bytes sign_or_fail(ParameterSet set, const KeyPair& keys, util::ByteSpan message,
                                util::ByteSpan ctx, std::uint8_t rnd_tag, CpuPath path) {
  util::Bytes sig(sizes(set).signature);
  const util::Status st = sign(set, keys.sk, message, ctx, rnd_of(rnd_tag), sig, path);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return sig;
}

// μ = H(H(pk, 64) || M', 64) (FIPS 204 Algorithm 7 line 6, Algorithm 8 lines 6-7).
inline std::array<std::uint8_t, kMuBytes> mu_of(util::ByteSpan pk, util::ByteSpan m_prime) {
  std::array<std::uint8_t, 64> tr{};
  Shake256().absorb(pk).squeeze(tr);
  std::array<std::uint8_t, kMuBytes> mu{};
  Shake256().absorb(tr).absorb(m_prime).squeeze(mu);
  return mu;
}

inline util::Bytes as_vector(std::string_view text) {
  return util::to_bytes(util::as_bytes(text));
}

}  // namespace qpow::crypto::mldsa::test
