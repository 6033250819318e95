// Consensus parameters of each network, in one type (STYLE: "Consensus constants live in one
// parameters type per network, never sprinkled as literals").
//
//            spacing  ASERT half-life  pow limit (bits)  subsidy       halving every
//   main       60 s        2 days      0x1f00ffff        10 QPOW       2,100,000 blocks
//   test       60 s        2 days      0x1f00ffff        10 QPOW       2,100,000 blocks
//   regtest     2 s       10 min       0x207fffff        50 QPOW             150 blocks
//
// The genesis block is fixed by these parameters: its header has height 0, the all-zero parent,
// genesis_time, genesis_bits, the empty transaction, receipt and finality roots, and the state
// root of genesis_allocations (computed by the state layer, chain/genesis.h). Regtest's genesis
// funds the well-known development key (dev_key_seed below, published on purpose: anyone may spend
// regtest coins); main and test start empty. The genesis block needs no proof of work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/signature_scheme.h"
#include "primitives/address.h"
#include "primitives/network.h"
#include "util/bytes.h"
#include "util/uint256.h"

namespace qpow::consensus {

inline constexpr std::uint64_t kCoin = 100'000'000;  // base units per QPOW (8 decimals)
// 11 timestamps decide the median time past (Bitcoin's rule).
inline constexpr std::size_t kMedianTimeSpan = 11;
// A header may be at most this far ahead of the node's adjusted time.
inline constexpr std::uint64_t kMaxFutureBlockTimeS = 2 * 60 * 60;

struct GenesisAllocation {
  primitives::Address address{};
  std::uint64_t amount = 0;
};

struct ChainParams {
  primitives::Network network = primitives::Network::kMain;
  std::uint32_t chain_id = 0;
  std::uint32_t shard_count = 1;  // shards 0..shard_count-1 exist (sharding extends this)
  util::Uint256 pow_limit{};
  std::uint32_t genesis_bits = 0;
  std::uint64_t genesis_time = 0;
  std::int64_t target_spacing_s = 0;
  std::int64_t asert_half_life_s = 0;
  std::uint64_t initial_subsidy = 0;
  std::uint64_t subsidy_halving_interval = 0;
  // Consensus minimum fee: this many base units per encoded byte of the transaction.
  std::uint64_t min_fee_per_byte = 0;
  std::vector<GenesisAllocation> genesis_allocations;
  // Regtest only: the published seed of the development key the genesis funds.
  crypto::SchemeId dev_key_scheme = crypto::kDefaultScheme;
  util::Bytes dev_key_seed;
};

// The parameters of a network; built once, immutable.
const ChainParams& chain_params(primitives::Network network);

// The new coins a block at `height` may pay its miner (0 for genesis and after 64 halvings).
std::uint64_t block_subsidy(const ChainParams& params, std::uint64_t height);

// The regtest development key (derived from params.dev_key_seed): what `qpow node --dev` funds
// and tests spend from.
crypto::KeyPair dev_keypair(const ChainParams& params);

}  // namespace qpow::consensus
