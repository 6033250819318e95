// crypto::swifft_unpack: any 72 bytes unpack or fail cleanly; what unpacks packs back to itself.
#include "crypto/swifft.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < qpow::crypto::kSwifftPackedBytes) return 0;
  const std::span<const std::uint8_t, qpow::crypto::kSwifftPackedBytes> packed(data, 72);
  const auto z = qpow::crypto::swifft_unpack(packed);
  if (!z.is_ok()) return 0;
  const auto again = qpow::crypto::swifft_pack(*z);
  for (std::size_t i = 0; i < again.size(); ++i) FUZZ_CHECK(again[i] == data[i]);
  return 0;
}
