// An account address: 32 bytes, SHA3-256("qpow/address/v1" || scheme id || public key)
// (DESIGN §4). Text form is bech32m under the network's prefix ("qp1...", "tq1...", "rq1...").
// The address does not change when the account rotates its key: it names the account, the key
// that controls it is account state.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/signature_scheme.h"
#include "primitives/network.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::primitives {

inline constexpr std::size_t kAddressBytes = 32;
inline constexpr std::string_view kAddressDomain = "qpow/address/v1";

struct Address {
  util::ByteArray<kAddressBytes> bytes{};

  // The address of the account first controlled by this key.
  static Address from_public_key(crypto::SchemeId scheme, util::ByteSpan public_key);
  static Address from_bytes(std::span<const std::uint8_t, kAddressBytes> raw);

  bool is_zero() const;
  // bech32m text with the network's prefix.
  std::string to_string(Network network) const;
  // Lower-case hex of the 32 bytes.
  std::string to_hex() const;

  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;
};

// Parses a bech32m address of `network`; the error says what is wrong (another network's prefix,
// bech32 instead of bech32m, a bad checksum, a wrong length).
util::Result<Address> parse_address(std::string_view text, Network network);

}  // namespace qpow::primitives
