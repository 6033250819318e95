#include "crypto/prehash.h"

#include <array>

#include <openssl/evp.h>

#include "crypto/sha3.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

struct Entry {
  PreHash id;
  std::string_view name;
  std::uint8_t oid_last;     // last arc of 2.16.840.1.101.3.4.2.x
  const char* openssl_name;  // for the SHA-2 family, else nullptr
};

constexpr std::array<Entry, 12> kEntries = {{
    {PreHash::kSha2_224, "SHA2-224", 0x04, "SHA2-224"},
    {PreHash::kSha2_256, "SHA2-256", 0x01, "SHA2-256"},
    {PreHash::kSha2_384, "SHA2-384", 0x02, "SHA2-384"},
    {PreHash::kSha2_512, "SHA2-512", 0x03, "SHA2-512"},
    {PreHash::kSha2_512_224, "SHA2-512/224", 0x05, "SHA2-512/224"},
    {PreHash::kSha2_512_256, "SHA2-512/256", 0x06, "SHA2-512/256"},
    {PreHash::kSha3_224, "SHA3-224", 0x07, nullptr},
    {PreHash::kSha3_256, "SHA3-256", 0x08, nullptr},
    {PreHash::kSha3_384, "SHA3-384", 0x09, nullptr},
    {PreHash::kSha3_512, "SHA3-512", 0x0a, nullptr},
    {PreHash::kShake128, "SHAKE-128", 0x0b, nullptr},
    {PreHash::kShake256, "SHAKE-256", 0x0c, nullptr},
}};

const Entry& entry(PreHash h) {
  for (const Entry& e : kEntries) {
    if (e.id == h) return e;
  }
  QPOW_UNREACHABLE();
}

// The SHA-2 EVP_MDs, fetched once (thread-safe static initialization) and kept for the process.
const EVP_MD* openssl_md(PreHash h) {
  static const std::array<EVP_MD*, kEntries.size()> mds = [] {
    std::array<EVP_MD*, kEntries.size()> m{};
    for (std::size_t i = 0; i < kEntries.size(); ++i) {
      if (kEntries[i].openssl_name != nullptr) {
        m[i] = EVP_MD_fetch(nullptr, kEntries[i].openssl_name, nullptr);
      }
    }
    return m;
  }();
  const EVP_MD* md = mds[static_cast<std::size_t>(&entry(h) - kEntries.data())];
  QPOW_ASSERT_MSG(md != nullptr, "OpenSSL lacks a SHA-2 digest");
  return md;
}

util::Bytes openssl_digest(PreHash h, util::ByteSpan message) {
  const EVP_MD* md = openssl_md(h);
  util::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  const int ok = EVP_Digest(message.data(), message.size(), out.data(), &len, md, nullptr);
  QPOW_ASSERT_MSG(ok == 1 && len == out.size(), "OpenSSL digest failed");
  return out;
}

template <class Hash>
util::Bytes sha3_digest(util::ByteSpan message) {
  const auto d = Hash::hash(message);
  return {d.begin(), d.end()};
}

}  // namespace

std::string_view prehash_name(PreHash h) {
  return entry(h).name;
}

std::optional<PreHash> parse_prehash(std::string_view name) {
  for (const Entry& e : kEntries) {
    if (e.name == name) return e.id;
  }
  return std::nullopt;
}

std::span<const std::uint8_t, kPreHashOidBytes> prehash_oid(PreHash h) {
  static const auto table = [] {
    std::array<std::array<std::uint8_t, kPreHashOidBytes>, kEntries.size()> t{};
    for (std::size_t i = 0; i < kEntries.size(); ++i) {
      t[i] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, kEntries[i].oid_last};
    }
    return t;
  }();
  for (std::size_t i = 0; i < kEntries.size(); ++i) {
    if (kEntries[i].id == h) return table[i];
  }
  QPOW_UNREACHABLE();
}

util::Bytes prehash_digest(PreHash h, util::ByteSpan message) {
  switch (h) {
    case PreHash::kSha3_224:
      return sha3_digest<Sha3_224>(message);
    case PreHash::kSha3_256:
      return sha3_digest<Sha3_256>(message);
    case PreHash::kSha3_384:
      return sha3_digest<Sha3_384>(message);
    case PreHash::kSha3_512:
      return sha3_digest<Sha3_512>(message);
    case PreHash::kShake128:
      return Shake128::hash(message, 32);
    case PreHash::kShake256:
      return Shake256::hash(message, 64);
    default:
      return openssl_digest(h, message);
  }
}

}  // namespace qpow::crypto
