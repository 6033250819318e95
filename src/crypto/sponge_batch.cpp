#include "crypto/sponge_batch.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "crypto/sponge.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

using util::ByteSpan;
using util::MutableByteSpan;

// Pads a final partial block the byte-aligned way: the suffix bits and the first 1 of pad10*1
// form one byte after the message; the closing 1 is the top bit of the block's last byte. With
// at most 4 suffix bits both fit even when the message ends one byte before the block does.
std::uint8_t padding_byte(SpongeSuffix suffix) {
  return static_cast<std::uint8_t>(suffix.bits | (1u << suffix.count));
}

template <std::size_t N>
void permute(KeccakStateN<N>& s, const KeccakBackend& backend) {
  if constexpr (N == 4) {
    backend.x4(s);
  } else {
    backend.x8(s);
  }
}

template <std::size_t N>
void absorb_block(KeccakStateN<N>& s, std::size_t rate, std::size_t j, const std::uint8_t* block) {
  for (std::size_t i = 0; i < rate / 8; ++i) s.lanes[i][j] ^= util::load_le64(block + 8 * i);
}

// Absorbs N equal-length messages with padding; afterwards the first output block is in s.
template <std::size_t N>
void absorb_all(KeccakStateN<N>& s, std::size_t rate, SpongeSuffix suffix,
                std::span<const ByteSpan, N> inputs, const KeccakBackend& backend) {
  const std::size_t in_len = inputs[0].size();
  for (std::size_t j = 0; j < N; ++j) {
    QPOW_ASSERT_MSG(inputs[j].size() == in_len, "batched inputs must have equal lengths");
  }
  std::size_t offset = 0;
  for (; in_len - offset >= rate; offset += rate) {
    for (std::size_t j = 0; j < N; ++j) absorb_block(s, rate, j, inputs[j].data() + offset);
    permute(s, backend);
  }
  const std::size_t rest = in_len - offset;
  std::uint8_t block[kKeccakStateBytes];
  for (std::size_t j = 0; j < N; ++j) {
    std::memset(block, 0, rate);
    if (rest > 0) std::memcpy(block, inputs[j].data() + offset, rest);
    block[rest] ^= padding_byte(suffix);
    block[rate - 1] ^= 0x80;
    absorb_block(s, rate, j, block);
  }
  permute(s, backend);
}

// Copies the first `take` bytes of state j's rate part to out.
template <std::size_t N>
void extract(const KeccakStateN<N>& s, std::size_t j, std::uint8_t* out, std::size_t take) {
  std::uint8_t block[kKeccakStateBytes];
  for (std::size_t i = 0; i < (take + 7) / 8; ++i) util::store_le64(block + 8 * i, s.lanes[i][j]);
  std::memcpy(out, block, take);
}

// The whole sponge for N equal-length messages.
template <std::size_t N>
void batch_sponge(std::size_t rate, SpongeSuffix suffix, std::span<const ByteSpan, N> inputs,
                  std::span<const MutableByteSpan, N> outputs, const KeccakBackend& backend) {
  const std::size_t out_len = outputs[0].size();
  for (std::size_t j = 0; j < N; ++j) {
    QPOW_ASSERT_MSG(outputs[j].size() == out_len, "batched outputs must have equal lengths");
  }
  KeccakStateN<N> s{};
  absorb_all<N>(s, rate, suffix, inputs, backend);
  for (std::size_t done = 0; done < out_len;) {
    const std::size_t take = std::min(rate, out_len - done);
    for (std::size_t j = 0; j < N; ++j) extract(s, j, outputs[j].data() + done, take);
    done += take;
    if (done < out_len) permute(s, backend);
  }
}

template <std::size_t N>
void sha3_256_batch(std::span<const ByteSpan, N> inputs, std::span<Hash256, N> outputs,
                    const KeccakBackend& backend) {
  std::array<MutableByteSpan, N> outs;
  for (std::size_t j = 0; j < N; ++j) outs[j] = outputs[j];
  batch_sponge<N>(Sha3_256::kRate, kSha3Suffix, inputs, std::span<const MutableByteSpan, N>(outs),
                  backend);
}

}  // namespace

template <unsigned kSecurityBits>
ShakeX4<kSecurityBits>::ShakeX4(std::span<const ByteSpan, 4> inputs, const KeccakBackend& backend)
    : backend_(&backend) {
  absorb_all<4>(state_, kRate, kShakeSuffix, inputs, backend);
}

template <unsigned kSecurityBits>
void ShakeX4<kSecurityBits>::squeeze_blocks(std::span<std::uint8_t* const, 4> out,
                                            std::size_t blocks) {
  for (std::size_t b = 0; b < blocks; ++b) {
    if (!fresh_) permute(state_, *backend_);
    fresh_ = false;
    for (std::size_t j = 0; j < 4; ++j) extract(state_, j, out[j] + b * kRate, kRate);
  }
}

template class ShakeX4<128>;
template class ShakeX4<256>;

void sha3_256_x4(std::span<const ByteSpan, 4> inputs, std::span<Hash256, 4> outputs,
                 const KeccakBackend& backend) {
  sha3_256_batch<4>(inputs, outputs, backend);
}

void sha3_256_x8(std::span<const ByteSpan, 8> inputs, std::span<Hash256, 8> outputs,
                 const KeccakBackend& backend) {
  sha3_256_batch<8>(inputs, outputs, backend);
}

namespace {

// Hashes the inputs in the order `order` lists them, where equal lengths sit together: each run
// of four equal lengths through hash4, the rest one by one.
template <class Hash4>
void hash_in_length_groups(std::span<const ByteSpan> inputs, std::span<Hash256> outputs,
                           std::span<const std::uint32_t> order, Hash4&& hash4) {
  std::size_t i = 0;
  while (i < order.size()) {
    const std::size_t length = inputs[order[i]].size();
    if (i + 4 <= order.size() && inputs[order[i + 3]].size() == length) {
      const std::array<ByteSpan, 4> in{inputs[order[i]], inputs[order[i + 1]], inputs[order[i + 2]],
                                       inputs[order[i + 3]]};
      std::array<Hash256, 4> out;
      hash4(std::span<const ByteSpan, 4>(in), std::span<Hash256, 4>(out));
      for (std::size_t j = 0; j < 4; ++j) outputs[order[i + j]] = out[j];
      i += 4;
    } else {
      outputs[order[i]] = Sha3_256::hash(inputs[order[i]]);
      ++i;
    }
  }
}

// Where batching cannot help (the portable path, or fewer than four inputs), hashes every input
// on its own and returns true.
bool hashed_one_by_one(std::span<const ByteSpan> inputs, std::span<Hash256> outputs,
                       const KeccakBackend& backend) {
  QPOW_ASSERT(inputs.size() == outputs.size());
  if (backend.path != CpuPath::kPortable && inputs.size() >= 4) return false;
  for (std::size_t i = 0; i < inputs.size(); ++i) outputs[i] = Sha3_256::hash(inputs[i]);
  return true;
}

}  // namespace

void sha3_256_many(std::span<const ByteSpan> inputs, std::span<Hash256> outputs) {
  const KeccakBackend& backend = keccak_active_backend();
  if (hashed_one_by_one(inputs, outputs, backend)) return;
  // Indices ordered by length, so that equal lengths sit together in groups of four.
  std::vector<std::uint32_t> order(inputs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return inputs[a].size() < inputs[b].size();
  });
  hash_in_length_groups(inputs, outputs, order,
                        [&](std::span<const ByteSpan, 4> in, std::span<Hash256, 4> out) {
                          sha3_256_batch<4>(in, out, backend);
                        });
}

void sha3_256_x4_one_block(std::span<const ByteSpan, 4> inputs, std::span<Hash256, 4> outputs,
                           const KeccakBackend& backend) {
  constexpr std::size_t kRateLanes = Sha3_256::kRate / 8;
  const std::size_t length = inputs[0].size();
  QPOW_ASSERT(length < Sha3_256::kRate);
  const std::size_t words = length / 8;
  KeccakStateX4 s{};
  for (std::size_t j = 0; j < 4; ++j) {
    QPOW_ASSERT_MSG(inputs[j].size() == length, "batched inputs must have equal lengths");
    const std::uint8_t* in = inputs[j].data();
    for (std::size_t i = 0; i < words; ++i) s.lanes[i][j] = util::load_le64(in + 8 * i);
    // The message's last partial lane, then the suffix bits and the first 1 of pad10*1 in the
    // byte after it; the closing 1 is the top bit of the rate's last lane (which may be this one).
    std::uint64_t tail = 0;
    for (std::size_t b = 0; b < length % 8; ++b) {
      tail |= std::uint64_t{in[8 * words + b]} << (8 * b);
    }
    tail |= std::uint64_t{padding_byte(kSha3Suffix)} << (8 * (length % 8));
    s.lanes[words][j] ^= tail;
    s.lanes[kRateLanes - 1][j] ^= std::uint64_t{0x80} << 56;
  }
  permute(s, backend);
  for (std::size_t j = 0; j < 4; ++j) {
    for (std::size_t i = 0; i < outputs[j].size() / 8; ++i) {
      util::store_le64(outputs[j].data() + 8 * i, s.lanes[i][j]);
    }
  }
}

void sha3_256_many_one_block(std::span<const ByteSpan> inputs, std::span<Hash256> outputs) {
  const KeccakBackend& backend = keccak_active_backend();
  if (hashed_one_by_one(inputs, outputs, backend)) return;
  // Indices grouped by length, stably: a counting sort over the 136 possible lengths.
  std::array<std::uint32_t, Sha3_256::kRate + 1> start{};
  for (const ByteSpan& in : inputs) {
    QPOW_ASSERT(in.size() < Sha3_256::kRate);
    ++start[in.size() + 1];
  }
  for (std::size_t l = 0; l < Sha3_256::kRate; ++l) start[l + 1] += start[l];
  std::vector<std::uint32_t> order(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    order[start[inputs[i].size()]++] = static_cast<std::uint32_t>(i);
  }
  hash_in_length_groups(inputs, outputs, order,
                        [&](std::span<const ByteSpan, 4> in, std::span<Hash256, 4> out) {
                          sha3_256_x4_one_block(in, out, backend);
                        });
}

void shake128_x4(std::span<const ByteSpan, 4> inputs, std::span<const MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend) {
  batch_sponge<4>(Shake128::kRate, kShakeSuffix, inputs, outputs, backend);
}

void shake256_x4(std::span<const ByteSpan, 4> inputs, std::span<const MutableByteSpan, 4> outputs,
                 const KeccakBackend& backend) {
  batch_sponge<4>(Shake256::kRate, kShakeSuffix, inputs, outputs, backend);
}

}  // namespace qpow::crypto
