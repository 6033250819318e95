// Fuzz target: account records and sparse-Merkle-tree proofs. Whatever decodes must re-encode to
// the same bytes; nothing may crash or allocate past the decoders' bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "state/account.h"
#include "state/smt_proof.h"
#include "util/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const qpow::util::ByteSpan input(data, size);
  auto account = qpow::state::decode_account(input);
  if (account.is_ok()) {
    auto again = qpow::state::encode_account(*account);
    if (!again.is_ok() || !qpow::util::bytes_equal(*again, input)) std::abort();
  }
  auto proof = qpow::state::decode_proof(input);
  if (proof.is_ok() && !qpow::util::bytes_equal(qpow::state::encode_proof(*proof), input)) {
    std::abort();
  }
  return 0;
}
