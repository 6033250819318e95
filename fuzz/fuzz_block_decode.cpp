// Fuzz target: block and header decoding. Whatever decodes must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "primitives/block.h"
#include "util/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const qpow::util::ByteSpan input(data, size);
  auto block = qpow::primitives::decode_block(input);
  if (block.is_ok() && !qpow::util::bytes_equal(qpow::primitives::encode_block(*block), input)) {
    std::abort();
  }
  auto header = qpow::primitives::decode_header(input);
  if (header.is_ok()) {
    const auto enc = qpow::primitives::encode_header(*header);
    if (!qpow::util::bytes_equal(enc, input)) std::abort();
  }
  return 0;
}
