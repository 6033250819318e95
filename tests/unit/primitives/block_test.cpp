// Headers and blocks: the fixed 280-byte header layout (nonce last, qhash-ready), block round
// trips, and the hard limits on size, transaction count and finality bytes.
#include "primitives/block.h"

#include <gtest/gtest.h>

#include "sample_txs.h"
#include "util/hex.h"

namespace qpow::primitives {
namespace {

BlockHeader sample_header() {
  BlockHeader h;
  h.version = 1;
  h.chain_id = 3;
  h.shard = 0;
  h.height = 7;
  h.time = 1'700'000'000;
  h.bits = 0x207fffff;
  h.parent.fill(0x11);
  h.tx_root.fill(0x22);
  h.state_root.fill(0x33);
  h.receipt_root.fill(0x44);
  h.finality_root.fill(0x55);
  h.miner.bytes.fill(0x66);
  h.extra.fill(0x77);
  h.nonce = 0x0102030405060708;
  return h;
}

TEST(Header, LayoutPutsTheNonceLast) {
  const BlockHeader h = sample_header();
  const HeaderBytes b = encode_header(h);
  EXPECT_EQ(util::load_le64(b.data() + kHeaderNonceOffset), h.nonce);
  EXPECT_EQ(util::load_le64(b.data() + 12), h.height);
  EXPECT_EQ(util::load_le64(b.data() + 20), h.time);
  EXPECT_EQ(util::load_le32(b.data() + 28), h.bits);
  EXPECT_EQ(b[32], 0x11);
  EXPECT_EQ(b[192], 0x66);
  EXPECT_EQ(b[224], 0x77);
  EXPECT_EQ(b[271], 0x77);
}

TEST(Header, RoundTripsAndRejectsOtherLengths) {
  const BlockHeader h = sample_header();
  const HeaderBytes b = encode_header(h);
  auto back = decode_header(b);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, h);
  EXPECT_FALSE(decode_header(util::ByteSpan(b).first(kHeaderBytes - 1)).is_ok());
  util::Bytes longer(b.begin(), b.end());
  longer.push_back(0);
  EXPECT_FALSE(decode_header(longer).is_ok());
}

TEST(Header, HashCommitsToEveryByte) {
  const BlockHeader h = sample_header();
  const Hash256 base = block_hash(h);
  const HeaderBytes b = encode_header(h);
  for (std::size_t i = 0; i < kHeaderBytes; i += 7) {
    HeaderBytes changed = b;
    changed[i] ^= 0x80;
    EXPECT_NE(block_hash(*decode_header(changed)), base) << i;
  }
}

TEST(Block, RoundTrips) {
  Block block{.header = sample_header(), .txs = {test::sample_transfer(), test::sample_transfer(false)},
              .finality = {}};
  block.header.tx_root = compute_tx_root(block.txs);
  const util::Bytes enc = encode_block(block);
  auto back = decode_block(enc);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, block);
}

TEST(Block, ErrorsNameTheTransaction) {
  Block block{.header = sample_header(), .txs = {test::sample_transfer(), test::sample_transfer()},
              .finality = {}};
  util::Bytes enc = encode_block(block);
  // Corrupt the second transaction's version byte.
  const std::size_t second = kHeaderBytes + 1 + tx_size(block.txs[0]);
  enc[second] = 9;
  auto r = decode_block(enc);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("block.txs[1]"), std::string::npos) << r.status().message();
}

TEST(Block, LimitsAreEnforced) {
  EXPECT_EQ(decode_block(util::Bytes(kBlockBytesMax + 1)).status().code(),
            util::StatusCode::kOutOfRange);
  // A transaction count one past the limit is rejected before any transaction is read.
  util::Writer w;
  w.bytes(encode_header(sample_header()));
  w.compact_size(kBlockTxCountMax + 1);
  EXPECT_FALSE(decode_block(w.data()).is_ok());
  // Finality section: the limit decodes, one past it does not.
  Block block{.header = sample_header(), .txs = {}, .finality = util::Bytes(kFinalityBytesMax)};
  EXPECT_TRUE(decode_block(encode_block(block)).is_ok());
  block.finality.push_back(0);
  EXPECT_FALSE(decode_block(encode_block(block)).is_ok());
  // Every truncation of a small block fails.
  block.finality.clear();
  block.txs.push_back(test::sample_transfer(false));
  const util::Bytes enc = encode_block(block);
  for (std::size_t n = 0; n < enc.size(); n += 13) {
    EXPECT_FALSE(decode_block(util::ByteSpan(enc).first(n)).is_ok()) << n;
  }
}

TEST(Block, SizeIsTheEncodedSize) {
  Block block{.header = sample_header(), .txs = {}, .finality = {}};
  EXPECT_EQ(block_size(block), encode_block(block).size());
  for (int i = 0; i < 3; ++i) block.txs.push_back(test::sample_transfer(i == 0));
  block.finality.assign(300, 1);
  EXPECT_EQ(block_size(block), encode_block(block).size());
}

TEST(Block, EmptyRootsAreFixed) {
  EXPECT_EQ(empty_receipt_root(), crypto::Sha3_256::hash({}));
  EXPECT_EQ(compute_tx_root({}), crypto::Sha3_256::hash({}));
  EXPECT_NE(compute_finality_root({}), crypto::Sha3_256::hash({}));
}

}  // namespace
}  // namespace qpow::primitives
