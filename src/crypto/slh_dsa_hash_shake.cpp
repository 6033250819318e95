#include "crypto/slh_dsa_hash_shake.h"

#include <type_traits>

#include "crypto/keccak.h"
#include "crypto/keccak_lanes.h"
#include "crypto/secure_memory.h"
#include "crypto/sha3.h"
#include "crypto/slh_dsa_shake_kernel.h"
#include "crypto/slh_dsa_shake_x4.h"
#include "util/assert.h"

namespace qpow::crypto::slhdsa::internal {

// The portable kernels: the same templates as slh_dsa_shake_avx2.cpp, built for the baseline ISA.
void shake_block_portable(const ShakeBlockJob& job) {
  shake_block<keccak_internal::ScalarLanes, 1>(job);
}

void shake_chain_portable(const ShakeChainJob& job) {
  shake_chain<keccak_internal::ScalarLanes, 1>(job);
}

namespace {

// PK.seed || ADRS || M for a T_l call, whose input spans several blocks. All three parts are whole
// words, so the input is read word by word.
struct LongInput {
  const std::uint8_t* seed;
  std::size_t seed_words;
  const std::uint8_t* adrs;
  const std::uint8_t* msg;

  std::uint64_t word(std::size_t w) const {
    if (w < seed_words) return load_word(seed + 8 * w);
    w -= seed_words;
    if (w < kAdrsWords) return load_word(adrs + 8 * w);
    return load_word(msg + 8 * (w - kAdrsWords));
  }
};

std::uint64_t& lane(KeccakState& s, std::size_t i, std::size_t) {
  return s[i];
}
std::uint64_t& lane(KeccakStateX4& s, std::size_t i, std::size_t j) {
  return s.lanes[i][j];
}

// SHAKE256 of `count` equal-length inputs of total_words words, left in `state` after the last
// permutation (FIPS 202 §4 with SHAKE's suffix).
template <class State, class Permute>
void absorb_long(const LongInput* in, std::size_t count, std::size_t total_words, State& state,
                 Permute permute) {
  std::size_t w = 0;
  for (;;) {
    std::size_t i = 0;
    for (; i < kRateWords && w < total_words; ++i, ++w) {
      for (std::size_t j = 0; j < count; ++j) lane(state, i, j) ^= in[j].word(w);
    }
    if (i < kRateWords) {  // the padding fits behind the message in this block
      for (std::size_t j = 0; j < count; ++j) {
        lane(state, i, j) ^= kShakePadFirst;
        lane(state, kRateWords - 1, j) ^= kShakePadLast;
      }
      permute(state);
      return;
    }
    permute(state);
    if (w == total_words) {  // the message filled the block: padding gets a block of its own
      for (std::size_t j = 0; j < count; ++j) {
        lane(state, 0, j) ^= kShakePadFirst;
        lane(state, kRateWords - 1, j) ^= kShakePadLast;
      }
      permute(state);
      return;
    }
  }
}

class ShakeHash final : public TweakableHash {
 public:
  ShakeHash(const Params& p, util::ByteSpan pk_seed, util::ByteSpan sk_seed, CpuPath path)
      : TweakableHash(p),
        pk_seed_(pk_seed),
        sk_seed_(sk_seed),
        backend_(keccak_backend(path)),
        simd_(path != CpuPath::kPortable) {}

  void prf(const Address& adrs, std::uint8_t* out) const override {
    QPOW_ASSERT(!sk_seed_.empty());
    ShakeBlockJob job = block_job(params().n);
    job.adrs[0] = adrs.data();
    job.msg[0] = sk_seed_.data();
    job.out[0] = out;
    run_block_x1(job);
  }

  void thash(const Address& adrs, const std::uint8_t* in, std::size_t blocks,
             std::uint8_t* out) const override {
    if (blocks <= 2) {
      ShakeBlockJob job = block_job(blocks * params().n);
      job.adrs[0] = adrs.data();
      job.msg[0] = in;
      job.out[0] = out;
      run_block_x1(job);
      return;
    }
    const LongInput input{pk_seed_.data(), params().n / 8, adrs.data(), in};
    KeccakState state{};
    absorb_long(&input, 1, total_words(blocks), state, [this](KeccakState& s) { backend_.x1(s); });
    for (std::size_t w = 0; w < params().n / 8; ++w) util::store_le64(out + 8 * w, state[w]);
  }

  void prf_x4(const AddressLanes& adrs, const OutLanes& out, std::size_t count) const override;
  void thash_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                const OutLanes& out, std::size_t count) const override;
  void chain_x4(AddressLanes& adrs, const OutLanes& values, const ChainStarts& start,
                std::uint32_t steps, std::size_t count) const override;

  void prf_msg(util::ByteSpan sk_prf, util::ByteSpan opt_rand, MessageParts message,
               std::uint8_t* out) const override {
    static_assert(std::is_trivially_destructible_v<Shake256>);
    Shake256 xof;
    xof.absorb(sk_prf).absorb(opt_rand);
    for (const util::ByteSpan part : message) xof.absorb(part);
    xof.squeeze({out, params().n});
    secure_wipe(&xof, sizeof xof);  // the sponge absorbed SK.prf
  }

  void h_msg(util::ByteSpan r, util::ByteSpan pk_seed, util::ByteSpan pk_root, MessageParts message,
             std::uint8_t* out) const override {
    Shake256 xof;
    xof.absorb(r).absorb(pk_seed).absorb(pk_root);
    for (const util::ByteSpan part : message) xof.absorb(part);
    xof.squeeze({out, params().m});
  }

 private:
  ShakeBlockJob block_job(std::size_t msg_bytes) const {
    ShakeBlockJob job{};
    job.seed = pk_seed_.data();
    job.n = params().n;
    job.msg_bytes = msg_bytes;
    job.count = 1;
    return job;
  }

  std::size_t total_words(std::size_t blocks) const {
    return (params().n + Address::kBytes + blocks * params().n) / 8;
  }

  void run_block_x1(const ShakeBlockJob& job) const {
#if defined(QPOW_HAVE_X86_SIMD)
    if (simd_) {
      shake_block_bmi2(job);
      return;
    }
#endif
    shake_block_portable(job);
  }

  void thash_long_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                     const OutLanes& out, std::size_t count) const;

  util::ByteSpan pk_seed_;
  util::ByteSpan sk_seed_;
  const KeccakBackend& backend_;
  bool simd_;
};

void ShakeHash::prf_x4(const AddressLanes& adrs, const OutLanes& out, std::size_t count) const {
  QPOW_ASSERT(!sk_seed_.empty() && count >= 1 && count <= kLanes);
  if (!simd_) {
    TweakableHash::prf_x4(adrs, out, count);
    return;
  }
#if defined(QPOW_HAVE_X86_SIMD)
  ShakeBlockJob job = block_job(params().n);
  job.count = count;
  for (std::size_t j = 0; j < count; ++j) {
    job.adrs[j] = adrs[j].data();
    job.msg[j] = sk_seed_.data();
    job.out[j] = out[j];
  }
  shake_block_x4_avx2(job);
#endif
}

void ShakeHash::thash_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                         const OutLanes& out, std::size_t count) const {
  QPOW_ASSERT(count >= 1 && count <= kLanes);
  if (!simd_) {
    TweakableHash::thash_x4(adrs, in, blocks, out, count);
    return;
  }
  if (blocks > 2) {
    thash_long_x4(adrs, in, blocks, out, count);
    return;
  }
#if defined(QPOW_HAVE_X86_SIMD)
  ShakeBlockJob job = block_job(blocks * params().n);
  job.count = count;
  for (std::size_t j = 0; j < count; ++j) {
    job.adrs[j] = adrs[j].data();
    job.msg[j] = in[j];
    job.out[j] = out[j];
  }
  shake_block_x4_avx2(job);
#endif
}

void ShakeHash::thash_long_x4(const AddressLanes& adrs, const InLanes& in, std::size_t blocks,
                              const OutLanes& out, std::size_t count) const {
  LongInput inputs[kLanes];
  for (std::size_t j = 0; j < kLanes; ++j) {
    const std::size_t from = j < count ? j : 0;
    inputs[j] = {pk_seed_.data(), params().n / 8, adrs[from].data(), in[from]};
  }
  KeccakStateX4 state{};
  absorb_long(inputs, kLanes, total_words(blocks), state,
              [this](KeccakStateX4& s) { backend_.x4(s); });
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t w = 0; w < params().n / 8; ++w) {
      util::store_le64(out[j] + 8 * w, state.lanes[w][j]);
    }
  }
}

void ShakeHash::chain_x4(AddressLanes& adrs, const OutLanes& values, const ChainStarts& start,
                         std::uint32_t steps, std::size_t count) const {
  QPOW_ASSERT(count >= 1 && count <= kLanes);
  ShakeChainJob job{};
  job.seed = pk_seed_.data();
  job.n = params().n;
  job.steps = steps;
  for (std::size_t j = 0; j < count; ++j) {
    job.adrs[j] = adrs[j].data();
    job.values[j] = values[j];
    job.start[j] = start[j];
  }
#if defined(QPOW_HAVE_X86_SIMD)
  if (simd_) {
    job.count = count;
    shake_chain_x4_avx2(job);
    return;
  }
#endif
  job.count = 1;
  for (std::size_t j = 0; j < count; ++j) {
    job.adrs[0] = adrs[j].data();
    job.values[0] = values[j];
    job.start[0] = start[j];
    shake_chain_portable(job);
  }
}

}  // namespace

std::unique_ptr<TweakableHash> make_shake_hash(const Params& p, util::ByteSpan pk_seed,
                                               util::ByteSpan sk_seed, CpuPath path) {
  QPOW_ASSERT(p.family == HashFamily::kShake);
  return std::make_unique<ShakeHash>(p, pk_seed, sk_seed, path);
}

}  // namespace qpow::crypto::slhdsa::internal
