// Keccak-f[1600] in plain 64-bit C++: one state, one lane per machine word.
#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"
#include "crypto/keccak_lanes.h"

namespace qpow::crypto::keccak_internal {

void permute_portable(std::uint64_t* lanes) {
  permute<ScalarLanes>(lanes, 1);
}

}  // namespace qpow::crypto::keccak_internal
