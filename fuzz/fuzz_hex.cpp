// util::from_hex: any input decodes or fails cleanly; what decodes re-encodes to the same digits.
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "util/hex.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto bytes = qpow::util::from_hex(text);
  if (!bytes.is_ok()) {
    FUZZ_CHECK(!bytes.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(bytes->size() * 2 == size);
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  FUZZ_CHECK(qpow::util::to_hex(*bytes) == lower);
  return 0;
}
