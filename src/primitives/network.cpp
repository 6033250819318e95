#include "primitives/network.h"

#include <string>

#include "util/assert.h"

namespace qpow::primitives {

std::string_view network_name(Network network) {
  switch (network) {
    case Network::kMain: return "main";
    case Network::kTest: return "test";
    case Network::kRegtest: return "regtest";
  }
  QPOW_UNREACHABLE();
}

util::Result<Network> parse_network(std::string_view name) {
  for (Network n : {Network::kMain, Network::kTest, Network::kRegtest}) {
    if (name == network_name(n)) return n;
  }
  return util::Status::invalid_argument("unknown network '" + std::string(name) +
                                        "' (expected main, test or regtest)");
}

std::string_view address_hrp(Network network) {
  switch (network) {
    case Network::kMain: return "qp";
    case Network::kTest: return "tq";
    case Network::kRegtest: return "rq";
  }
  QPOW_UNREACHABLE();
}

std::uint32_t chain_id(Network network) {
  switch (network) {
    case Network::kMain: return 1;
    case Network::kTest: return 2;
    case Network::kRegtest: return 3;
  }
  QPOW_UNREACHABLE();
}

}  // namespace qpow::primitives
