#include "consensus/chain_params.h"

#include <string_view>

#include "crypto/sha3.h"
#include "util/assert.h"

namespace qpow::consensus {
namespace {

// Published on purpose: the regtest development key is everybody's.
constexpr std::string_view kDevKeySeedText = "qpow/regtest/dev-key/v1";
constexpr std::uint64_t kDevAllocation = 1'000'000 * kCoin;

util::Uint256 limit_of(std::uint32_t bits) {
  const util::CompactValue v = util::Uint256::from_compact(bits);
  QPOW_ASSERT(!v.negative && !v.overflow && !v.value.is_zero());
  return v.value;
}

ChainParams public_network(primitives::Network network, std::uint64_t genesis_time) {
  ChainParams p;
  p.network = network;
  p.chain_id = primitives::chain_id(network);
  p.genesis_bits = 0x1f00ffff;
  p.pow_limit = limit_of(p.genesis_bits);
  p.genesis_time = genesis_time;
  p.target_spacing_s = 60;
  p.asert_half_life_s = 2 * 24 * 60 * 60;
  p.initial_subsidy = 10 * kCoin;
  p.subsidy_halving_interval = 2'100'000;
  p.min_fee_per_byte = 1;
  return p;
}

ChainParams regtest() {
  ChainParams p;
  p.network = primitives::Network::kRegtest;
  p.chain_id = primitives::chain_id(p.network);
  p.genesis_bits = 0x207fffff;
  p.pow_limit = limit_of(p.genesis_bits);
  p.genesis_time = 1'767'225'600;  // 2026-01-01T00:00:00Z
  p.target_spacing_s = 2;
  p.asert_half_life_s = 10 * 60;
  p.initial_subsidy = 50 * kCoin;
  p.subsidy_halving_interval = 150;
  p.min_fee_per_byte = 1;
  const crypto::Hash256 seed = crypto::Sha3_256::hash(util::as_bytes(kDevKeySeedText));
  p.dev_key_seed.assign(seed.begin(), seed.end());
  const crypto::KeyPair dev = dev_keypair(p);
  p.genesis_allocations.push_back(
      {.address = primitives::Address::from_public_key(p.dev_key_scheme, dev.public_key),
       .amount = kDevAllocation});
  return p;
}

}  // namespace

const ChainParams& chain_params(primitives::Network network) {
  static const ChainParams main = public_network(primitives::Network::kMain, 1'798'761'600);
  static const ChainParams test = public_network(primitives::Network::kTest, 1'767'225'600);
  static const ChainParams reg = regtest();
  switch (network) {
    case primitives::Network::kMain: return main;
    case primitives::Network::kTest: return test;
    case primitives::Network::kRegtest: return reg;
  }
  QPOW_UNREACHABLE();
}

std::uint64_t block_subsidy(const ChainParams& params, std::uint64_t height) {
  if (height == 0) return 0;
  const std::uint64_t halvings = height / params.subsidy_halving_interval;
  if (halvings >= 64) return 0;
  return params.initial_subsidy >> halvings;
}

crypto::KeyPair dev_keypair(const ChainParams& params) {
  QPOW_ASSERT(!params.dev_key_seed.empty());
  auto kp = crypto::keygen(params.dev_key_scheme, params.dev_key_seed);
  QPOW_ASSERT(kp.is_ok());
  return std::move(kp).value();
}

}  // namespace qpow::consensus
