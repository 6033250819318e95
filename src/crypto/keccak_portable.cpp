// Keccak-f[1600] in plain 64-bit C++: one state, one lane per machine word.
#include "crypto/keccak_backends.h"
#include "crypto/keccak_kernel.h"

namespace qpow::crypto::keccak_internal {
namespace {

struct ScalarLanes {
  using Lane = std::uint64_t;
  static Lane load(const std::uint64_t* p) { return *p; }
  static void store(std::uint64_t* p, Lane v) { *p = v; }
  static Lane xor2(Lane a, Lane b) { return a ^ b; }
  static Lane xor5(Lane a, Lane b, Lane c, Lane d, Lane e) { return a ^ b ^ c ^ d ^ e; }
  static Lane chi(Lane a, Lane b, Lane c) { return a ^ (~b & c); }
  static Lane xor_word(Lane a, std::uint64_t w) { return a ^ w; }
  template <int n>
  static Lane rol(Lane v) {
    if constexpr (n == 0) {
      return v;
    } else {
      return (v << n) | (v >> (64 - n));
    }
  }
};

}  // namespace

void permute_portable(std::uint64_t* lanes) { permute<ScalarLanes>(lanes, 1); }

}  // namespace qpow::crypto::keccak_internal
