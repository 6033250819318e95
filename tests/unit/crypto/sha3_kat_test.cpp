// SHA3-256, SHA3-512, SHAKE128 and SHAKE256 against the Keccak team's ShortMsgKAT files (XKCP
// tests/TestVectors), bit-length messages included: the repo's subset always, the full files
// from ../shared/vectors/sha3 when present. A partial last byte holds its bits in the low
// positions (FIPS 202 bit order).
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "crypto/sha3.h"
#include "support/kat_file.h"
#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

struct KatFile {
  const char* name;  // ShortMsgKAT_<name>.txt
  const char* output_key;
};

// Feeds a message of `bits` bits: whole bytes, then the 1..7 trailing bits.
template <class Hash>
void absorb_message(Hash& h, const util::Bytes& msg, std::size_t bits) {
  h.absorb(util::ByteSpan(msg.data(), bits / 8));
  if (bits % 8 != 0) {
    const auto count = static_cast<unsigned>(bits % 8);
    h.absorb_bits(static_cast<std::uint8_t>(msg[bits / 8] & ((1u << count) - 1)), count);
  }
}

util::Bytes compute(std::string_view name, const util::Bytes& msg, std::size_t bits,
                    std::size_t out_len) {
  if (name == "SHA3-256") {
    Sha3_256 h;
    absorb_message(h, msg, bits);
    const auto d = h.finalize();
    return {d.begin(), d.end()};
  }
  if (name == "SHA3-512") {
    Sha3_512 h;
    absorb_message(h, msg, bits);
    const auto d = h.finalize();
    return {d.begin(), d.end()};
  }
  util::Bytes out(out_len);
  if (name == "SHAKE128") {
    Shake128 h;
    absorb_message(h, msg, bits);
    h.squeeze(out);
  } else {
    Shake256 h;
    absorb_message(h, msg, bits);
    h.squeeze(out);
  }
  return out;
}

// Runs every record of a KAT file; returns how many were checked.
std::size_t run_kat_file(const std::filesystem::path& path, const KatFile& kat) {
  const auto records = test::parse_kat_records(test::read_text_file(path));
  std::size_t checked = 0;
  for (const test::KatRecord& r : records) {
    const auto len = r.find("Len");
    const auto msg = r.find("Msg");
    const auto out = r.find(kat.output_key);
    if (len == r.end() || msg == r.end() || out == r.end()) continue;
    const std::size_t bits = std::stoul(len->second);
    const util::Bytes message = test::unhex(msg->second);
    const util::Bytes expected = test::unhex(out->second);
    EXPECT_EQ(util::to_hex(compute(kat.name, message, bits, expected.size())),
              util::to_hex(expected))
        << kat.name << " Len = " << bits << " (" << path.filename().string() << ")";
    ++checked;
  }
  return checked;
}

class ShortMsgKat : public ::testing::TestWithParam<KatFile> {};

TEST_P(ShortMsgKat, RepoSubset) {
  const KatFile& kat = GetParam();
  const auto path =
      test::test_data_dir() / "sha3" / (std::string("ShortMsgKAT_") + kat.name + ".subset.txt");
  EXPECT_EQ(run_kat_file(path, kat), 39u);
}

TEST_P(ShortMsgKat, FullOfficialFile) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  const KatFile& kat = GetParam();
  EXPECT_EQ(run_kat_file(dir / "sha3" / (std::string("ShortMsgKAT_") + kat.name + ".txt"), kat),
            2048u);
}

INSTANTIATE_TEST_SUITE_P(Files, ShortMsgKat,
                         ::testing::Values(KatFile{"SHA3-256", "MD"}, KatFile{"SHA3-512", "MD"},
                                           KatFile{"SHAKE128", "Squeezed"},
                                           KatFile{"SHAKE256", "Squeezed"}),
                         [](const ::testing::TestParamInfo<KatFile>& param) {
                           std::string n = param.param.name;
                           n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                           return n;
                         });

// FIPS 202 examples ("abc"), also listed in NIST's SHA-3 example files, for the two digest
// sizes the KAT files above do not cover.
TEST(Sha3, AbcExamplesForAllFourDigestSizes) {
  const auto abc = util::as_bytes("abc");
  EXPECT_EQ(util::to_hex(Sha3_224::hash(abc)),
            "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf");
  EXPECT_EQ(util::to_hex(Sha3_256::hash(abc)),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(util::to_hex(Sha3_384::hash(abc)),
            "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b2"
            "98d88cea927ac7f539f1edf228376d25");
  EXPECT_EQ(util::to_hex(Sha3_512::hash(abc)),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
}

TEST(Shake, SqueezingInPiecesEqualsOneSqueeze) {
  const util::Bytes msg = test::unhex("000102030405060708090a0b0c0d0e0f");
  const util::Bytes whole = Shake128::hash(msg, 1000);
  for (std::size_t piece : {1u, 7u, 8u, 13u, 167u, 168u, 169u, 500u}) {
    Shake128 xof;
    xof.absorb(msg);
    util::Bytes joined;
    while (joined.size() < whole.size()) {
      util::Bytes part(std::min(piece, whole.size() - joined.size()));
      xof.squeeze(part);
      joined.insert(joined.end(), part.begin(), part.end());
    }
    EXPECT_EQ(joined, whole) << "piece " << piece;
  }
}

TEST(Sha3, ResetStartsOver) {
  Sha3_256 h;
  h.absorb(util::as_bytes("something else"));
  (void)h.finalize();
  h.reset();
  EXPECT_EQ(h.absorb(util::as_bytes("abc")).finalize(), Sha3_256::hash(util::as_bytes("abc")));
}

TEST(Sha3DeathTest, AbsorbAfterFinalizeIsABug) {
  Sha3_256 h;
  (void)h.finalize();
  EXPECT_DEATH(h.absorb(util::as_bytes("late")), "absorb after squeeze");
}

}  // namespace
}  // namespace qpow::crypto
