// SLH-DSA's building blocks checked on their own: the parameter table (FIPS 205 Table 2), the
// address layouts (§4.2, §11.2), the conversions of §4.4, qpow's SHA-256 / SHA-512 compression
// functions against OpenSSL, and every tweakable hash, PRF, PRF_msg and H_msg against the
// formulas of §11.1 and §11.2 computed independently (qpow's SHAKE256 class, OpenSSL's SHA-2 and
// HMAC), including the four-lane and chain forms on every CPU path. Whole signatures: paths
// agree byte for byte, and HashSLH-DSA works with every allowed pre-hash.
#include <array>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/sha3.h"
#include "crypto/slh_dsa.h"
#include "crypto/slh_dsa_address.h"
#include "crypto/slh_dsa_encoding.h"
#include "crypto/slh_dsa_hash.h"
#include "crypto/slh_dsa_params.h"
#include "crypto/slh_dsa_sha2_block.h"
#include "path_param.h"
#include "slh_dsa_vectors.h"
#include "support/test_bytes.h"

namespace qpow::crypto::slhdsa {
namespace {

using internal::Address;
using internal::Params;
using test::random_bytes;
using test::unhex;

constexpr std::array<ParameterSet, 12> kAllSets = {
    ParameterSet::kSha2_128s,  ParameterSet::kShake_128s, ParameterSet::kSha2_128f,
    ParameterSet::kShake_128f, ParameterSet::kSha2_192s,  ParameterSet::kShake_192s,
    ParameterSet::kSha2_192f,  ParameterSet::kShake_192f, ParameterSet::kSha2_256s,
    ParameterSet::kShake_256s, ParameterSet::kSha2_256f,  ParameterSet::kShake_256f};

TEST(SlhDsaParams, SizesAndNamesMatchTable2) {
  // FIPS 205 Table 2: (n, pk bytes, sig bytes) per security level and variant.
  const std::size_t expected[12][3] = {{16, 32, 7856},  {16, 32, 7856},  {16, 32, 17088},
                                       {16, 32, 17088}, {24, 48, 16224}, {24, 48, 16224},
                                       {24, 48, 35664}, {24, 48, 35664}, {32, 64, 29792},
                                       {32, 64, 29792}, {32, 64, 49856}, {32, 64, 49856}};
  for (std::size_t i = 0; i < kAllSets.size(); ++i) {
    const Sizes s = sizes(kAllSets[i]);
    EXPECT_EQ(s.n, expected[i][0]);
    EXPECT_EQ(s.public_key, expected[i][1]);
    EXPECT_EQ(s.secret_key, 2 * expected[i][1]);
    EXPECT_EQ(s.signature, expected[i][2]);
    EXPECT_EQ(parse_name(name(kAllSets[i])), kAllSets[i]);
  }
  EXPECT_EQ(name(ParameterSet::kShake_256f), "SLH-DSA-SHAKE-256f");
  EXPECT_EQ(name(ParameterSet::kSha2_128s), "SLH-DSA-SHA2-128s");
  EXPECT_FALSE(parse_name("SLH-DSA-SHA2-128x").has_value());
  EXPECT_FALSE(parse_name("").has_value());
}

TEST(SlhDsaAddress, LayoutAndCompression) {
  Address adrs;
  adrs.set_layer(0x01020304);
  adrs.set_tree(0x1112131415161718ull);
  adrs.set_type_and_clear(Address::Type::kForsTree);
  adrs.set_keypair(0x21222324);
  adrs.set_tree_height(0x31323334);
  adrs.set_tree_index(0x41424344);
  const util::Bytes expected = unhex(
      "01020304"
      "00000000"
      "1112131415161718"
      "00000003"
      "21222324"
      "31323334"
      "41424344");
  EXPECT_EQ(util::to_hex({adrs.data(), Address::kBytes}), util::to_hex(expected));
  EXPECT_EQ(adrs.keypair(), 0x21222324u);
  EXPECT_EQ(adrs.tree_index(), 0x41424344u);
  // ADRS^c = ADRS[3] || ADRS[8:16] || ADRS[19] || ADRS[20:32] (FIPS 205 §11.2).
  std::uint8_t compressed[Address::kCompressedBytes];
  adrs.compress(compressed);
  EXPECT_EQ(util::to_hex(compressed),
            "04"
            "1112131415161718"
            "03"
            "212223243132333441424344");
  // setTypeAndClear zeroes the last 12 bytes.
  adrs.set_type_and_clear(Address::Type::kWotsPk);
  EXPECT_EQ(util::to_hex({adrs.data() + 16, 16}), "00000001000000000000000000000000");
}

TEST(SlhDsaEncoding, ToIntToByteBase2b) {
  const util::Bytes x = unhex("12345678abcdef");
  EXPECT_EQ(internal::to_int(x.data(), 0), 0u);
  EXPECT_EQ(internal::to_int(x.data(), 3), 0x123456u);
  EXPECT_EQ(internal::to_int(x.data(), 7), 0x12345678abcdefull);
  std::uint8_t out[10];
  internal::to_byte(0x0102030405060708ull, out, 10);
  EXPECT_EQ(util::to_hex(out), "00000102030405060708");
  internal::to_byte(0x1234, out, 1);
  EXPECT_EQ(out[0], 0x34);
  std::uint32_t digits[8];
  internal::base_2b(x.data(), 4, 6, digits);  // nibbles, most significant first
  EXPECT_EQ(std::vector<std::uint32_t>(digits, digits + 6),
            (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6}));
  internal::base_2b(x.data(), 12, 4, digits);  // 0x123 0x456 0x78a 0xbcd
  EXPECT_EQ(std::vector<std::uint32_t>(digits, digits + 4),
            (std::vector<std::uint32_t>{0x123, 0x456, 0x78a, 0xbcd}));
  internal::base_2b(x.data(), 6, 3, digits);  // 000100 100011 010001
  EXPECT_EQ(std::vector<std::uint32_t>(digits, digits + 3),
            (std::vector<std::uint32_t>{0x04, 0x23, 0x11}));
}

// ---- SHA-2 compression against OpenSSL ---------------------------------------------------------

util::Bytes openssl_digest(const char* md_name, util::ByteSpan data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, md_name, nullptr);
  util::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr), 1);
  EVP_MD_free(md);
  return out;
}

// FIPS 180-4 §5.1 padding for a message compressed from the initial state.
util::Bytes padded(util::ByteSpan msg, std::size_t block, std::size_t length_bytes) {
  util::Bytes out(msg.begin(), msg.end());
  out.push_back(0x80);
  while ((out.size() + length_bytes) % block != 0) out.push_back(0);
  for (std::size_t i = length_bytes; i-- > 0;) {
    out.push_back(i < 8 ? static_cast<std::uint8_t>((msg.size() * 8) >> (8 * i)) : 0);
  }
  return out;
}

template <class State>
util::Bytes state_bytes(const State& state) {
  util::Bytes out;
  for (const auto word : state) {
    for (std::size_t b = sizeof word; b-- > 0;)
      out.push_back(static_cast<std::uint8_t>(word >> (8 * b)));
  }
  return out;
}

TEST(SlhDsaSha2Block, MatchesOpenSsl) {
  std::mt19937_64 rng(205);
  const bool shani = internal::sha256_shani_supported();
  for (std::size_t len = 0; len < 300; len += 7) {
    const util::Bytes msg = random_bytes(rng, len);
    const util::Bytes p256 = padded(msg, 64, 8);
    internal::Sha256State s = internal::kSha256Init;
    internal::sha256_compress_portable(s, p256.data(), p256.size() / 64);
    EXPECT_EQ(state_bytes(s), openssl_digest("SHA2-256", msg)) << "portable, length " << len;
    if (shani) {
      s = internal::kSha256Init;
      internal::sha256_compress_shani(s, p256.data(), p256.size() / 64);
      EXPECT_EQ(state_bytes(s), openssl_digest("SHA2-256", msg)) << "SHA-NI, length " << len;
    }
    const util::Bytes p512 = padded(msg, 128, 16);
    internal::Sha512State s512 = internal::kSha512Init;
    internal::sha512_compress(s512, p512.data(), p512.size() / 128);
    EXPECT_EQ(state_bytes(s512), openssl_digest("SHA2-512", msg)) << "length " << len;
  }
}

TEST(SlhDsaSha2Block, ShaNiLanesMatchOneAtATime) {
  if (!internal::sha256_shani_supported()) GTEST_SKIP() << "this CPU has no SHA extensions";
  std::mt19937_64 rng(180);
  for (std::size_t count = 1; count <= internal::kSha256ShaNiMaxLanes; ++count) {
    internal::Sha256State states[4];
    internal::Sha256State* state_ptrs[4];
    util::Bytes blocks[4];
    const std::uint8_t* block_ptrs[4];
    for (std::size_t j = 0; j < count; ++j) {
      for (auto& w : states[j]) w = static_cast<std::uint32_t>(rng());
      blocks[j] = random_bytes(rng, 64);
      state_ptrs[j] = &states[j];
      block_ptrs[j] = blocks[j].data();
    }
    internal::Sha256State expected[4];
    for (std::size_t j = 0; j < count; ++j) {
      expected[j] = states[j];
      internal::sha256_compress_portable(expected[j], blocks[j].data(), 1);
    }
    internal::sha256_compress_shani_lanes(count, state_ptrs, block_ptrs);
    for (std::size_t j = 0; j < count; ++j) EXPECT_EQ(states[j], expected[j]) << count << " " << j;
  }
}

// ---- the hash functions of §11 against independent computations ---------------------------------

util::Bytes cat(std::initializer_list<util::ByteSpan> parts) {
  util::Bytes out;
  for (const auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// FIPS 205 §11: PRF / F / H / T_l of (PK.seed, ADRS, M) for p's family; `sha512` picks SHA-512
// for the SHA2 sets' H and T_l in categories 3 and 5.
util::Bytes reference_thash(const Params& p, util::ByteSpan pk_seed, const Address& adrs,
                            util::ByteSpan m, bool sha512) {
  if (p.family == internal::HashFamily::kShake) {
    return Shake256::hash(cat({pk_seed, {adrs.data(), Address::kBytes}, m}), p.n);
  }
  std::uint8_t adrsc[Address::kCompressedBytes];
  adrs.compress(adrsc);
  const util::Bytes zeros((sha512 ? 128 : 64) - p.n, 0);
  util::Bytes d = openssl_digest(sha512 ? "SHA2-512" : "SHA2-256", cat({pk_seed, zeros, adrsc, m}));
  d.resize(p.n);
  return d;
}

Address random_address(std::mt19937_64& rng) {
  Address adrs;
  adrs.set_layer(static_cast<std::uint32_t>(rng() % 22));
  adrs.set_tree(rng() >> 2);
  adrs.set_type_and_clear(static_cast<Address::Type>(rng() % 7));
  adrs.set_keypair(static_cast<std::uint32_t>(rng() % 512));
  adrs.set_chain(static_cast<std::uint32_t>(rng() % 67));
  adrs.set_hash(static_cast<std::uint32_t>(rng() % 16));
  return adrs;
}

class SlhDsaHashFunctions : public CpuPathTest {};

void check_one_set(const Params& p, CpuPath path, std::mt19937_64& rng) {
  SCOPED_TRACE(std::string(p.name));
  const util::Bytes pk_seed = random_bytes(rng, p.n);
  const util::Bytes sk_seed = random_bytes(rng, p.n);
  const auto hash = internal::make_hash(p, pk_seed, sk_seed, path);
  const bool big = p.sha2_uses_sha512();
  for (const std::size_t blocks : {std::size_t{1}, std::size_t{2}, p.k, p.len()}) {
    const Address adrs = random_address(rng);
    const util::Bytes m = random_bytes(rng, blocks * p.n);
    util::Bytes out(p.n);
    hash->thash(adrs, m.data(), blocks, out.data());
    EXPECT_EQ(out, reference_thash(p, pk_seed, adrs, m, big && blocks > 1)) << blocks << " blocks";
    // The four-lane form with 1..4 lanes.
    internal::AddressLanes lanes_adrs;
    util::Bytes in[4], outs[4];
    for (std::size_t count = 1; count <= 4; ++count) {
      for (std::size_t j = 0; j < 4; ++j) {
        lanes_adrs[j] = random_address(rng);
        in[j] = random_bytes(rng, blocks * p.n);
        outs[j].assign(p.n, 0);
      }
      hash->thash_x4(lanes_adrs, {in[0].data(), in[1].data(), in[2].data(), in[3].data()}, blocks,
                     {outs[0].data(), outs[1].data(), outs[2].data(), outs[3].data()}, count);
      for (std::size_t j = 0; j < 4; ++j) {
        const util::Bytes want =
            j < count ? reference_thash(p, pk_seed, lanes_adrs[j], in[j], big && blocks > 1)
                      : util::Bytes(p.n, 0);
        EXPECT_EQ(outs[j], want) << blocks << " blocks, lane " << j << " of " << count;
      }
      hash->prf_x4(lanes_adrs, {outs[0].data(), outs[1].data(), outs[2].data(), outs[3].data()},
                   count);
      for (std::size_t j = 0; j < count; ++j) {
        EXPECT_EQ(outs[j], reference_thash(p, pk_seed, lanes_adrs[j], sk_seed, false)) << "PRF";
      }
    }
  }
}

void check_chains(const Params& p, CpuPath path, std::mt19937_64& rng) {
  SCOPED_TRACE(std::string(p.name));
  const util::Bytes pk_seed = random_bytes(rng, p.n);
  const auto hash = internal::make_hash(p, pk_seed, {}, path);
  for (std::size_t count = 1; count <= 4; ++count) {
    internal::AddressLanes adrs;
    internal::ChainStarts start{};
    util::Bytes values[4], expected[4];
    const std::uint32_t steps = static_cast<std::uint32_t>(rng() % 6);
    for (std::size_t j = 0; j < 4; ++j) {
      adrs[j] = random_address(rng);
      start[j] = static_cast<std::uint32_t>(rng() % (internal::kW - steps));
      values[j] = random_bytes(rng, p.n);
      expected[j] = values[j];
      Address a = adrs[j];
      for (std::uint32_t i = 0; j < count && i < steps; ++i) {  // Algorithm 5, one F per step
        a.set_hash(start[j] + i);
        expected[j] = reference_thash(p, pk_seed, a, expected[j], false);
      }
    }
    hash->chain_x4(adrs, {values[0].data(), values[1].data(), values[2].data(), values[3].data()},
                   start, steps, count);
    for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(values[j], expected[j]) << count << " " << j;
  }
}

// PRF_msg and H_msg (§11.1, §11.2.1, §11.2.2).
void check_message_functions(const Params& p, CpuPath path, std::mt19937_64& rng) {
  SCOPED_TRACE(std::string(p.name));
  const util::Bytes pk_seed = random_bytes(rng, p.n), pk_root = random_bytes(rng, p.n);
  const util::Bytes sk_prf = random_bytes(rng, p.n), opt_rand = random_bytes(rng, p.n);
  const util::Bytes r = random_bytes(rng, p.n);
  const util::Bytes m1 = random_bytes(rng, 5), m2 = random_bytes(rng, 300);
  const util::ByteSpan parts[] = {m1, m2};
  const util::Bytes msg = cat({m1, m2});
  const auto hash = internal::make_hash(p, pk_seed, {}, path);
  util::Bytes prf(p.n), digest(p.m);
  hash->prf_msg(sk_prf, opt_rand, parts, prf.data());
  hash->h_msg(r, pk_seed, pk_root, parts, digest.data());
  if (p.family == internal::HashFamily::kShake) {
    EXPECT_EQ(prf, Shake256::hash(cat({sk_prf, opt_rand, msg}), p.n));
    EXPECT_EQ(digest, Shake256::hash(cat({r, pk_seed, pk_root, msg}), p.m));
    return;
  }
  const bool big = p.n > 16;
  const char* md_name = big ? "SHA2-512" : "SHA2-256";
  const util::Bytes mac_in = cat({opt_rand, msg});
  std::uint8_t mac[64];
  unsigned int mac_len = 0;
  HMAC(big ? EVP_sha512() : EVP_sha256(), sk_prf.data(), static_cast<int>(sk_prf.size()),
       mac_in.data(), mac_in.size(), mac, &mac_len);
  EXPECT_EQ(prf, util::Bytes(mac, mac + p.n));
  // MGF1(R || PK.seed || SHA-X(R || PK.seed || PK.root || M), m), RFC 8017 §B.2.1.
  const util::Bytes seed =
      cat({r, pk_seed, openssl_digest(md_name, cat({r, pk_seed, pk_root, msg}))});
  util::Bytes mgf;
  for (std::uint8_t counter = 0; mgf.size() < p.m; ++counter) {
    const std::uint8_t c[4] = {0, 0, 0, counter};
    const util::Bytes block = openssl_digest(md_name, cat({seed, c}));
    mgf.insert(mgf.end(), block.begin(), block.end());
  }
  mgf.resize(p.m);
  EXPECT_EQ(digest, mgf);
}

TEST_P(SlhDsaHashFunctions, MatchSection11) {
  std::mt19937_64 rng(11);
  for (const ParameterSet set : kAllSets) {
    const Params& p = internal::params(set);
    check_one_set(p, GetParam(), rng);
    check_chains(p, GetParam(), rng);
    check_message_functions(p, GetParam(), rng);
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, SlhDsaHashFunctions, kAllCpuPaths, CpuPathParamName());

// ---- whole signatures
// ----------------------------------------------------------------------------

// Every supported path gives the same bytes (the "f" sets; the "s" sets are covered by the vector
// tests on every path).
TEST(SlhDsaPaths, SameSignaturesOnEveryPath) {
  std::mt19937_64 rng(42);
  for (const ParameterSet set : kAllSets) {
    if (name(set).back() != 'f') continue;
    // Sanitizer builds run the Keccak kernels many times slower; the 128-bit sets suffice there.
    if (testing::kSanitizerBuild && sizes(set).n != 16) continue;
    const Sizes s = sizes(set);
    util::Bytes pk(s.public_key), sk(s.secret_key);
    keygen_internal(set, random_bytes(rng, s.n), random_bytes(rng, s.n), random_bytes(rng, s.n), pk,
                    sk, CpuPath::kPortable);
    const util::Bytes msg = random_bytes(rng, 77), rnd = random_bytes(rng, s.n);
    util::Bytes reference(s.signature);
    ASSERT_TRUE(sign(set, sk, msg, {}, rnd, reference, CpuPath::kPortable).is_ok());
    for (const CpuPath path : {CpuPath::kAvx2, CpuPath::kAvx512}) {
      if (!cpu_supports(path)) continue;
      util::Bytes pk2(s.public_key), sk2(s.secret_key), sig(s.signature);
      keygen_internal(set, util::ByteSpan(sk).first(s.n), util::ByteSpan(sk).subspan(s.n, s.n),
                      util::ByteSpan(pk).first(s.n), pk2, sk2, path);
      EXPECT_EQ(pk2, pk) << name(set) << " " << cpu_path_name(path);
      ASSERT_TRUE(sign(set, sk, msg, {}, rnd, sig, path).is_ok());
      EXPECT_TRUE(sig == reference) << name(set) << " " << cpu_path_name(path);
      EXPECT_TRUE(verify(set, pk, msg, reference, {}, path));
    }
  }
}

TEST(SlhDsaPreHash, EveryPreHashSignsAndVerifies) {
  const ParameterSet set = ParameterSet::kSha2_128f;
  const Sizes s = sizes(set);
  std::mt19937_64 rng(23);
  util::Bytes pk(s.public_key), sk(s.secret_key), sig(s.signature);
  keygen_internal(set, random_bytes(rng, s.n), random_bytes(rng, s.n), random_bytes(rng, s.n), pk,
                  sk);
  const util::Bytes msg = random_bytes(rng, 100), ctx = random_bytes(rng, 9);
  for (int i = 0; i <= static_cast<int>(PreHash::kShake256); ++i) {
    const auto ph = static_cast<PreHash>(i);
    ASSERT_TRUE(hash_sign(set, sk, msg, ctx, ph, util::ByteSpan(pk).first(s.n), sig).is_ok())
        << prehash_name(ph);
    EXPECT_TRUE(hash_verify(set, pk, msg, sig, ctx, ph)) << prehash_name(ph);
    const auto other = static_cast<PreHash>((i + 1) % 12);
    EXPECT_FALSE(hash_verify(set, pk, msg, sig, ctx, other)) << prehash_name(ph);
    EXPECT_FALSE(verify(set, pk, msg, sig, ctx)) << prehash_name(ph);
  }
}

}  // namespace
}  // namespace qpow::crypto::slhdsa
