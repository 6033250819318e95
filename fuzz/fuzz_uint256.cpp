// util::Uint256: hex parsing round-trips, compact bits decode and re-encode consistently, and
// division identities hold for values built from the input.
#include <cstring>
#include <string_view>

#include "fuzz_check.h"
#include "util/uint256.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qpow::util::Uint256;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = Uint256::from_hex(text);
  if (parsed.is_ok()) FUZZ_CHECK(*Uint256::from_hex(parsed->to_hex()) == *parsed);

  if (size < 4) return 0;
  std::uint32_t bits = 0;
  std::memcpy(&bits, data, 4);
  const auto compact = Uint256::from_compact(bits);
  if (!compact.overflow) {
    // Re-encoding the decoded value and decoding again gives the same value.
    const std::uint32_t again = compact.value.to_compact(compact.negative);
    const auto round = Uint256::from_compact(again);
    FUZZ_CHECK(round.value == compact.value && !round.overflow);
  }
  if (size >= 4 + 32 + 8) {
    const Uint256 x = Uint256::from_le_bytes(std::span<const std::uint8_t, 32>(data + 4, 32));
    std::uint64_t d = 0;
    std::memcpy(&d, data + 36, 8);
    if (d != 0) {
      const Uint256 q = x / d;
      const auto back = Uint256::checked_mul(q, d);
      FUZZ_CHECK(back.has_value());
      FUZZ_CHECK(*back + Uint256(x.mod_u64(d)) == x);
      const Uint256 big_d = (Uint256(d) << (d % 200)) + Uint256(1);
      const Uint256 q2 = x / big_d;
      FUZZ_CHECK(q2 <= x);
    }
  }
  return 0;
}
