// The three qpow networks. Which one a value belongs to shows in its address prefix and in the
// chain id every transaction and header commits to; the consensus parameters of each network
// live in consensus/chain_params.h.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/result.h"

namespace qpow::primitives {

enum class Network : std::uint8_t {
  kMain,
  kTest,
  kRegtest,  // the local development network
};

// "main", "test", "regtest".
std::string_view network_name(Network network);
util::Result<Network> parse_network(std::string_view name);
// The bech32m human-readable part of the network's addresses: "qp", "tq", "rq".
std::string_view address_hrp(Network network);
// The chain id transactions and headers commit to (so a signature on one network is useless on
// another): 1 main, 2 test, 3 regtest.
std::uint32_t chain_id(Network network);

}  // namespace qpow::primitives
