// util::Reader: the input drives a sequence of reads (the first byte of each step picks the kind).
// Every read succeeds or fails without moving past the end; values re-encode to the bytes read.
#include "fuzz_check.h"
#include "util/serialize.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qpow::util::Reader;
  using qpow::util::Writer;
  Reader r({data, size}, "fuzz");
  while (!r.at_end()) {
    const std::size_t before = r.offset();
    const auto op = r.u8("op");
    FUZZ_CHECK(op.is_ok());
    Writer w;
    bool ok = true;
    switch (*op % 6) {
      case 0: {
        const auto v = r.u16("u16");
        if ((ok = v.is_ok())) w.u16(*v);
        break;
      }
      case 1: {
        const auto v = r.u32("u32");
        if ((ok = v.is_ok())) w.u32(*v);
        break;
      }
      case 2: {
        const auto v = r.u64("u64");
        if ((ok = v.is_ok())) w.u64(*v);
        break;
      }
      case 3: {
        const auto v = r.compact_size("n", qpow::util::kCompactSizeMax);
        if ((ok = v.is_ok())) w.compact_size(*v);
        break;
      }
      case 4: {
        const auto v = r.var_bytes("bytes", 64);
        if ((ok = v.is_ok())) w.var_bytes(*v);
        break;
      }
      default: {
        const auto v = r.bytes("raw", *op % 16);
        if ((ok = v.is_ok())) w.bytes(*v);
        break;
      }
    }
    FUZZ_CHECK(r.offset() <= size);
    if (!ok) return 0;
    // What was read re-encodes to exactly the bytes consumed (canonical encodings only).
    FUZZ_CHECK(r.offset() - before - 1 == w.size());
    for (std::size_t i = 0; i < w.size(); ++i) FUZZ_CHECK(w.data()[i] == data[before + 1 + i]);
  }
  FUZZ_CHECK(r.expect_end().is_ok());
  return 0;
}
