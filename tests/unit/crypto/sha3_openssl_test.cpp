// Differential test against OpenSSL 3's SHA-3: SHA3-224/256/384/512 and SHAKE128/256 on eight
// random messages of every length from 0 to 1000 bytes, through the one-shot API, incremental
// absorption at random split points, and the 4- and 8-way batches on every SIMD path (the general
// ones and the single-block ones that hash messages shorter than the rate without a block buffer).
#include <algorithm>
#include <array>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "crypto/sha3.h"
#include "crypto/sponge_batch.h"
#include "path_param.h"
#include "support/test_bytes.h"

namespace qpow::crypto {
namespace {

constexpr std::size_t kMaxLen = 1000;
constexpr std::size_t kMessagesPerLength = 8;

struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

class OpenSsl {
 public:
  explicit OpenSsl(const char* name) : md_(EVP_MD_fetch(nullptr, name, nullptr)) {}
  bool ok() const { return md_ != nullptr; }
  util::Bytes digest(util::ByteSpan msg, std::size_t xof_len = 0) const {
    std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
    util::Bytes out(xof_len != 0 ? xof_len : static_cast<std::size_t>(EVP_MD_get_size(md_.get())));
    unsigned int len = 0;
    const bool good = EVP_DigestInit_ex2(ctx.get(), md_.get(), nullptr) == 1 &&
                      EVP_DigestUpdate(ctx.get(), msg.data(), msg.size()) == 1 &&
                      (xof_len != 0 ? EVP_DigestFinalXOF(ctx.get(), out.data(), out.size()) == 1
                                    : EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1);
    EXPECT_TRUE(good) << "OpenSSL digest failed";
    return out;
  }

 private:
  std::unique_ptr<EVP_MD, MdDeleter> md_;
};

// Eight deterministic random messages of each length 0..kMaxLen.
const std::vector<std::array<util::Bytes, kMessagesPerLength>>& corpus() {
  static const auto messages = [] {
    std::mt19937_64 rng(0x53484133);
    std::vector<std::array<util::Bytes, kMessagesPerLength>> m(kMaxLen + 1);
    for (std::size_t len = 0; len <= kMaxLen; ++len) {
      for (auto& msg : m[len]) msg = test::random_bytes(rng, len);
    }
    return m;
  }();
  return messages;
}

// The XOF output length for messages of length len: varied, crossing the rate boundaries.
std::size_t xof_len(std::size_t len) {
  return 1 + (len * 37) % 400;
}

template <class Hash>
util::Bytes one_shot(util::ByteSpan msg) {
  const auto d = Hash::hash(msg);
  return {d.begin(), d.end()};
}

TEST(Sha3VsOpenSsl, FixedOutputOneShotAndIncremental) {
  const OpenSsl ref224("SHA3-224"), ref256("SHA3-256"), ref384("SHA3-384"), ref512("SHA3-512");
  ASSERT_TRUE(ref224.ok() && ref256.ok() && ref384.ok() && ref512.ok());
  std::mt19937_64 rng(11);
  for (std::size_t len = 0; len <= kMaxLen; ++len) {
    for (const util::Bytes& msg : corpus()[len]) {
      ASSERT_EQ(one_shot<Sha3_224>(msg), ref224.digest(msg)) << "SHA3-224 len " << len;
      ASSERT_EQ(one_shot<Sha3_256>(msg), ref256.digest(msg)) << "SHA3-256 len " << len;
      ASSERT_EQ(one_shot<Sha3_384>(msg), ref384.digest(msg)) << "SHA3-384 len " << len;
      ASSERT_EQ(one_shot<Sha3_512>(msg), ref512.digest(msg)) << "SHA3-512 len " << len;
      // The same message absorbed in three pieces split at random points.
      const std::size_t a = len == 0 ? 0 : rng() % (len + 1);
      const std::size_t b = a + (len == a ? 0 : rng() % (len - a + 1));
      Sha3_256 h;
      h.absorb({msg.data(), a}).absorb({msg.data() + a, b - a}).absorb({msg.data() + b, len - b});
      const auto d = h.finalize();
      ASSERT_EQ(util::Bytes(d.begin(), d.end()), ref256.digest(msg)) << "split " << a << "/" << b;
    }
  }
}

TEST(Sha3VsOpenSsl, ShakeOneShot) {
  const OpenSsl ref128("SHAKE128"), ref256("SHAKE256");
  ASSERT_TRUE(ref128.ok() && ref256.ok());
  for (std::size_t len = 0; len <= kMaxLen; ++len) {
    for (const util::Bytes& msg : corpus()[len]) {
      const std::size_t out = xof_len(len);
      ASSERT_EQ(Shake128::hash(msg, out), ref128.digest(msg, out)) << "SHAKE128 len " << len;
      ASSERT_EQ(Shake256::hash(msg, out), ref256.digest(msg, out)) << "SHAKE256 len " << len;
    }
  }
}

using BatchVsOpenSsl = CpuPathTest;

// Mixed lengths in mixed order: runs of equal length go 4 at a time, the rest one by one, and
// every output lands at its input's index.
TEST(Sha3VsOpenSsl, ManyMessagesOfMixedLengths) {
  const OpenSsl ref("SHA3-256");
  std::vector<util::ByteSpan> inputs;
  for (std::size_t len = 0; len <= kMaxLen; len += 7) {
    for (std::size_t j = 0; j < 1 + len % 6; ++j) inputs.push_back(corpus()[len][j % 8]);
  }
  std::reverse(inputs.begin(), inputs.end());
  for (std::size_t count : {std::size_t{0}, std::size_t{3}, inputs.size()}) {
    std::vector<Hash256> outputs(count);
    sha3_256_many(std::span(inputs).first(count), outputs);
    for (std::size_t i = 0; i < count; ++i) {
      ASSERT_EQ(util::Bytes(outputs[i].begin(), outputs[i].end()), ref.digest(inputs[i]))
          << "message " << i << " of " << count << ", length " << inputs[i].size();
    }
  }
}

TEST_P(BatchVsOpenSsl, Sha3_256FourAndEightWay) {
  const KeccakBackend& backend = keccak_backend(GetParam());
  const OpenSsl ref("SHA3-256");
  for (std::size_t len = 0; len <= kMaxLen; ++len) {
    const auto& msgs = corpus()[len];
    std::array<util::ByteSpan, 8> in8;
    for (std::size_t j = 0; j < 8; ++j) in8[j] = msgs[j];
    std::array<Hash256, 8> out8;
    sha3_256_x8(in8, out8, backend);
    std::array<Hash256, 4> out4;
    sha3_256_x4(std::span<const util::ByteSpan, 4>(in8.data(), 4), out4, backend);
    for (std::size_t j = 0; j < 8; ++j) {
      const util::Bytes want = ref.digest(msgs[j]);
      ASSERT_EQ(util::Bytes(out8[j].begin(), out8[j].end()), want) << "x8 len " << len;
      if (j < 4) {
        ASSERT_EQ(util::Bytes(out4[j].begin(), out4[j].end()), want) << "x4 len " << len;
      }
    }
  }
}

TEST_P(BatchVsOpenSsl, ShakeFourWay) {
  const KeccakBackend& backend = keccak_backend(GetParam());
  const OpenSsl ref128("SHAKE128"), ref256("SHAKE256");
  for (std::size_t len = 0; len <= kMaxLen; ++len) {
    const auto& msgs = corpus()[len];
    const std::size_t out_len = xof_len(len);
    std::array<util::ByteSpan, 4> in;
    std::array<util::Bytes, 4> out128, out256;
    std::array<util::MutableByteSpan, 4> spans128, spans256;
    for (std::size_t j = 0; j < 4; ++j) {
      in[j] = msgs[4 + j];
      out128[j].resize(out_len);
      out256[j].resize(out_len);
      spans128[j] = out128[j];
      spans256[j] = out256[j];
    }
    shake128_x4(in, spans128, backend);
    shake256_x4(in, spans256, backend);
    for (std::size_t j = 0; j < 4; ++j) {
      ASSERT_EQ(out128[j], ref128.digest(msgs[4 + j], out_len)) << "SHAKE128 x4 len " << len;
      ASSERT_EQ(out256[j], ref256.digest(msgs[4 + j], out_len)) << "SHAKE256 x4 len " << len;
    }
  }
}

TEST_P(BatchVsOpenSsl, ShakeFourWayBlockByBlock) {
  const KeccakBackend& backend = keccak_backend(GetParam());
  for (std::size_t len : {0u, 1u, 34u, 135u, 136u, 167u, 168u, 169u, 500u}) {
    const auto& msgs = corpus()[len];
    const std::array<util::ByteSpan, 4> in = {msgs[0], msgs[1], msgs[2], msgs[3]};
    constexpr std::size_t kBlocks = 5;
    std::array<util::Bytes, 4> got128, got256;
    for (auto& g : got128) g.resize(kBlocks * Shake128X4::kRate);
    for (auto& g : got256) g.resize(kBlocks * Shake256X4::kRate);
    Shake128X4 x128(in, backend);
    Shake256X4 x256(in, backend);
    // Two blocks, then three: the split must not matter.
    for (const auto& [start, count] : {std::pair<std::size_t, std::size_t>{0, 2}, {2, 3}}) {
      const std::array<std::uint8_t*, 4> o128 = {got128[0].data() + start * Shake128X4::kRate,
                                                 got128[1].data() + start * Shake128X4::kRate,
                                                 got128[2].data() + start * Shake128X4::kRate,
                                                 got128[3].data() + start * Shake128X4::kRate};
      const std::array<std::uint8_t*, 4> o256 = {got256[0].data() + start * Shake256X4::kRate,
                                                 got256[1].data() + start * Shake256X4::kRate,
                                                 got256[2].data() + start * Shake256X4::kRate,
                                                 got256[3].data() + start * Shake256X4::kRate};
      x128.squeeze_blocks(o128, count);
      x256.squeeze_blocks(o256, count);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      ASSERT_EQ(got128[j], Shake128::hash(msgs[j], got128[j].size())) << "len " << len;
      ASSERT_EQ(got256[j], Shake256::hash(msgs[j], got256[j].size())) << "len " << len;
    }
  }
}

TEST_P(BatchVsOpenSsl, Sha3_256OneBlockFourWay) {
  const KeccakBackend& backend = keccak_backend(GetParam());
  const OpenSsl ref("SHA3-256");
  // Every length a single block holds: the padding lands in every lane position, including the
  // rate's last lane, where its first and last bits share one byte (length 135).
  for (std::size_t len = 0; len < Sha3_256::kRate; ++len) {
    const auto& msgs = corpus()[len];
    const std::array<util::ByteSpan, 4> in{msgs[0], msgs[1], msgs[2], msgs[3]};
    std::array<Hash256, 4> out;
    sha3_256_x4_one_block(in, out, backend);
    for (std::size_t j = 0; j < 4; ++j) {
      ASSERT_EQ(util::Bytes(out[j].begin(), out[j].end()), ref.digest(msgs[j])) << "len " << len;
    }
  }
}

TEST(Sha3VsOpenSsl, ManyOneBlockMessagesOfMixedLengths) {
  const OpenSsl ref("SHA3-256");
  // Batches whose sizes leave every remainder modulo 4, with lengths mixed so that the grouping
  // by length (and the leftovers hashed one by one) matters.
  for (std::size_t count : {0, 1, 3, 4, 5, 9, 64}) {
    for (std::size_t len = 0; len < Sha3_256::kRate; ++len) {
      std::vector<util::ByteSpan> inputs;
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t l = i % 3 == 2 ? (len * 7 + i) % Sha3_256::kRate : len;
        inputs.push_back(corpus()[l][i % kMessagesPerLength]);
      }
      std::vector<Hash256> outputs(count);
      sha3_256_many_one_block(inputs, outputs);
      for (std::size_t i = 0; i < count; ++i) {
        ASSERT_EQ(util::Bytes(outputs[i].begin(), outputs[i].end()), ref.digest(inputs[i]))
            << "count " << count << ", message " << i << " of " << inputs[i].size() << " bytes";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, BatchVsOpenSsl, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto
