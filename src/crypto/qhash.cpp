#include "crypto/qhash.h"

#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "crypto/qhash_kernel.h"
#include "crypto/sp800_185.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

using util::ByteSpan;
using util::Result;
using util::Status;

constexpr std::size_t kRate = CShake256::kRate;                             // 136 bytes
constexpr std::size_t kNonceBlock = kQhashNonceOffset / kSwifftBlockBytes;  // SWIFFT block 34
constexpr std::size_t kHeaderBlocks = kQhashHeaderBytes / kSwifftBlockBytes;
static_assert(kQhashNonceOffset == 2 * kRate, "the fixed part must fill two cSHAKE256 blocks");
static_assert(8 + kSwifftPackedBytes + 1 <= kRate, "nonce, digest and padding share one block");
static_assert(kHeaderBlocks <= kSwifftMaxBlocks);
static_assert(8 + kSwifftPackedBytes == 8 * qhash_internal::kNonceWords);

// cSHAKE's "00" suffix and the first bit of pad10*1, after the nonce and the digest (byte 80 of
// the last block), and the closing bit of pad10*1 (top bit of byte 135).
constexpr std::size_t kPadByte = 8 + kSwifftPackedBytes;
constexpr std::uint8_t kPadFirst = 0x04;

// nonce_table[j][b] = a_34 * (byte value b placed at bits 8j .. 8j+7 of the nonce block), so the
// nonce block's SWIFFT contribution is the sum of one row per nonce byte. 8 * 256 * 64 entries.
struct NonceTable {
  qhash_internal::NonceRows row;
};

std::unique_ptr<NonceTable> build_nonce_table() {
  const SwifftPoly& a = swifft_key(kNonceBlock);
  // a * X^q: coefficients move up by q; those that wrap past X^63 change sign (X^64 = -1).
  SwifftPoly shifted[kSwifftN];
  for (std::size_t q = 0; q < kSwifftN; ++q) {
    for (std::size_t i = 0; i < kSwifftN; ++i) {
      shifted[q][i] = i >= q
                          ? a[i - q]
                          : static_cast<std::uint16_t>((kSwifftP - a[i + kSwifftN - q]) % kSwifftP);
    }
  }
  auto table = std::make_unique<NonceTable>();
  for (std::size_t j = 0; j < 8; ++j) {
    for (std::size_t i = 0; i < kSwifftN; ++i) table->row[j][0][i] = 0;
    for (unsigned b = 1; b < 256; ++b) {
      const unsigned low_bit = static_cast<unsigned>(__builtin_ctz(b));
      const std::uint16_t* rest = table->row[j][b & (b - 1)];
      const SwifftPoly& add = shifted[8 * j + low_bit];
      for (std::size_t i = 0; i < kSwifftN; ++i) {
        table->row[j][b][i] = static_cast<std::uint16_t>((rest[i] + add[i]) % kSwifftP);
      }
    }
  }
  return table;
}

const NonceTable& nonce_table() {
  static const std::unique_ptr<NonceTable> table = build_nonce_table();
  return *table;
}

Hash256 squeeze_digest(const std::uint64_t* first_words) {
  Hash256 out;
  for (std::size_t i = 0; i < 4; ++i) util::store_le64(out.data() + 8 * i, first_words[i]);
  return out;
}

}  // namespace

Hash256 qhash(QhashHeader header) {
  const Result<SwifftPoly> z = swifft(header);
  QPOW_ASSERT(z.is_ok());
  const SwifftPacked digest = swifft_pack(*z);
  CShake256 xof({}, util::as_bytes(kQhashCustomization));
  xof.absorb(header).absorb(digest);
  Hash256 out;
  xof.squeeze(out);
  return out;
}

Result<Hash256> qhash_checked(ByteSpan header) {
  if (header.size() != kQhashHeaderBytes) {
    return Status::invalid_argument(
        fmt::format("qhash: header must be {} bytes, got {}", kQhashHeaderBytes, header.size()));
  }
  return qhash(header.first<kQhashHeaderBytes>());
}

QhashPrefix::QhashPrefix(QhashFixedPart fixed) {
  // Absorb the customization block and the two fixed blocks exactly as qhash() does; the sponge
  // is then at the start of the last block.
  KeccakSponge sponge(kRate, kCShakeSuffix);
  absorb_bytepad(sponge, {ByteSpan{}, util::as_bytes(kQhashCustomization)});
  sponge.absorb(fixed);
  QPOW_ASSERT(sponge.block_offset() == 0);
  KeccakState state = sponge.state();
  state[kPadByte / 8] ^= static_cast<std::uint64_t>(kPadFirst) << (8 * (kPadByte % 8));
  state[kRate / 8 - 1] ^= std::uint64_t{0x80} << 56;
  last_block_base_ = state;

  std::array<std::uint8_t, kQhashHeaderBytes> zero_nonce{};
  std::memcpy(zero_nonce.data(), fixed.data(), fixed.size());
  const Result<SwifftPoly> z = swifft(zero_nonce);
  QPOW_ASSERT(z.is_ok());
  swifft_fixed_ = *z;
}

QhashPrefix::NonceWords QhashPrefix::nonce_words(std::uint64_t nonce, CpuPath path) const {
  NonceWords words;
#if defined(QPOW_HAVE_X86_SIMD)
  if (path != CpuPath::kPortable) {
    qhash_internal::nonce_words_avx2(swifft_fixed_.data(), nonce_table().row, nonce, words.data());
    return words;
  }
#endif
  (void)path;
  qhash_internal::nonce_words_kernel(swifft_fixed_.data(), nonce_table().row, nonce, words.data());
  return words;
}

Hash256 QhashPrefix::hash(std::uint64_t nonce) const {
  const NonceWords words = nonce_words(nonce, keccak_active_backend().path);
  KeccakState state = last_block_base_;
  for (std::size_t i = 0; i < kNonceWords; ++i) state[i] ^= words[i];
  keccak_f1600(state);
  return squeeze_digest(state.data());
}

template <std::size_t N>
void QhashPrefix::hash_many(std::span<const std::uint64_t, N> nonces, std::span<Hash256, N> out,
                            const KeccakBackend& backend) const {
  static_assert(sizeof(Hash256) == qhash_internal::kDigestBytes);
#if defined(QPOW_HAVE_X86_SIMD)
  const qhash_internal::PrefixView view{last_block_base_.data(), swifft_fixed_.data(),
                                        &nonce_table().row};
  auto* digests = reinterpret_cast<std::uint8_t*>(out.data());
  if (backend.path == CpuPath::kAvx512 && N == 8) {
    qhash_internal::hash_x8_avx512(view, nonces.data(), digests);
    return;
  }
  if (backend.path != CpuPath::kPortable) {
    for (std::size_t j = 0; j < N; j += 4) {
      qhash_internal::hash_x4_avx2(view, nonces.data() + j, digests + j * sizeof(Hash256));
    }
    return;
  }
#endif
  KeccakStateN<N> states;
  for (std::size_t i = 0; i < kKeccakLanes; ++i) {
    for (std::size_t j = 0; j < N; ++j) states.lanes[i][j] = last_block_base_[i];
  }
  for (std::size_t j = 0; j < N; ++j) {
    const NonceWords words = nonce_words(nonces[j], backend.path);
    for (std::size_t i = 0; i < kNonceWords; ++i) states.lanes[i][j] ^= words[i];
  }
  if constexpr (N == 4) {
    backend.x4(states);
  } else {
    backend.x8(states);
  }
  for (std::size_t j = 0; j < N; ++j) {
    const std::uint64_t first[4] = {states.lanes[0][j], states.lanes[1][j], states.lanes[2][j],
                                    states.lanes[3][j]};
    out[j] = squeeze_digest(first);
  }
}

void QhashPrefix::hash_x4(std::span<const std::uint64_t, 4> nonces, std::span<Hash256, 4> out,
                          const KeccakBackend& backend) const {
  hash_many<4>(nonces, out, backend);
}

void QhashPrefix::hash_x8(std::span<const std::uint64_t, 8> nonces, std::span<Hash256, 8> out,
                          const KeccakBackend& backend) const {
  hash_many<8>(nonces, out, backend);
}

}  // namespace qpow::crypto
