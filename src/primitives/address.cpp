#include "primitives/address.h"

#include <algorithm>
#include <string>

#include "crypto/sha3.h"
#include "util/bech32.h"
#include "util/hex.h"

namespace qpow::primitives {

Address Address::from_public_key(crypto::SchemeId scheme, util::ByteSpan public_key) {
  const std::uint8_t id = static_cast<std::uint8_t>(scheme);
  crypto::Sha3_256 h;
  h.absorb(util::as_bytes(kAddressDomain)).absorb({&id, 1}).absorb(public_key);
  return Address{.bytes = h.finalize()};
}

Address Address::from_bytes(std::span<const std::uint8_t, kAddressBytes> raw) {
  Address a;
  std::copy(raw.begin(), raw.end(), a.bytes.begin());
  return a;
}

bool Address::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string Address::to_string(Network network) const {
  auto symbols = util::convert_bits(bytes, 8, 5, /*pad=*/true);
  QPOW_ASSERT(symbols.is_ok());
  auto text = util::bech32_encode(address_hrp(network), *symbols, util::Bech32Variant::kBech32m);
  QPOW_ASSERT(text.is_ok());
  return std::move(text).value();
}

std::string Address::to_hex() const { return util::to_hex(bytes); }

util::Result<Address> parse_address(std::string_view text, Network network) {
  auto decoded = util::bech32_decode(text);
  if (!decoded.is_ok()) return decoded.status().with_context("address");
  const std::string_view want = address_hrp(network);
  if (decoded->hrp != want) {
    return util::Status::invalid_argument("address: prefix '" + decoded->hrp + "' is not " +
                                          std::string(network_name(network)) + "'s '" +
                                          std::string(want) + "'");
  }
  if (decoded->variant != util::Bech32Variant::kBech32m) {
    return util::Status::malformed("address: uses bech32, qpow addresses use bech32m");
  }
  auto raw = util::convert_bits(decoded->data, 5, 8, /*pad=*/false);
  if (!raw.is_ok()) return raw.status().with_context("address");
  if (raw->size() != kAddressBytes) {
    return util::Status::malformed("address: " + std::to_string(raw->size()) +
                                   " bytes, expected 32");
  }
  return Address::from_bytes(std::span<const std::uint8_t, kAddressBytes>(raw->data(), 32));
}

}  // namespace qpow::primitives
