// cSHAKE and KMAC (NIST SP 800-185): the encodings, NIST's published sample values
// (cSHAKE_samples.pdf, KMAC_samples.pdf), the ACVP cSHAKE vectors (repo subset and, when present,
// the full sets in ../shared/vectors/sha3), and KMAC / KMACXOF against OpenSSL 3's EVP_MAC.
#include "crypto/sp800_185.h"

#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/sha3.h"
#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

using test::unhex;

TEST(Sp800185Encoding, LeftAndRightEncode) {
  // §2.3.1: the minimal big-endian bytes with their count before (left) or after (right).
  EXPECT_EQ(left_encode(0), unhex("0100"));
  EXPECT_EQ(left_encode(168), unhex("01a8"));
  EXPECT_EQ(left_encode(256), unhex("020100"));
  EXPECT_EQ(left_encode(0xffffffffffffffffULL), unhex("08ffffffffffffffff"));
  EXPECT_EQ(right_encode(0), unhex("0001"));
  EXPECT_EQ(right_encode(256), unhex("010002"));
  EXPECT_EQ(encode_string({}), unhex("0100"));
  EXPECT_EQ(encode_string(util::as_bytes("KMAC")), unhex("01204b4d4143"));
}

util::Bytes seq(std::size_t n) {
  util::Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i);
  return out;
}

// NIST SP 800-185 examples, cSHAKE_samples.pdf samples 1-4.
TEST(CShake, NistSamples) {
  const auto email = util::as_bytes("Email Signature");
  EXPECT_EQ(util::to_hex(CShake128::hash(seq(4), 32, {}, email)),
            "c1c36925b6409a04f1b504fcbca9d82b4017277cb5ed2b2065fc1d3814d5aaf5");
  EXPECT_EQ(util::to_hex(CShake128::hash(seq(200), 32, {}, email)),
            "c5221d50e4f822d96a2e8881a961420f294b7b24fe3d2094baed2c6524cc166b");
  EXPECT_EQ(util::to_hex(CShake256::hash(seq(4), 64, {}, email)),
            "d008828e2b80ac9d2218ffee1d070c48b8e4c87bff32c9699d5b6896eee0edd1"
            "64020e2be0560858d9c00c037e34a96937c561a74c412bb4c746469527281c8c");
  EXPECT_EQ(util::to_hex(CShake256::hash(seq(200), 64, {}, email)),
            "07dc27b11e51fbac75bc7b3c1d983e8b4b85fb1defaf218912ac864302730917"
            "27f42b17ed1df63e8ec118f04b23633c1dfb1574c8fb55cb45da8e25afb092bb");
}

TEST(CShake, EmptyNameAndCustomizationIsShake) {
  const util::Bytes msg = seq(300);
  EXPECT_EQ(CShake128::hash(msg, 100, {}, {}), Shake128::hash(msg, 100));
  EXPECT_EQ(CShake256::hash(msg, 100, {}, {}), Shake256::hash(msg, 100));
}

// NIST SP 800-185 examples, KMAC_samples.pdf samples 1-6 (key 0x40..0x5f).
TEST(Kmac, NistSamples) {
  util::Bytes key(32);
  for (std::size_t i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(0x40 + i);
  const auto tagged = util::as_bytes("My Tagged Application");
  EXPECT_EQ(util::to_hex(Kmac128::mac(key, seq(4), 32, {})),
            "e5780b0d3ea6f7d3a429c5706aa43a00fadbd7d49628839e3187243f456ee14e");
  EXPECT_EQ(util::to_hex(Kmac128::mac(key, seq(4), 32, tagged)),
            "3b1fba963cd8b0b59e8c1a6d71888b7143651af8ba0a7070c0979e2811324aa5");
  EXPECT_EQ(util::to_hex(Kmac128::mac(key, seq(200), 32, tagged)),
            "1f5b4e6cca02209e0dcb5ca635b89a15e271ecc760071dfd805faa38f9729230");
  EXPECT_EQ(util::to_hex(Kmac256::mac(key, seq(4), 64, tagged)),
            "20c570c31346f703c9ac36c61c03cb64c3970d0cfc787e9b79599d273a68d2f7"
            "f69d4cc3de9d104a351689f27cf6f5951f0103f33f4f24871024d9c27773a8dd");
  EXPECT_EQ(util::to_hex(Kmac256::mac(key, seq(200), 64, {})),
            "75358cf39e41494e949707927cee0af20a3ff553904c86b08f21cc414bcfd691"
            "589d27cf5e15369cbbff8b9a4c2eb17800855d0235ff635da82533ec6b759b69");
  EXPECT_EQ(util::to_hex(Kmac256::mac(key, seq(200), 64, tagged)),
            "b58618f71f92e1d56c1b8c55ddd7cd188b97b4ca4d99831eb2699a837da2e4d9"
            "70fbacfde50033aea585f1a2708510c32d07880801bd182898fe476876fc8965");
}

// ACVP cSHAKE: lengths in bits; a partial last byte of msg and md holds its bits in the high
// positions (see ../shared/vectors/README.md), FIPS 202 order inside the sponge is low first.
std::size_t run_acvp_cshake(const std::filesystem::path& path, bool is256) {
  const auto doc = nlohmann::json::parse(test::read_text_file(path));
  std::size_t checked = 0;
  for (const auto& group : doc.at("testGroups")) {
    if (group.at("testType") != "AFT") continue;  // the Monte Carlo group is not run here
    for (const auto& t : group.at("tests")) {
      const util::Bytes msg = unhex(t.at("msg").get<std::string>());
      const std::size_t bits = t.at("len").get<std::size_t>();
      const std::size_t out_bits = t.at("outLen").get<std::size_t>();
      const util::Bytes expected = unhex(t.at("md").get<std::string>());
      const std::string name = t.at("functionName");
      const std::string custom = t.at("customization");
      util::Bytes out((out_bits + 7) / 8);
      auto run = [&](auto xof) {
        xof.absorb(util::ByteSpan(msg.data(), bits / 8));
        if (bits % 8 != 0) {
          const auto k = static_cast<unsigned>(bits % 8);
          xof.absorb_bits(static_cast<std::uint8_t>(msg[bits / 8] >> (8 - k)), k);
        }
        xof.squeeze(out);
      };
      if (is256) {
        run(CShake256(util::as_bytes(name), util::as_bytes(custom)));
      } else {
        run(CShake128(util::as_bytes(name), util::as_bytes(custom)));
      }
      if (out_bits % 8 != 0) {
        const auto k = static_cast<unsigned>(out_bits % 8);
        out.back() = static_cast<std::uint8_t>((out.back() & ((1u << k) - 1)) << (8 - k));
      }
      EXPECT_EQ(util::to_hex(out), util::to_hex(expected))
          << path.filename().string() << " tcId " << t.at("tcId");
      ++checked;
    }
  }
  return checked;
}

TEST(CShakeAcvp, RepoSubset) {
  const auto dir = test::test_data_dir() / "sha3";
  EXPECT_EQ(run_acvp_cshake(dir / "cSHAKE-128-1.0-internalProjection.subset.json", false), 24u);
  EXPECT_EQ(run_acvp_cshake(dir / "cSHAKE-256-1.0-internalProjection.subset.json", true), 24u);
}

TEST(CShakeAcvp, FullOfficialFiles) {
  QPOW_REQUIRE_SHARED_VECTORS(dir);
  EXPECT_EQ(run_acvp_cshake(dir / "sha3/cSHAKE-128-1.0-internalProjection.json", false), 100u);
  EXPECT_EQ(run_acvp_cshake(dir / "sha3/cSHAKE-256-1.0-internalProjection.json", true), 100u);
}

struct MacDeleter {
  void operator()(EVP_MAC* m) const { EVP_MAC_free(m); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};

util::Bytes openssl_kmac(const char* name, const util::Bytes& key, const util::Bytes& msg,
                         const std::string& custom, std::size_t out_len, bool xof) {
  std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, name, nullptr));
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
  int xof_flag = xof ? 1 : 0;
  std::string custom_copy = custom;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_CUSTOM,
                                                           custom_copy.data(), custom_copy.size()),
                         OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &out_len),
                         OSSL_PARAM_construct_int(OSSL_MAC_PARAM_XOF, &xof_flag),
                         OSSL_PARAM_construct_end()};
  util::Bytes out(out_len);
  std::size_t written = 0;
  const bool good = ctx != nullptr &&
                    EVP_MAC_init(ctx.get(), key.data(), key.size(), params) == 1 &&
                    EVP_MAC_update(ctx.get(), msg.data(), msg.size()) == 1 &&
                    EVP_MAC_final(ctx.get(), out.data(), &written, out.size()) == 1;
  EXPECT_TRUE(good) << "OpenSSL " << name << " failed";
  return out;
}

TEST(KmacVsOpenSsl, RandomKeysMessagesCustomizationsAndLengths) {
  std::mt19937_64 rng(0x4b4d4143);
  for (int trial = 0; trial < 400; ++trial) {
    const util::Bytes key = test::random_bytes(rng, 4 + rng() % 200);
    const util::Bytes msg = test::random_bytes(rng, rng() % 600);
    std::string custom(rng() % 3 == 0 ? 0 : rng() % 180, 'c');
    for (auto& c : custom) c = static_cast<char>('a' + rng() % 26);
    const std::size_t out_len = 1 + rng() % 300;
    const bool xof = trial % 2 == 1;
    util::Bytes ours128(out_len), ours256(out_len);
    Kmac128 k128(key, util::as_bytes(custom));
    Kmac256 k256(key, util::as_bytes(custom));
    k128.absorb(msg);
    k256.absorb(msg);
    if (xof) {
      k128.squeeze_xof(ours128);
      k256.squeeze_xof(ours256);
    } else {
      k128.finalize(ours128);
      k256.finalize(ours256);
    }
    ASSERT_EQ(ours128, openssl_kmac("KMAC-128", key, msg, custom, out_len, xof))
        << "trial " << trial;
    ASSERT_EQ(ours256, openssl_kmac("KMAC-256", key, msg, custom, out_len, xof))
        << "trial " << trial;
  }
}

TEST(Kmac, XofOutputContinuesAcrossCalls) {
  const util::Bytes key = seq(32);
  Kmac256 whole(key, {});
  whole.absorb(seq(10));
  util::Bytes all(300);
  whole.squeeze_xof(all);
  Kmac256 pieces(key, {});
  pieces.absorb(seq(10));
  util::Bytes a(100), b(200);
  pieces.squeeze_xof(a);
  pieces.squeeze_xof(b);
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(a, all);
}

}  // namespace
}  // namespace qpow::crypto
