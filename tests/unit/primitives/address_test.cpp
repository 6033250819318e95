// Addresses: derivation from (scheme, key), bech32m text per network, and clear errors.
#include "primitives/address.h"

#include "util/bech32.h"

#include <gtest/gtest.h>

#include "sample_txs.h"

namespace qpow::primitives {
namespace {

TEST(Address, DerivationCommitsToSchemeAndKey) {
  const auto kp = test::seeded_keypair(0x01);
  const Address a = Address::from_public_key(crypto::SchemeId::kMlDsa65, kp.public_key);
  EXPECT_NE(a, Address::from_public_key(crypto::SchemeId::kMlDsa44, kp.public_key));
  util::Bytes other = kp.public_key;
  other[0] ^= 1;
  EXPECT_NE(a, Address::from_public_key(crypto::SchemeId::kMlDsa65, other));
}

TEST(Address, TextRoundTripsOnEachNetwork) {
  const Address a = Address::from_public_key(crypto::kDefaultScheme, test::seeded_keypair(1).public_key);
  for (Network n : {Network::kMain, Network::kTest, Network::kRegtest}) {
    const std::string text = a.to_string(n);
    EXPECT_EQ(text.substr(0, 3), std::string(address_hrp(n)) + "1");
    auto back = parse_address(text, n);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(*back, a);
  }
}

TEST(Address, WrongNetworkVariantAndChecksumAreClearErrors) {
  const Address a = Address::from_public_key(crypto::kDefaultScheme, test::seeded_keypair(1).public_key);
  auto r = parse_address(a.to_string(Network::kMain), Network::kRegtest);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("prefix 'qp'"), std::string::npos);
  std::string text = a.to_string(Network::kMain);
  text.back() = text.back() == 'q' ? 'p' : 'q';
  EXPECT_FALSE(parse_address(text, Network::kMain).is_ok());
  // bech32 (not m) of the same data.
  auto symbols = util::convert_bits(a.bytes, 8, 5, true);
  auto bech32 = util::bech32_encode("qp", *symbols, util::Bech32Variant::kBech32);
  r = parse_address(*bech32, Network::kMain);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("bech32m"), std::string::npos);
  // 20 bytes instead of 32.
  auto short_symbols = util::convert_bits(util::ByteSpan(a.bytes).first(20), 8, 5, true);
  auto short_text = util::bech32_encode("qp", *short_symbols, util::Bech32Variant::kBech32m);
  r = parse_address(*short_text, Network::kMain);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("expected 32"), std::string::npos);
}

TEST(Network, NamesParse) {
  EXPECT_EQ(*parse_network("regtest"), Network::kRegtest);
  EXPECT_FALSE(parse_network("mainnet").is_ok());
  EXPECT_NE(chain_id(Network::kMain), chain_id(Network::kTest));
}

}  // namespace
}  // namespace qpow::primitives
