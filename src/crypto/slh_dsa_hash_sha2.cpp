#include "crypto/slh_dsa_hash_sha2.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/secure_memory.h"
#include "crypto/slh_dsa_sha2_block.h"
#include "util/assert.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

constexpr std::size_t kSha256Bytes = 32;
constexpr std::size_t kSha512Bytes = 64;
constexpr std::size_t kMgf1SeedMax = 2 * kMaxN + kSha512Bytes;
// The longest input after the first block: ADRS^c and T_len's len n-byte values, with SHA-512's
// padding (0x80 and a 16-byte length), rounded up to whole SHA-512 blocks.
constexpr std::size_t kMaxTailBytes =
    (Address::kCompressedBytes + kMaxLen * kMaxN + 17 + kSha512BlockBytes - 1) / kSha512BlockBytes *
    kSha512BlockBytes;

// Lays out ADRS^c || data || padding (FIPS 180-4 §5.1) in buf, for a message whose first block
// (PK.seed || zeros) is already compressed; returns the number of blocks in buf. length_bytes is
// the size of the length field (8 for SHA-256, 16 for SHA-512; the bit count fits its low 8).
std::size_t pad_tail(std::uint8_t* buf, const Address& adrs, const std::uint8_t* data,
                     std::size_t len, std::size_t block, std::size_t length_bytes) {
  const std::size_t body = Address::kCompressedBytes + len;
  const std::size_t blocks = (body + 1 + length_bytes + block - 1) / block;
  QPOW_ASSERT(blocks * block <= kMaxTailBytes);
  adrs.compress(buf);
  std::memcpy(buf + Address::kCompressedBytes, data, len);
  buf[body] = 0x80;
  const std::size_t end = blocks * block;
  std::memset(buf + body + 1, 0, end - body - 1 - 8);
  const std::uint64_t bits = static_cast<std::uint64_t>(block + body) * 8;
  for (std::size_t i = 0; i < 8; ++i) buf[end - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  return blocks;
}

void store_be32(std::uint8_t* p, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

const EVP_MD* fetched_md(bool sha512) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static EVP_MD* const sha512_md = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
  const EVP_MD* md = sha512 ? sha512_md : sha256;
  QPOW_ASSERT_MSG(md != nullptr, "OpenSSL lacks SHA-256 or SHA-512");
  return md;
}

// SHA-256 or SHA-512 of the concatenated parts, through OpenSSL.
void digest(bool sha512, std::initializer_list<util::ByteSpan> head, MessageParts tail,
            std::uint8_t* out) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  QPOW_ASSERT_MSG(ctx != nullptr, "OpenSSL: out of memory");
  bool ok = EVP_DigestInit_ex2(ctx, fetched_md(sha512), nullptr) == 1;
  for (const util::ByteSpan part : head) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size());
  for (const util::ByteSpan part : tail) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size());
  ok = ok && EVP_DigestFinal_ex(ctx, out, nullptr) == 1;
  EVP_MD_CTX_free(ctx);
  QPOW_ASSERT_MSG(ok, "OpenSSL digest failed");
}

// HMAC-SHA-256 or HMAC-SHA-512 (FIPS 198-1) of the concatenated parts, through OpenSSL.
void hmac(bool sha512, util::ByteSpan key, util::ByteSpan first, MessageParts rest,
          std::uint8_t* out) {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  QPOW_ASSERT_MSG(mac != nullptr, "OpenSSL lacks HMAC");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  QPOW_ASSERT_MSG(ctx != nullptr, "OpenSSL: out of memory");
  char name[] = "SHA2-256";
  char name512[] = "SHA2-512";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha512 ? name512 : name, 0),
      OSSL_PARAM_construct_end()};
  bool ok = EVP_MAC_init(ctx, key.data(), key.size(), params) == 1;
  ok = ok && EVP_MAC_update(ctx, first.data(), first.size()) == 1;
  for (const util::ByteSpan part : rest) ok = ok && EVP_MAC_update(ctx, part.data(), part.size());
  std::size_t written = 0;
  const std::size_t size = sha512 ? kSha512Bytes : kSha256Bytes;
  ok = ok && EVP_MAC_final(ctx, out, &written, size) == 1 && written == size;
  EVP_MAC_CTX_free(ctx);
  QPOW_ASSERT_MSG(ok, "OpenSSL HMAC failed");
}

// H_msg = MGF1-SHA-X(R || PK.seed || SHA-X(R || PK.seed || PK.root || M), m), MGF1 as in RFC 8017
// §B.2.1: the blocks SHA-X(seed || toByte(counter, 4)) for counter = 0, 1, ...
void mgf1_h_msg(bool sha512, std::size_t m, util::ByteSpan r, util::ByteSpan pk_seed,
                util::ByteSpan pk_root, MessageParts message, std::uint8_t* out) {
  const std::size_t hash_bytes = sha512 ? kSha512Bytes : kSha256Bytes;
  std::uint8_t seed[kMgf1SeedMax + 4];
  std::memcpy(seed, r.data(), r.size());
  std::memcpy(seed + r.size(), pk_seed.data(), pk_seed.size());
  const std::size_t inner_at = r.size() + pk_seed.size();
  digest(sha512, {r, pk_seed, pk_root}, message, seed + inner_at);
  const std::size_t seed_bytes = inner_at + hash_bytes;
  std::uint8_t block[kSha512Bytes];
  for (std::uint32_t counter = 0; counter * hash_bytes < m; ++counter) {
    store_be32(seed + seed_bytes, counter);
    digest(sha512, {util::ByteSpan(seed, seed_bytes + 4)}, {}, block);
    const std::size_t at = counter * hash_bytes;
    std::memcpy(out + at, block, std::min(hash_bytes, m - at));
  }
}

// F, PRF and (with SHA-256) H fit one block after the precomputed one: ADRS^c, 2n <= 32 input
// bytes, 0x80 and the 8-byte length make at most 63 bytes.
template <std::size_t kLen>
void fill_block256(std::uint8_t* block, const Address& adrs, const std::uint8_t* data) {
  constexpr std::size_t kBody = Address::kCompressedBytes + kLen;
  static_assert(kBody + 9 <= kSha256BlockBytes);
  adrs.compress(block);
  std::memcpy(block + Address::kCompressedBytes, data, kLen);
  block[kBody] = 0x80;
  std::memset(block + kBody + 1, 0, kSha256BlockBytes - 8 - kBody - 1);
  const std::uint64_t bits = (kSha256BlockBytes + kBody) * 8;
  for (std::size_t i = 0; i < 8; ++i) {
    block[kSha256BlockBytes - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  }
}

template <std::size_t kN>
void store_digest256(const Sha256State& state, std::uint8_t* out) {
  for (std::size_t i = 0; i < kN / 4; ++i) store_be32(out + 4 * i, state[i]);
}

// The SHA2 instantiation for n = kN (16, 24 or 32), so that the one-block paths copy constant
// lengths. With SHA-NI the x4 calls run two SHA-256 streams at a time.
template <std::size_t kN>
class Sha2Hash final : public TweakableHash {
  static constexpr bool kSha512 = kN > 16;

 public:
  Sha2Hash(const Params& p, util::ByteSpan pk_seed, util::ByteSpan sk_seed, CpuPath path)
      : TweakableHash(p),
        sk_seed_(sk_seed),
        shani_(path != CpuPath::kPortable && sha256_shani_supported()) {
    QPOW_ASSERT(p.n == kN && p.sha2_uses_sha512() == kSha512);
    // The common first block: PK.seed || toByte(0, 64 - n) (or 128 - n for SHA-512).
    std::uint8_t block[kSha512BlockBytes] = {};
    std::memcpy(block, pk_seed.data(), kN);
    compress256(mid256_, block, 1);
    if (kSha512) sha512_compress(mid512_, block, 1);
  }

  void prf(const Address& adrs, std::uint8_t* out) const override {
    QPOW_ASSERT(!sk_seed_.empty());
    std::uint8_t block[kSha256BlockBytes];
    fill_block256<kN>(block, adrs, sk_seed_.data());
    Sha256State state = mid256_;
    compress256(state, block, 1);
    secure_wipe(block, sizeof block);  // it held SK.seed
    store_digest256<kN>(state, out);
  }

  void thash(const Address& adrs, const std::uint8_t* in, std::size_t blocks,
             std::uint8_t* out) const override {
    // F is SHA-256 in every category; H and T_l switch to SHA-512 in categories 3 and 5.
    if (blocks == 1) {
      one_block256<kN>(adrs, in, out);
    } else if constexpr (kSha512) {
      long512(adrs, in, blocks * kN, out);
    } else if (blocks == 2) {
      one_block256<2 * kN>(adrs, in, out);
    } else {
      long256(adrs, in, blocks * kN, out);
    }
  }

  void prf_x4(const AddressLanes& adrs, const OutLanes& out, std::size_t count) const override {
    if (!shani_) {
      TweakableHash::prf_x4(adrs, out, count);
      return;
    }
    QPOW_ASSERT(!sk_seed_.empty() && count >= 1 && count <= kLanes);
    const std::uint8_t* sk = sk_seed_.data();
    lanes256<kN>(count, adrs, {sk, sk, sk, sk}, out, true);
  }

  void thash_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                const OutLanes& out, std::size_t count) const override {
    if (!shani_ || blocks > (kSha512 ? 1 : 2)) {
      TweakableHash::thash_x4(adrs, in, blocks, out, count);
      return;
    }
    QPOW_ASSERT(count >= 1 && count <= kLanes);
    if (blocks == 1) {
      lanes256<kN>(count, adrs, in, out, false);
    } else if constexpr (!kSha512) {
      lanes256<2 * kN>(count, adrs, in, out, false);
    }
  }

  void chain_x4(AddressLanes& adrs, const OutLanes& values, const ChainStarts& start,
                std::uint32_t steps, std::size_t count) const override {
    if (!shani_) {
      TweakableHash::chain_x4(adrs, values, start, steps, count);
      return;
    }
    QPOW_ASSERT(count >= 1 && count <= kLanes);
    const InLanes in = {values[0], values[1], values[2], values[3]};
    for (std::uint32_t i = 0; i < steps; ++i) {
      for (std::size_t j = 0; j < count; ++j) adrs[j].set_hash(start[j] + i);
      lanes256<kN>(count, adrs, in, values, false);
    }
  }

  void prf_msg(util::ByteSpan sk_prf, util::ByteSpan opt_rand, MessageParts message,
               std::uint8_t* out) const override {
    std::uint8_t mac[kSha512Bytes];
    hmac(kSha512, sk_prf, opt_rand, message, mac);
    std::memcpy(out, mac, kN);
    secure_wipe(mac, sizeof mac);
  }

  void h_msg(util::ByteSpan r, util::ByteSpan pk_seed, util::ByteSpan pk_root, MessageParts message,
             std::uint8_t* out) const override {
    mgf1_h_msg(kSha512, params().m, r, pk_seed, pk_root, message, out);
  }

 private:
  void compress256(Sha256State& state, const std::uint8_t* data, std::size_t blocks) const {
    if (shani_) {
      sha256_compress_shani(state, data, blocks);
    } else {
      sha256_compress_portable(state, data, blocks);
    }
  }

  template <std::size_t kLen>
  void one_block256(const Address& adrs, const std::uint8_t* in, std::uint8_t* out) const {
    std::uint8_t block[kSha256BlockBytes];
    fill_block256<kLen>(block, adrs, in);
    Sha256State state = mid256_;
    compress256(state, block, 1);
    store_digest256<kN>(state, out);
  }

  // Up to four one-block calls as SHA-NI streams; inputs are read before outputs are written.
  template <std::size_t kLen>
  void lanes256(std::size_t count, const AddressLanes& adrs, const InLanes& in, const OutLanes& out,
                bool secret) const {
    std::uint8_t blocks[kLanes][kSha256BlockBytes];
    Sha256State states[kLanes];
    Sha256State* state_ptrs[kLanes] = {};
    const std::uint8_t* block_ptrs[kLanes] = {};
    for (std::size_t j = 0; j < count; ++j) {
      fill_block256<kLen>(blocks[j], adrs[j], in[j]);
      states[j] = mid256_;
      state_ptrs[j] = &states[j];
      block_ptrs[j] = blocks[j];
    }
    sha256_compress_shani_lanes(count, state_ptrs, block_ptrs);
    if (secret) secure_wipe(blocks, sizeof blocks);
    for (std::size_t j = 0; j < count; ++j) store_digest256<kN>(states[j], out[j]);
  }

  void long256(const Address& adrs, const std::uint8_t* data, std::size_t len,
               std::uint8_t* out) const {
    std::uint8_t buf[kMaxTailBytes];
    const std::size_t blocks = pad_tail(buf, adrs, data, len, kSha256BlockBytes, 8);
    Sha256State state = mid256_;
    compress256(state, buf, blocks);
    store_digest256<kN>(state, out);
  }

  void long512(const Address& adrs, const std::uint8_t* data, std::size_t len,
               std::uint8_t* out) const {
    std::uint8_t buf[kMaxTailBytes];
    // The 128-bit length field's top 8 bytes are zero (pad_tail zeroes them).
    const std::size_t blocks = pad_tail(buf, adrs, data, len, kSha512BlockBytes, 16);
    Sha512State state = mid512_;
    sha512_compress(state, buf, blocks);
    for (std::size_t i = 0; i < kN / 8; ++i) {
      for (std::size_t b = 0; b < 8; ++b) {
        out[8 * i + b] = static_cast<std::uint8_t>(state[i] >> (56 - 8 * b));
      }
    }
  }

  util::ByteSpan sk_seed_;
  bool shani_;
  Sha256State mid256_ = kSha256Init;
  Sha512State mid512_ = kSha512Init;
};

}  // namespace

std::unique_ptr<TweakableHash> make_sha2_hash(const Params& p, util::ByteSpan pk_seed,
                                              util::ByteSpan sk_seed, CpuPath path) {
  QPOW_ASSERT(p.family == HashFamily::kSha2);
  switch (p.n) {
    case 16:
      return std::make_unique<Sha2Hash<16>>(p, pk_seed, sk_seed, path);
    case 24:
      return std::make_unique<Sha2Hash<24>>(p, pk_seed, sk_seed, path);
    case 32:
      return std::make_unique<Sha2Hash<32>>(p, pk_seed, sk_seed, path);
    default:
      QPOW_UNREACHABLE();
  }
}

}  // namespace qpow::crypto::slhdsa::internal
