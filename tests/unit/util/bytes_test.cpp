// The fixed-width loads and stores: byte order of each, and the big-endian load's ordering
// property that the state and block code rely on.
#include "util/bytes.h"

#include <algorithm>
#include <array>

#include <gtest/gtest.h>

namespace qpow::util {
namespace {

TEST(Bytes, LittleEndianStoresAndLoadsRoundTrip) {
  std::array<std::uint8_t, 8> b{};
  store_le64(b.data(), 0x0102030405060708ULL);
  EXPECT_EQ(b, (std::array<std::uint8_t, 8>{8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(load_le64(b.data()), 0x0102030405060708ULL);
  store_le32(b.data(), 0xa1b2c3d4U);
  EXPECT_EQ(load_le32(b.data()), 0xa1b2c3d4U);
  EXPECT_EQ(b[0], 0xd4);
  store_le16(b.data(), 0xbeef);
  EXPECT_EQ(b[0], 0xef);
  EXPECT_EQ(b[1], 0xbe);
}

TEST(Bytes, BigEndianLoadPutsTheFirstByteOnTop) {
  const std::array<std::uint8_t, 9> b{1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(load_be64(b.data()), 0x0102030405060708ULL);
  EXPECT_EQ(load_be64(b.data() + 1), 0x0203040506070809ULL);
}

TEST(Bytes, BigEndianLoadsOrderLikeTheBytes) {
  // Pairs that differ in one byte at every position, each way round.
  for (std::size_t pos = 0; pos < 8; ++pos) {
    std::array<std::uint8_t, 8> a{};
    a.fill(0x80);
    std::array<std::uint8_t, 8> b = a;
    b[pos] = 0x81;
    if (pos + 1 < 8) a[pos + 1] = 0xff;  // a later byte must not outweigh an earlier one
    EXPECT_TRUE(std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()));
    EXPECT_LT(load_be64(a.data()), load_be64(b.data())) << "position " << pos;
  }
}

}  // namespace
}  // namespace qpow::util
