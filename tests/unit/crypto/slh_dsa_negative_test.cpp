// SLH-DSA rejects what it must: single-bit changes to a valid signature, to the message and to
// the public key; a different context string or pre-hash; signatures and public keys that are
// too short or too long (read without going out of bounds, which the sanitizer build checks);
// and signing refuses malformed keys, contexts and buffers with an error Status.
//
// Signature bits flipped by default, per parameter set: every bit of the first and last 64 bytes
// (which include R), the first and the last bit of every FORS and hypertree component (R, each
// FORS tree's secret value and authentication path, each XMSS layer's WOTS+ signature and
// authentication path), and seeded-random positions up to kSampledFlips in all (sanitizer builds
// flip fewer; see kThin).
// QPOW_EXHAUSTIVE=1 adds every bit of the SHAKE-128f and SHA2-128f signatures (about 137,000
// verifications each, a few minutes).
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/slh_dsa.h"
#include "crypto/slh_dsa_params.h"
#include "slh_dsa_vectors.h"
#include "support/test_bytes.h"

namespace qpow::crypto::slhdsa {
namespace {

// Sanitizer builds run the Keccak kernels 10-30 times slower (see slh_dsa_vectors.h); they flip
// fewer bits, and of the "s" sets only check SLH-DSA-SHA2-128s.
constexpr bool kThin = testing::kSanitizerBuild;
constexpr std::size_t kEdgeBytes = kThin ? 2 : 64;
constexpr std::size_t kSampledFlips = kThin ? 32 : 320;  // component boundaries and random bits
constexpr std::uint64_t kSeed = 0x51d5a;

struct Signed {
  util::Bytes pk, sk, msg, ctx, sig;
};

// One key and one signature per parameter set, made once (an "s" set signs slowly).
const Signed& signed_example(ParameterSet set) {
  static std::map<ParameterSet, Signed> cache;
  const auto it = cache.find(set);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(set));
  const Sizes s = sizes(set);
  Signed out;
  out.pk.resize(s.public_key);
  out.sk.resize(s.secret_key);
  keygen_internal(set, test::random_bytes(rng, s.n), test::random_bytes(rng, s.n),
                  test::random_bytes(rng, s.n), out.pk, out.sk);
  out.msg = test::random_bytes(rng, 33);
  out.ctx = util::to_bytes(util::as_bytes("qpow/test"));
  out.sig.resize(s.signature);
  EXPECT_TRUE(sign(set, out.sk, out.msg, out.ctx, test::random_bytes(rng, s.n), out.sig).is_ok());
  return cache.emplace(set, std::move(out)).first->second;
}

// Byte offsets and lengths of the signature's components (FIPS 205 Figures 14, 15 and 17).
std::vector<std::pair<std::size_t, std::size_t>> components(ParameterSet set) {
  const internal::Params& p = internal::params(set);
  const std::size_t n = p.n;
  std::vector<std::pair<std::size_t, std::size_t>> out = {{0, n}};  // R
  for (std::size_t i = 0; i < p.k; ++i) {
    const std::size_t tree = n + i * (p.a + 1) * n;
    out.emplace_back(tree, n);            // secret value
    out.emplace_back(tree + n, p.a * n);  // AUTH
  }
  for (std::size_t j = 0; j < p.d; ++j) {
    const std::size_t layer = n + p.fors_sig_bytes() + j * p.xmss_sig_bytes();
    out.emplace_back(layer, p.wots_sig_bytes());             // WOTS+ signature
    out.emplace_back(layer + p.wots_sig_bytes(), p.hp * n);  // AUTH
  }
  return out;
}

// The bit positions flipped by default (see the file comment).
std::set<std::size_t> default_flips(ParameterSet set) {
  const std::size_t bits = 8 * sizes(set).signature;
  std::set<std::size_t> edges;
  for (std::size_t b = 0; b < 8 * kEdgeBytes; ++b) {
    edges.insert(b);
    edges.insert(bits - 1 - b);
  }
  std::set<std::size_t> sampled;
  for (const auto& [offset, length] : components(set)) {
    if (sampled.size() + 2 > kSampledFlips) break;
    sampled.insert(8 * offset + 7);             // top bit of the first byte
    sampled.insert(8 * (offset + length - 1));  // low bit of the last byte
  }
  std::mt19937_64 rng(kSeed ^ static_cast<std::uint64_t>(set));
  while (sampled.size() < kSampledFlips) sampled.insert(rng() % bits);
  edges.insert(sampled.begin(), sampled.end());
  return edges;
}

// Flips each listed bit in turn and expects verification to fail; returns how many were checked.
std::size_t expect_flips_rejected(ParameterSet set, const std::set<std::size_t>& flips) {
  const Signed& ex = signed_example(set);
  util::Bytes sig = ex.sig;
  std::size_t failures = 0;
  for (const std::size_t bit : flips) {
    sig[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    if (verify(set, ex.pk, ex.msg, sig, ex.ctx)) {
      if (++failures <= 5) ADD_FAILURE() << name(set) << ": flipped signature bit " << bit;
    }
    sig[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
  EXPECT_EQ(failures, 0u) << name(set);
  return flips.size();
}

void expect_message_flips_rejected(ParameterSet set) {
  const Signed& ex = signed_example(set);
  for (std::size_t bit = 0; bit < 8 * ex.msg.size(); bit += kThin ? 61 : 7) {
    util::Bytes msg = ex.msg;
    msg[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify(set, ex.pk, msg, ex.sig, ex.ctx)) << name(set) << " message bit " << bit;
  }
  util::Bytes longer = ex.msg;
  longer.push_back(0);
  EXPECT_FALSE(verify(set, ex.pk, longer, ex.sig, ex.ctx));
  EXPECT_FALSE(verify(set, ex.pk, util::ByteSpan(ex.msg).first(ex.msg.size() - 1), ex.sig, ex.ctx));
}

void expect_public_key_flips_rejected(ParameterSet set) {
  const Signed& ex = signed_example(set);
  const std::size_t n = sizes(set).n;
  // Both ends of PK.seed and of PK.root, and a few bits in between.
  for (const std::size_t byte : {std::size_t{0}, n / 2, n - 1, n, n + n / 2, 2 * n - 1}) {
    for (const unsigned bit : {0u, 3u, 7u}) {
      if (kThin && bit != 0) continue;
      util::Bytes pk = ex.pk;
      pk[byte] ^= static_cast<std::uint8_t>(1u << bit);
      EXPECT_FALSE(verify(set, pk, ex.msg, ex.sig, ex.ctx))
          << name(set) << " public key byte " << byte << " bit " << bit;
    }
  }
}

void expect_other_context_or_interface_rejected(ParameterSet set) {
  const Signed& ex = signed_example(set);
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, ex.sig, util::as_bytes("qpow/tesT")));
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, ex.sig, {}));
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, ex.sig, util::Bytes(kMaxContextBytes + 1, 'q')));
  // The same bytes under the other interfaces: HashSLH-DSA and the internal one.
  EXPECT_FALSE(hash_verify(set, ex.pk, ex.msg, ex.sig, ex.ctx, PreHash::kSha2_256));
  EXPECT_FALSE(verify_internal(set, ex.pk, ex.msg, ex.sig));
}

void expect_wrong_lengths_rejected(ParameterSet set) {
  const Signed& ex = signed_example(set);
  const util::ByteSpan sig(ex.sig);
  const util::ByteSpan pk(ex.pk);
  util::Bytes longer_sig = ex.sig;
  longer_sig.push_back(0);
  util::Bytes longer_pk = ex.pk;
  longer_pk.push_back(0);
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, sig.first(sig.size() - 1), ex.ctx));
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, longer_sig, ex.ctx));
  EXPECT_FALSE(verify(set, ex.pk, ex.msg, {}, ex.ctx));
  EXPECT_FALSE(verify(set, pk.first(pk.size() - 1), ex.msg, ex.sig, ex.ctx));
  EXPECT_FALSE(verify(set, longer_pk, ex.msg, ex.sig, ex.ctx));
  EXPECT_FALSE(verify(set, {}, ex.msg, ex.sig, ex.ctx));
  EXPECT_FALSE(verify_internal(set, ex.pk, ex.msg, sig.first(sig.size() / 2)));
  EXPECT_FALSE(hash_verify(set, longer_pk, ex.msg, ex.sig, ex.ctx, PreHash::kSha2_256));
}

void expect_malformed_sign_input_refused(ParameterSet set) {
  const Signed& ex = signed_example(set);
  const Sizes s = sizes(set);
  const util::Bytes rnd(s.n, 7);
  util::Bytes sig(s.signature);
  const util::ByteSpan sk(ex.sk);
  util::Bytes longer_sk = ex.sk;
  longer_sk.push_back(0);
  const util::Bytes too_long_ctx(kMaxContextBytes + 1, 'c');
  EXPECT_FALSE(sign(set, sk.first(sk.size() - 1), ex.msg, ex.ctx, rnd, sig).is_ok());
  EXPECT_FALSE(sign(set, longer_sk, ex.msg, ex.ctx, rnd, sig).is_ok());
  EXPECT_FALSE(sign(set, {}, ex.msg, ex.ctx, rnd, sig).is_ok());
  const util::Status ctx_status = sign(set, ex.sk, ex.msg, too_long_ctx, rnd, sig);
  EXPECT_EQ(ctx_status.code(), util::StatusCode::kInvalidArgument);
  EXPECT_NE(ctx_status.message().find("context"), std::string::npos) << ctx_status.to_string();
  EXPECT_FALSE(hash_sign(set, ex.sk, ex.msg, too_long_ctx, PreHash::kSha2_256, rnd, sig).is_ok());
  EXPECT_FALSE(sign(set, ex.sk, ex.msg, ex.ctx, util::ByteSpan(rnd).first(s.n - 1), sig).is_ok());
  EXPECT_FALSE(
      sign(set, ex.sk, ex.msg, ex.ctx, rnd, util::MutableByteSpan(sig).first(s.signature - 1))
          .is_ok());
  EXPECT_FALSE(sign_internal(set, sk.first(s.secret_key - 1), ex.msg, rnd, sig).is_ok());
  // A context of exactly 255 bytes is allowed.
  const util::Bytes max_ctx(kMaxContextBytes, 'c');
  if (!testing::is_small_set(set)) {
    ASSERT_TRUE(sign(set, ex.sk, ex.msg, max_ctx, rnd, sig).is_ok());
    EXPECT_TRUE(verify(set, ex.pk, ex.msg, sig, max_ctx));
  }
}

// One test per parameter set, so that each test process signs once (ctest runs every test in a
// process of its own, and an "s" set takes up to half a second to sign).
class SlhDsaReject : public ::testing::TestWithParam<ParameterSet> {};

TEST_P(SlhDsaReject, AlteredInputs) {
  const ParameterSet set = GetParam();
  if (kThin && testing::is_small_set(set) && set != ParameterSet::kSha2_128s &&
      !testing::exhaustive()) {
    GTEST_SKIP() << "sanitizer build: of the slow \"s\" sets only SHA2-128s is checked here";
  }
  const Signed& ex = signed_example(set);
  ASSERT_TRUE(verify(set, ex.pk, ex.msg, ex.sig, ex.ctx)) << name(set);
  EXPECT_GE(expect_flips_rejected(set, default_flips(set)), 16 * kEdgeBytes);
  expect_message_flips_rejected(set);
  expect_public_key_flips_rejected(set);
  expect_other_context_or_interface_rejected(set);
  expect_wrong_lengths_rejected(set);
  expect_malformed_sign_input_refused(set);
}

std::string set_param_name(const ::testing::TestParamInfo<ParameterSet>& info) {
  std::string out(name(info.param).substr(8));  // drop "SLH-DSA-"
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Sets, SlhDsaReject,
                         ::testing::Values(ParameterSet::kSha2_128s, ParameterSet::kShake_128s,
                                           ParameterSet::kSha2_128f, ParameterSet::kShake_128f,
                                           ParameterSet::kSha2_192s, ParameterSet::kShake_192s,
                                           ParameterSet::kSha2_192f, ParameterSet::kShake_192f,
                                           ParameterSet::kSha2_256s, ParameterSet::kShake_256s,
                                           ParameterSet::kSha2_256f, ParameterSet::kShake_256f),
                         set_param_name);

// Every bit of a whole signature, for the two fast 128-bit sets; opt-in (several minutes).
class SlhDsaRejectExhaustive : public ::testing::TestWithParam<ParameterSet> {};

TEST_P(SlhDsaRejectExhaustive, EverySignatureBit) {
  if (!testing::exhaustive()) {
    GTEST_SKIP() << "flipping every signature bit takes minutes; set QPOW_EXHAUSTIVE=1 to run it";
  }
  const ParameterSet set = GetParam();
  std::set<std::size_t> all;
  for (std::size_t b = 0; b < 8 * sizes(set).signature; ++b) all.insert(b);
  EXPECT_EQ(expect_flips_rejected(set, all), 8 * sizes(set).signature);
}

INSTANTIATE_TEST_SUITE_P(Sets, SlhDsaRejectExhaustive,
                         ::testing::Values(ParameterSet::kShake_128f, ParameterSet::kSha2_128f),
                         set_param_name);

}  // namespace
}  // namespace qpow::crypto::slhdsa
