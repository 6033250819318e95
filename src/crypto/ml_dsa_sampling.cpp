#include "crypto/ml_dsa_sampling.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <type_traits>

#include "crypto/keccak.h"
#if defined(QPOW_HAVE_X86_SIMD)
#include "crypto/ml_dsa_avx2.h"
#endif
#include "crypto/ml_dsa_encoding.h"
#include "crypto/secure_memory.h"
#include "crypto/sha3.h"
#include "crypto/sponge_batch.h"
#include "util/assert.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::size_t kLanes = 4;
// ExpandS squeezes this many SHAKE256 blocks before the first parse (η = 2 needs about 137
// bytes on average, η = 4 about 228), then one more at a time while a lane lacks coefficients.
constexpr std::size_t kExpandSFirstBlocksEta2 = 1;
constexpr std::size_t kExpandSFirstBlocksEta4 = 2;
constexpr std::size_t kExpandSMaxFirstBlocks = 2;
// ExpandMask needs exactly 32 · (1 + bitlen(γ1 - 1)) <= 640 bytes: 5 SHAKE256 blocks.
constexpr std::size_t kExpandMaskBlocks = 5;
// A lane that still lacks coefficients after this many blocks would need astronomically many
// rejections (FIPS 204 Appendix C bounds these loops likewise); reaching it is a bug.
constexpr std::size_t kMaxBlocks = 64;

static_assert(std::is_trivially_destructible_v<Shake128> &&
                  std::is_trivially_destructible_v<Shake256> &&
                  std::is_trivially_destructible_v<Shake256X4>,
              "sponges are wiped in place with secure_wipe");

// RejBoundedPoly (Algorithm 31) for four seeds on one Shake256X4: lane j fills *out[j].
void rej_bounded_x4(std::span<const util::ByteSpan, kLanes> inputs, std::int32_t eta,
                    Poly* const* out, const PolyKernels& kernels) {
  constexpr std::size_t kRate = Shake256X4::kRate;
  const std::size_t first_blocks = eta == 2 ? kExpandSFirstBlocksEta2 : kExpandSFirstBlocksEta4;
  Shake256X4 xof(inputs, keccak_backend(kernels.path));
  alignas(32) std::uint8_t buf[kLanes][kExpandSMaxFirstBlocks * kRate];
  std::uint8_t* const lanes[kLanes] = {buf[0], buf[1], buf[2], buf[3]};
  xof.squeeze_blocks(lanes, first_blocks);
  std::size_t filled[kLanes];
  bool done = true;
  for (std::size_t j = 0; j < kLanes; ++j) {
    filled[j] = kernels.rej_bounded_parse(*out[j], 0, buf[j], first_blocks * kRate, eta);
    done &= filled[j] == kN;
  }
  for (std::size_t blocks = first_blocks; !done; ++blocks) {
    QPOW_ASSERT_MSG(blocks < kMaxBlocks, "rejection sampling ran past its bound");
    xof.squeeze_blocks(lanes, 1);
    done = true;
    for (std::size_t j = 0; j < kLanes; ++j) {
      if (filled[j] < kN)
        filled[j] = kernels.rej_bounded_parse(*out[j], filled[j], buf[j], kRate, eta);
      done &= filled[j] == kN;
    }
  }
  secure_wipe(buf, sizeof buf);
  secure_wipe(&xof, sizeof xof);
}

// One lane's input: seed || two index bytes.
template <std::size_t kSeedBytes>
struct SeedInput {
  std::array<std::uint8_t, kSeedBytes + 2> bytes{};

  SeedInput() = default;
  SeedInput(const std::uint8_t* seed, std::uint8_t i0, std::uint8_t i1) {
    std::memcpy(bytes.data(), seed, kSeedBytes);
    bytes[kSeedBytes] = i0;
    bytes[kSeedBytes + 1] = i1;
  }
};

// Algorithm 30, RejNTTPoly, on one SHAKE128 instance.
void rej_ntt_poly(const std::uint8_t* seed34, Poly& a, const PolyKernels& kernels) {
  Shake128 xof;
  xof.absorb(util::ByteSpan(seed34, kRhoBytes + 2));
  std::uint8_t block[Shake128::kRate];
  std::size_t filled = 0;
  for (std::size_t blocks = 0; filled < kN; ++blocks) {
    QPOW_ASSERT_MSG(blocks < kMaxBlocks, "rejection sampling ran past its bound");
    xof.squeeze(block);
    filled = kernels.rej_ntt_parse(a, filled, block, sizeof block);
  }
}

// Algorithm 31, RejBoundedPoly, on one SHAKE256 instance.
void rej_bounded_poly(const std::uint8_t* seed66, std::int32_t eta, Poly& a,
                      const PolyKernels& kernels) {
  Shake256 xof;
  xof.absorb(util::ByteSpan(seed66, kRhoPrimeBytes + 2));
  std::uint8_t block[Shake256::kRate];
  std::size_t filled = 0;
  for (std::size_t blocks = 0; filled < kN; ++blocks) {
    QPOW_ASSERT_MSG(blocks < kMaxBlocks, "rejection sampling ran past its bound");
    xof.squeeze(block);
    filled = kernels.rej_bounded_parse(a, filled, block, sizeof block, eta);
  }
  secure_wipe(block, sizeof block);
  secure_wipe(&xof, sizeof xof);
}

void expand_a_single(const Params& p, const std::uint8_t* rho, Poly* a,
                     const PolyKernels& kernels) {
  for (std::size_t r = 0; r < p.k; ++r) {
    for (std::size_t s = 0; s < p.l; ++s) {
      const SeedInput<kRhoBytes> in(rho, static_cast<std::uint8_t>(s),
                                    static_cast<std::uint8_t>(r));
      rej_ntt_poly(in.bytes.data(), a[r * p.l + s], kernels);
    }
  }
}

#if defined(QPOW_HAVE_X86_SIMD)
// Four matrix entries per 4-way SHAKE128; a final partial batch repeats its last entry in the
// unused lanes. ml_dsa_expand_a_avx2.cpp drives the 4-way permutation directly rather than
// through Shake128X4: that class's byte-wise block copies cost as much as the rejection sampling
// itself (about 5 µs of an ML-DSA-87 verification, measured with bench_ml_dsa).
void expand_a_x4(const Params& p, const std::uint8_t* rho, Poly* a, const PolyKernels& kernels,
                 avx2::PiggybackShake256* rider) {
  const KeccakBackend& backend = keccak_backend(kernels.path);
  const std::size_t entries = p.k * p.l;
  for (std::size_t base = 0; base < entries; base += kLanes) {
    std::uint8_t indices[kLanes][2];
    Poly* out[kLanes];
    for (std::size_t j = 0; j < kLanes; ++j) {
      const std::size_t e = base + j < entries ? base + j : entries - 1;
      indices[j][0] = static_cast<std::uint8_t>(e % p.l);  // s: the column
      indices[j][1] = static_cast<std::uint8_t>(e / p.l);  // r: the row
      out[j] = &a[e];
    }
    avx2::expand_a_x4(rho, indices, out, backend.x4, rider);
  }
}
#endif

}  // namespace

// The bytes H.Squeeze(1) would return one at a time are read from whole squeezed blocks, which
// is the same stream.
void sample_in_ball(const Params& p, const std::uint8_t* ctilde, Poly& c) {
  std::memset(c.c, 0, sizeof c.c);
  Shake256 xof;
  xof.absorb(util::ByteSpan(ctilde, p.ctilde_bytes()));
  std::uint8_t block[Shake256::kRate];
  xof.squeeze(block);
  std::uint64_t signs = util::load_le64(block);
  std::size_t pos = 8;
  for (std::size_t i = kN - p.tau; i < kN; ++i) {
    std::size_t j;
    do {
      if (pos == sizeof block) {
        xof.squeeze(block);
        pos = 0;
      }
      j = block[pos++];
    } while (j > i);
    c.c[i] = c.c[j];
    c.c[j] = 1 - 2 * static_cast<std::int32_t>(signs & 1);
    signs >>= 1;
  }
}

void expand_a(const Params& p, const std::uint8_t* rho, Poly* a, const PolyKernels& kernels) {
#if defined(QPOW_HAVE_X86_SIMD)
  if (kernels.path != CpuPath::kPortable) {
    expand_a_x4(p, rho, a, kernels, nullptr);
  } else {
    expand_a_single(p, rho, a, kernels);
  }
#else
  expand_a_single(p, rho, a, kernels);
#endif
  for (std::size_t i = 0; i < p.k * p.l; ++i) kernels.from_standard_order(a[i]);
}

void expand_a_and_hash_pk(const Params& p, const std::uint8_t* rho, Poly* a, util::ByteSpan pk,
                          std::uint8_t* tr, const PolyKernels& kernels) {
#if defined(QPOW_HAVE_X86_SIMD)
  if (kernels.path != CpuPath::kPortable) {
    avx2::PiggybackShake256 rider{pk.data(), pk.size()};
    expand_a_x4(p, rho, a, kernels, &rider);
    avx2::piggyback_finish(rider, tr, kTrBytes);
    for (std::size_t i = 0; i < p.k * p.l; ++i) kernels.from_standard_order(a[i]);
    return;
  }
#endif
  expand_a(p, rho, a, kernels);
  Shake256().absorb(pk).squeeze(util::MutableByteSpan(tr, kTrBytes));
}

void expand_s(const Params& p, const std::uint8_t* rho_prime, Poly* s1, Poly* s2,
              const PolyKernels& kernels) {
  const std::size_t count = p.l + p.k;
  auto target = [&](std::size_t r) -> Poly& { return r < p.l ? s1[r] : s2[r - p.l]; };
  if (kernels.path == CpuPath::kPortable) {
    for (std::size_t r = 0; r < count; ++r) {
      SeedInput<kRhoPrimeBytes> in(rho_prime, static_cast<std::uint8_t>(r), 0);
      rej_bounded_poly(in.bytes.data(), p.eta, target(r), kernels);
      secure_wipe(&in, sizeof in);
    }
    return;
  }
  Poly spare;
  for (std::size_t base = 0; base < count; base += kLanes) {
    std::array<SeedInput<kRhoPrimeBytes>, kLanes> in;
    std::array<util::ByteSpan, kLanes> spans;
    Poly* out[kLanes];
    for (std::size_t j = 0; j < kLanes; ++j) {
      const std::size_t r = base + j < count ? base + j : count - 1;
      in[j] = SeedInput<kRhoPrimeBytes>(rho_prime, static_cast<std::uint8_t>(r), 0);
      spans[j] = in[j].bytes;
      out[j] = base + j < count ? &target(base + j) : &spare;
    }
    rej_bounded_x4(spans, p.eta, out, kernels);
    secure_wipe(in.data(), sizeof in);
  }
  secure_wipe(&spare, sizeof spare);
}

namespace {

SeedInput<kRhoPrimePrimeBytes> mask_input(const std::uint8_t* rho_prime_prime, std::size_t index) {
  QPOW_ASSERT(index <= 0xffff);  // IntegerToBytes(κ + r, 2)
  return SeedInput<kRhoPrimePrimeBytes>(rho_prime_prime, static_cast<std::uint8_t>(index),
                                        static_cast<std::uint8_t>(index >> 8));
}

// Algorithm 34's loop body for one index: y = BitUnpack(H(ρ'' || index, 32c), γ1 - 1, γ1).
void mask_one(const Params& p, const std::uint8_t* rho_prime_prime, std::size_t index, Poly& y) {
  SeedInput<kRhoPrimePrimeBytes> in = mask_input(rho_prime_prime, index);
  alignas(32) std::uint8_t buf[kExpandMaskBlocks * Shake256::kRate];
  Shake256 xof;
  xof.absorb(in.bytes);
  xof.squeeze(util::MutableByteSpan(buf, p.z_poly_bytes()));
  bit_unpack(y, p.gamma1, p.z_bits, buf);
  secure_wipe(&xof, sizeof xof);
  secure_wipe(&in, sizeof in);
  secure_wipe(buf, sizeof buf);
}

// The same for indices first .. first + 3 on one Shake256X4.
void mask_four(const Params& p, const std::uint8_t* rho_prime_prime, std::size_t first,
               Poly* const* out, CpuPath path) {
  QPOW_ASSERT(p.z_poly_bytes() <= kExpandMaskBlocks * Shake256X4::kRate);
  std::array<SeedInput<kRhoPrimePrimeBytes>, kLanes> in;
  std::array<util::ByteSpan, kLanes> spans;
  for (std::size_t j = 0; j < kLanes; ++j) {
    in[j] = mask_input(rho_prime_prime, first + j);
    spans[j] = in[j].bytes;
  }
  alignas(32) std::uint8_t buf[kLanes][kExpandMaskBlocks * Shake256X4::kRate];
  Shake256X4 xof(spans, keccak_backend(path));
  std::uint8_t* const lanes[kLanes] = {buf[0], buf[1], buf[2], buf[3]};
  xof.squeeze_blocks(lanes, kExpandMaskBlocks);
  for (std::size_t j = 0; j < kLanes; ++j) bit_unpack(*out[j], p.gamma1, p.z_bits, buf[j]);
  secure_wipe(&xof, sizeof xof);
  secure_wipe(in.data(), sizeof in);
  secure_wipe(buf, sizeof buf);
}

}  // namespace

// Batches of four on the SIMD paths; a remainder of three also runs 4-way (one lane wasted),
// which is cheaper than three single instances, and smaller remainders run one at a time.
void expand_mask(const Params& p, const std::uint8_t* rho_prime_prime, std::uint16_t kappa, Poly* y,
                 CpuPath path) {
  Poly spare;
  std::size_t r = 0;
  for (; path != CpuPath::kPortable && r + 3 <= p.l; r = std::min(r + kLanes, p.l)) {
    Poly* const out[kLanes] = {&y[r], &y[r + 1], &y[r + 2], r + 3 < p.l ? &y[r + 3] : &spare};
    mask_four(p, rho_prime_prime, kappa + r, out, path);
  }
  for (; r < p.l; ++r) mask_one(p, rho_prime_prime, kappa + r, y[r]);
  secure_wipe(&spare, sizeof spare);
}

// Each call hands out the next l polynomials of the index sequence 0, 1, 2, ... On the SIMD paths
// they come four at a time, and a batch's surplus (l is 4, 5 or 7) waits in the stream for the
// next call instead of being sampled again.
void expand_mask_next(const Params& p, const std::uint8_t* rho_prime_prime, MaskStream& stream,
                      Poly* y, CpuPath path) {
  QPOW_ASSERT(stream.spare_count <= p.l);
  std::size_t r = 0;
  for (; r < stream.spare_count; ++r) y[r] = stream.spare[r];
  stream.spare_count = 0;
  const std::size_t base = stream.next_index;
  if (path == CpuPath::kPortable) {
    for (; r < p.l; ++r) mask_one(p, rho_prime_prime, base + r, y[r]);
  } else {
    for (; r < p.l; r += kLanes) {
      Poly* out[kLanes];
      for (std::size_t j = 0; j < kLanes; ++j) {
        out[j] = r + j < p.l ? &y[r + j] : &stream.spare[stream.spare_count++];
      }
      mask_four(p, rho_prime_prime, base + r, out, path);
    }
  }
  stream.next_index = base + p.l;
}

}  // namespace qpow::crypto::mldsa
