// util::bech32_decode: any input decodes or fails cleanly; a decoded string re-encodes to itself
// (in lower case) under the variant it was decoded as.
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "util/bech32.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto decoded = qpow::util::bech32_decode(text);
  if (!decoded.is_ok()) return 0;
  const auto again = qpow::util::bech32_encode(decoded->hrp, decoded->data, decoded->variant);
  FUZZ_CHECK(again.is_ok());
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  FUZZ_CHECK(*again == lower);
  const auto bytes = qpow::util::convert_bits(decoded->data, 5, 8, false);
  if (bytes.is_ok()) {
    const auto back = qpow::util::convert_bits(*bytes, 8, 5, true);
    FUZZ_CHECK(back.is_ok() && *back == decoded->data);
  }
  return 0;
}
