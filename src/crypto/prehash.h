// The pre-hash functions allowed by HashML-DSA (FIPS 204 §5.4) and HashSLH-DSA (FIPS 205 §10.2):
// their names as NIST's ACVP writes them, their DER-encoded object identifiers (which the signed
// message representative includes), and the digest itself. SHAKE128 and SHAKE256 pre-hashes have
// 256- and 512-bit outputs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "util/bytes.h"

namespace qpow::crypto {

enum class PreHash : std::uint8_t {
  kSha2_224,
  kSha2_256,
  kSha2_384,
  kSha2_512,
  kSha2_512_224,
  kSha2_512_256,
  kSha3_224,
  kSha3_256,
  kSha3_384,
  kSha3_512,
  kShake128,
  kShake256,
};

inline constexpr std::size_t kPreHashOidBytes = 11;

// "SHA2-256", "SHA2-512/224", "SHA3-384", "SHAKE-128", ... (ACVP spelling).
std::string_view prehash_name(PreHash h);
std::optional<PreHash> parse_prehash(std::string_view name);

// 06 09 60 86 48 01 65 03 04 02 xx: the NIST hash algorithm arc 2.16.840.1.101.3.4.2.
std::span<const std::uint8_t, kPreHashOidBytes> prehash_oid(PreHash h);

// PH(message): SHA-2 through OpenSSL, SHA-3 and SHAKE through qpow's Keccak.
util::Bytes prehash_digest(PreHash h, util::ByteSpan message);

}  // namespace qpow::crypto
