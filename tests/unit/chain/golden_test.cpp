// Golden values of docs/protocol.md (section 9, "Golden vectors"): if one of these changes, the encoding or
// a consensus rule changed, and every node would disagree with the old ones.
#include <gtest/gtest.h>

#include "chain/genesis.h"
#include "consensus/pow.h"
#include "primitives/block.h"
#include "util/hex.h"
#include "unit/primitives/sample_txs.h"

namespace qpow::chain {
namespace {

TEST(Golden, SampleTransfer) {
  const primitives::Transaction tx = test::sample_transfer();
  EXPECT_EQ(util::to_hex(primitives::encode_tx_body(tx)),
"010300000000000000006c3a8947894abc581e454ed52b7797a0a60ac2ac4f844eccb1f531be6295"
            "99ec0000000000000000e2f2f42927f745ff0143062683f6298b2a2de09f5c42513884866a8b8673"
            "c6a680d1f008000000001027000000000000026869");
  EXPECT_EQ(util::to_hex(primitives::txid(tx)),
            "db6b2f68eaaf6f695c8ec1e70a95ef65f5514fe1ee63ef1d9efe1a24fb87a485");
  EXPECT_EQ(primitives::tx_size(tx), 5369u);
  EXPECT_EQ(util::to_hex(primitives::wtxid(tx)),
            "ec5e5c4b87701374d03775aaf312fbd4e861ddaff37809d6b287dcc3295d4c78");
}

TEST(Golden, RegtestGenesis) {
  auto g = make_genesis(consensus::chain_params(primitives::Network::kRegtest));
  ASSERT_TRUE(g.is_ok());
  EXPECT_EQ(util::to_hex(g->block.header.state_root),
            "8603cf03795e8e2403934c6f1896dfd865fc74a7888470101e6d0f0dfdfefa83");
  EXPECT_EQ(util::to_hex(primitives::encode_header(g->block.header)),
            "010000000300000000000000000000000000000000b9556900000000ffff7f200000000000000000"
            "000000000000000000000000000000000000000000000000a7ffc6f8bf1ed76651c14756a061d662"
            "f580ff4de43b49fa82d80a4b80f8434a8603cf03795e8e2403934c6f1896dfd865fc74a7888470101e"
            "6d0f0dfdfefa83a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
            "a8b1e29218c10b1f4a390a7e11dd9062edcf286ab810f478cee4a6278fd06fde0000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(util::to_hex(primitives::block_hash(g->block.header)),
            "621afe0302de2543188edc9556394401923b2796e2054aa0e587da6b2dfd6723");
  EXPECT_EQ(util::to_hex(consensus::pow_hash(g->block.header)),
            "cae010ce92a8156bd463edcc3ccfc626e55f23d40570659bdbbabbcdfa57fa42");
  EXPECT_EQ(consensus::chain_params(primitives::Network::kRegtest)
                .genesis_allocations[0].address.to_string(primitives::Network::kRegtest),
            "rq17gyfrphrd4e3wzfelrpm3yqddx2s48x3sav0qmj5nw0rsk2gmc8sgjpqg4");
}

TEST(Golden, MainGenesis) {
  auto g = make_genesis(consensus::chain_params(primitives::Network::kMain));
  ASSERT_TRUE(g.is_ok());
  EXPECT_EQ(util::to_hex(primitives::block_hash(g->block.header)),
            "a038293336608f7398435dc7092293534a26336c6b47ec5219b510363b5f927e");
}

}  // namespace
}  // namespace qpow::chain
