// Writer/Reader: exact little-endian bytes, minimal CompactSize, caller limits tested at the bound
// and one past it, and errors that name the field, offset and shortfall.
#include "util/serialize.h"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_bytes.h"
#include "util/bytes.h"
#include "util/hex.h"

namespace qpow::util {
namespace {

using test::unhex;

std::string compact_hex(std::uint64_t v) {
  Writer w;
  w.compact_size(v);
  return to_hex(w.data());
}

TEST(Writer, CompactSizeBytesMatchesWhatIsWritten) {
  for (std::uint64_t v : {0ull, 0xfcull, 0xfdull, 0xffffull, 0x10000ull, 0xffffffffull,
                          0x100000000ull, ~0ull}) {
    Writer w;
    w.compact_size(v);
    EXPECT_EQ(compact_size_bytes(v), w.size()) << v;
  }
}

TEST(Writer, FixedWidthIntegersAreLittleEndian) {
  Writer w;
  w.u8(0xab);
  w.u16(0x1234);
  w.u32(0x89abcdef);
  w.u64(0x0102030405060708);
  EXPECT_EQ(w.size(), 15u);
  EXPECT_EQ(to_hex(w.data()),
            "ab"
            "3412"
            "efcdab89"
            "0807060504030201");
}

TEST(Reader, FixedWidthIntegersRoundTrip) {
  Writer w;
  w.u8(0);
  w.u8(0xff);
  w.u16(0xffff);
  w.u32(0);
  w.u32(0xffffffff);
  w.u64(0xfedcba9876543210);
  const Bytes bytes = std::move(w).take();
  Reader r(bytes, "t");
  EXPECT_EQ(*r.u8("a"), 0);
  EXPECT_EQ(*r.u8("b"), 0xff);
  EXPECT_EQ(*r.u16("c"), 0xffff);
  EXPECT_EQ(*r.u32("d"), 0u);
  EXPECT_EQ(*r.u32("e"), 0xffffffffu);
  EXPECT_EQ(*r.u64("f"), 0xfedcba9876543210u);
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(r.expect_end().is_ok());
}

TEST(Reader, ReadsExactBytes) {
  const Bytes bytes = unhex(
      "3412"
      "78563412"
      "efcdab8967452301");
  Reader r(bytes);
  EXPECT_EQ(*r.u16("a"), 0x1234);
  EXPECT_EQ(*r.u32("b"), 0x12345678u);
  EXPECT_EQ(*r.u64("c"), 0x0123456789abcdefu);
  EXPECT_EQ(r.offset(), 14u);
}

TEST(CompactSize, EncodingsAtEveryBoundary) {
  EXPECT_EQ(compact_hex(0), "00");
  EXPECT_EQ(compact_hex(0xfc), "fc");
  EXPECT_EQ(compact_hex(0xfd), "fdfd00");
  EXPECT_EQ(compact_hex(0xffff), "fdffff");
  EXPECT_EQ(compact_hex(0x10000), "fe00000100");
  EXPECT_EQ(compact_hex(0xffffffff), "feffffffff");
  EXPECT_EQ(compact_hex(0x100000000), "ff0000000001000000");
  EXPECT_EQ(compact_hex(0xffffffffffffffff), "ffffffffffffffffff");
}

TEST(CompactSize, RoundTripsUpToTheGlobalMaximum) {
  for (const std::uint64_t v :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xfc}, std::uint64_t{0xfd},
        std::uint64_t{0xfe}, std::uint64_t{0xff}, std::uint64_t{0xffff}, std::uint64_t{0x10000},
        std::uint64_t{0x10001}, kCompactSizeMax - 1, kCompactSizeMax}) {
    Writer w;
    w.compact_size(v);
    Reader r(w.data());
    const Result<std::uint64_t> back = r.compact_size("n", kCompactSizeMax);
    ASSERT_TRUE(back.is_ok()) << v << ": " << back.status().to_string();
    EXPECT_EQ(*back, v);
    EXPECT_TRUE(r.at_end());
  }
}

TEST(CompactSize, CanonicalValuesPastTheGlobalMaximumAreOutOfRange) {
  for (const std::uint64_t v : {kCompactSizeMax + 1, std::uint64_t{0xffffffff},
                                std::uint64_t{0x100000000}, ~std::uint64_t{0}}) {
    Writer w;
    w.compact_size(v);
    Reader r(w.data());
    const Result<std::uint64_t> back = r.compact_size("n", kCompactSizeMax);
    ASSERT_FALSE(back.is_ok()) << v;
    EXPECT_EQ(back.status().code(), StatusCode::kOutOfRange) << v;
    EXPECT_EQ(r.offset(), 0u);
  }
}

TEST(CompactSize, NonCanonicalRejectedAsMalformed) {
  for (const char* hex : {"fdfc00", "fd0000", "fe00000000", "feffff0000", "ff0000000000000000",
                          "ffffffffff00000000"}) {
    const Bytes bytes = unhex(hex);
    Reader r(bytes, "tx");
    const Result<std::uint64_t> n = r.compact_size("count", kCompactSizeMax);
    ASSERT_FALSE(n.is_ok()) << hex;
    EXPECT_EQ(n.status().code(), StatusCode::kMalformed) << hex;
    EXPECT_EQ(r.offset(), 0u) << hex;
  }
  const Bytes bytes = unhex("fdfc00");
  Reader r(bytes, "tx");
  EXPECT_EQ(r.compact_size("count", 1000).status().message(),
            "tx.count: non-canonical CompactSize (252 in 3 bytes) at offset 0");
}

TEST(CompactSize, CallerLimitAtTheBoundAndOnePast) {
  for (const std::uint64_t limit : {std::uint64_t{0}, std::uint64_t{0xfc}, std::uint64_t{0xfd},
                                    std::uint64_t{1000}, std::uint64_t{0xffff}}) {
    Writer at;
    at.compact_size(limit);
    Reader ok(at.data());
    const Result<std::uint64_t> accepted = ok.compact_size("n", limit);
    ASSERT_TRUE(accepted.is_ok()) << limit;
    EXPECT_EQ(*accepted, limit);

    Writer past;
    past.compact_size(limit + 1);
    Reader bad(past.data(), "msg");
    const Result<std::uint64_t> rejected = bad.compact_size("n", limit);
    ASSERT_FALSE(rejected.is_ok()) << limit;
    EXPECT_EQ(rejected.status().code(), StatusCode::kOutOfRange) << limit;
    EXPECT_EQ(rejected.status().message(), "msg.n: length " + std::to_string(limit + 1) +
                                               " exceeds the limit of " + std::to_string(limit) +
                                               " at offset 0");
  }
}

TEST(Reader, ReadPastEndNamesFieldOffsetAndShortfall) {
  const Bytes bytes = unhex(
      "01"
      "0200"
      "aabbccdd");
  Reader r(bytes, "tx");
  ASSERT_TRUE(r.u8("version").is_ok());
  ASSERT_TRUE(r.u16("flags").is_ok());
  const Result<std::uint64_t> amount = r.u64("amount");
  ASSERT_FALSE(amount.is_ok());
  EXPECT_EQ(amount.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(amount.status().message(), "tx.amount: need 8 bytes at offset 3, have 4");
  // A failed read consumes nothing.
  EXPECT_EQ(r.offset(), 3u);
  EXPECT_EQ(*r.u32("rest"), 0xddccbbaau);
}

TEST(Reader, ErrorWithoutContextNamesOnlyTheField) {
  const Bytes bytes = unhex("01");
  Reader r(bytes);
  EXPECT_EQ(r.u16("height").status().message(), "height: need 2 bytes at offset 0, have 1");
}

TEST(Reader, BytesAndBytesInto) {
  const Bytes bytes = unhex("0102030405");
  Reader r(bytes, "h");
  const Result<ByteSpan> two = r.bytes("a", 2);
  ASSERT_TRUE(two.is_ok());
  EXPECT_EQ(to_hex(*two), "0102");
  std::uint8_t out[3] = {};
  ASSERT_TRUE(r.bytes_into("b", out).is_ok());
  EXPECT_EQ(to_hex(out), "030405");
  EXPECT_TRUE(r.bytes("empty", 0).is_ok());
  EXPECT_EQ(r.bytes("c", 1).status().message(), "h.c: need 1 bytes at offset 5, have 0");
}

TEST(Reader, ExpectEndWithTrailingBytes) {
  const Bytes bytes = unhex("0100aabb");
  Reader r(bytes, "header");
  ASSERT_TRUE(r.u16("version").is_ok());
  EXPECT_FALSE(r.at_end());
  EXPECT_EQ(r.remaining(), 2u);
  const Status status = r.expect_end();
  EXPECT_EQ(status.code(), StatusCode::kMalformed);
  EXPECT_EQ(status.message(), "header: 2 trailing bytes at offset 2");

  Reader anonymous(bytes);
  EXPECT_EQ(anonymous.expect_end().message(), "input: 4 trailing bytes at offset 0");
}

TEST(VarBytes, RoundTripAndLimits) {
  const Bytes payload = unhex("deadbeef");
  Writer w;
  w.var_bytes(payload);
  w.var_bytes(Bytes{});
  EXPECT_EQ(to_hex(w.data()),
            "04deadbeef"
            "00");

  Reader r(w.data());
  const Result<Bytes> first = r.var_bytes("a", 4);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(*first, payload);
  const Result<Bytes> second = r.var_bytes("b", 0);
  ASSERT_TRUE(second.is_ok());
  EXPECT_TRUE(second->empty());
  EXPECT_TRUE(r.expect_end().is_ok());

  Reader tight(w.data());
  EXPECT_EQ(tight.var_bytes("a", 3).status().code(), StatusCode::kOutOfRange);
}

TEST(VarBytes, LongPayloadUsesThreeByteLength) {
  const Bytes payload(300, 0x5a);
  Writer w;
  w.var_bytes(payload);
  ASSERT_EQ(w.size(), 303u);
  EXPECT_EQ(to_hex(ByteSpan(w.data()).first(3)), "fd2c01");
  Reader r(w.data());
  const Result<Bytes> back = r.var_bytes("p", 300);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, payload);
}

TEST(VarBytes, LengthPastTheDataIsMalformed) {
  const Bytes bytes = unhex("05aabbcc");
  Reader r(bytes, "msg");
  const Result<Bytes> got = r.var_bytes("script", 100);
  ASSERT_FALSE(got.is_ok());
  EXPECT_EQ(got.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(got.status().message(), "msg.script: need 5 bytes at offset 1, have 3");
}

// Decodes a record of every field type; every read either succeeds or reports an error.
Status decode_record(ByteSpan bytes) {
  Reader r(bytes, "rec");
  QPOW_RETURN_IF_ERROR(r.u8("a"));
  QPOW_RETURN_IF_ERROR(r.u16("b"));
  QPOW_RETURN_IF_ERROR(r.compact_size("c", 0x10000));
  QPOW_RETURN_IF_ERROR(r.u32("d"));
  QPOW_RETURN_IF_ERROR(r.var_bytes("e", 1000));
  QPOW_RETURN_IF_ERROR(r.compact_size("f", kCompactSizeMax));
  QPOW_RETURN_IF_ERROR(r.u64("g"));
  std::uint8_t tail[5];
  QPOW_RETURN_IF_ERROR(r.bytes_into("h", tail));
  QPOW_RETURN_IF_ERROR(r.var_bytes("i", 1000));
  return r.expect_end();
}

TEST(Reader, EveryTruncationFailsCleanly) {
  Writer w;
  w.u8(7);
  w.u16(0x0102);
  w.compact_size(0x10000);
  w.u32(0xa1b2c3d4);
  w.var_bytes(Bytes(260, 0x11));
  w.compact_size(0x1234);
  w.u64(0x1122334455667788);
  w.bytes(unhex("0102030405"));
  w.var_bytes(unhex("ff"));
  const Bytes full = std::move(w).take();
  ASSERT_TRUE(decode_record(full).is_ok());

  for (std::size_t len = 0; len < full.size(); ++len) {
    // A copy of exactly len bytes, so that a read past its end is caught by sanitizers too.
    const Bytes truncated(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    const Status status = decode_record(truncated);
    ASSERT_FALSE(status.is_ok()) << "truncated to " << len;
    EXPECT_EQ(status.code(), StatusCode::kMalformed) << status.to_string();
    EXPECT_NE(status.message().find("need "), std::string::npos) << status.to_string();
  }
  Bytes extended = full;
  extended.push_back(0);
  EXPECT_EQ(decode_record(extended).message(),
            "rec: 1 trailing bytes at offset " + std::to_string(full.size()));
}

TEST(Reader, RandomInputNeverReadsOutOfBounds) {
  std::mt19937_64 rng(0x5e71'a112);
  for (int round = 0; round < 2000; ++round) {
    const Bytes input = test::random_bytes(rng, rng() % 48);
    const Status status = decode_record(input);
    // Random bytes decode only by chance; what matters is that a failure is a value.
    if (!status.is_ok()) {
      EXPECT_FALSE(status.message().empty());
    }
  }
}

}  // namespace
}  // namespace qpow::util
