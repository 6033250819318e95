// The keystore decoders (wallet/keystore_format.h): any bytes either fail to decode or decode to
// a header / account list that re-encodes to exactly the input (the format is canonical).
#include "fuzz_check.h"
#include "util/bytes.h"
#include "wallet/keystore_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qpow;
  const util::ByteSpan input(data, size);

  const auto file = wallet::decode_keystore_file(input);
  if (file.is_ok()) {
    FUZZ_CHECK(file->header_bytes.size() == wallet::kKeystoreHeaderBytes);
    FUZZ_CHECK(file->sealed.size() == file->header.sealed_bytes);
    FUZZ_CHECK(util::bytes_equal(wallet::encode_header(file->header), file->header_bytes));
  }

  const auto entries = wallet::decode_payload(input);
  if (entries.is_ok()) {
    FUZZ_CHECK(util::bytes_equal(wallet::encode_payload(*entries), input));
  }
  return 0;
}
