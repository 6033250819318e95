// Fuzz target: transaction decoding. Whatever decodes must re-encode to the same bytes
// (the encoding is canonical) and never crash or allocate past the decoder's bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "primitives/transaction.h"
#include "util/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const qpow::util::ByteSpan input(data, size);
  auto tx = qpow::primitives::decode_tx(input);
  if (tx.is_ok() && !qpow::util::bytes_equal(qpow::primitives::encode_tx(*tx), input)) std::abort();
  return 0;
}
