#include "crypto/ml_dsa_encoding.h"

#include <cstring>

#include "util/assert.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::size_t kGroup = 8;  // 8 coefficients of `bits` bits fill exactly `bits` bytes
constexpr std::size_t kGroups = kN / kGroup;

// Packs value_of(a_i) (each below 2^kBits) least significant bit first. Narrow values are packed
// 8 at a time (8 values of kBits bits fill kBits bytes), assembled in up to two 64-bit words at
// bit positions that are constants once the loop is unrolled. Wide values (z: 18 and 20 bits)
// stream through a 64-bit accumulator that is written 32 bits at a time, which is about twice as
// fast for them (kN · kBits bits are a whole number of 32-bit words for every width used here).
template <std::size_t kBits, class ValueOf>
void pack(const Poly& a, std::uint8_t* out, ValueOf value_of) {
  if constexpr (kBits >= 18) {
    static_assert(kN * kBits % 32 == 0);
    std::uint64_t acc = 0;
    std::size_t have = 0;
#pragma GCC unroll 16
    for (std::size_t i = 0; i < kN; ++i) {
      acc |= static_cast<std::uint64_t>(value_of(a.c[i])) << have;
      have += kBits;
      if (have >= 32) {
        util::store_le32(out, static_cast<std::uint32_t>(acc));
        out += 4;
        acc >>= 32;
        have -= 32;
      }
    }
  } else {
    constexpr std::size_t kWords = (kBits * kGroup + 63) / 64;
    for (std::size_t g = 0; g < kGroups; ++g) {
      std::uint64_t acc[kWords] = {};
#pragma GCC unroll 8
      for (std::size_t i = 0; i < kGroup; ++i) {
        const std::uint64_t v = value_of(a.c[kGroup * g + i]);
        const std::size_t bit = i * kBits;
        acc[bit / 64] |= v << (bit % 64);
        if (bit % 64 + kBits > 64) acc[bit / 64 + 1] |= v >> (64 - bit % 64);
      }
      std::uint8_t* o = out + g * kBits;
      for (std::size_t b = 0; b < kBits; ++b) {
        o[b] = static_cast<std::uint8_t>(acc[b / 8] >> (8 * (b % 8)));
      }
    }
  }
}

// Groups whose every 8-byte window read (at most 8 bytes from the byte holding a coefficient's
// first bit) stays inside the kN * kBits / 8 bytes of the polynomial.
template <std::size_t kBits>
constexpr std::size_t fast_groups() {
  std::size_t g = 0;
  while (g < kGroups && g * kBits + (kGroup - 1) * kBits / 8 + 8 <= kGroups * kBits) ++g;
  return g;
}

// The inverse of pack: coefficient_of(stored value) for each of the kN values. Each coefficient
// is cut from one unaligned 64-bit load, except in the last groups, which read byte by byte so
// as not to run past the end of the input.
template <std::size_t kBits, class CoefficientOf>
void unpack(Poly& a, const std::uint8_t* in, CoefficientOf coefficient_of) {
  constexpr std::uint64_t kMask = (std::uint64_t{1} << kBits) - 1;
  constexpr std::size_t kFast = fast_groups<kBits>();
  for (std::size_t g = 0; g < kFast; ++g) {
    const std::uint8_t* p = in + g * kBits;
#pragma GCC unroll 8
    for (std::size_t i = 0; i < kGroup; ++i) {
      const std::size_t bit = i * kBits;
      const std::uint64_t x = util::load_le64(p + bit / 8) >> (bit % 8);
      a.c[kGroup * g + i] = coefficient_of(static_cast<std::uint32_t>(x & kMask));
    }
  }
  for (std::size_t g = kFast; g < kGroups; ++g) {
    const std::uint8_t* p = in + g * kBits;
    for (std::size_t i = 0; i < kGroup; ++i) {
      const std::size_t bit = i * kBits;
      const std::size_t bytes = (bit % 8 + kBits + 7) / 8;
      std::uint64_t x = 0;
      for (std::size_t b = 0; b < bytes; ++b)
        x |= static_cast<std::uint64_t>(p[bit / 8 + b]) << (8 * b);
      a.c[kGroup * g + i] = coefficient_of(static_cast<std::uint32_t>((x >> (bit % 8)) & kMask));
    }
  }
}

template <std::size_t kBits>
void simple_pack_bits(const Poly& a, std::uint8_t* out) {
  pack<kBits>(a, out, [](std::int32_t x) { return static_cast<std::uint32_t>(x); });
}

template <std::size_t kBits>
void simple_unpack_bits(Poly& a, const std::uint8_t* in) {
  unpack<kBits>(a, in, [](std::uint32_t v) { return static_cast<std::int32_t>(v); });
}

template <std::size_t kBits>
void pack_bits(const Poly& a, std::int32_t b, std::uint8_t* out) {
  pack<kBits>(a, out, [b](std::int32_t x) { return static_cast<std::uint32_t>(b - x); });
}

template <std::size_t kBits>
void unpack_bits(Poly& a, std::int32_t b, const std::uint8_t* in) {
  unpack<kBits>(a, in, [b](std::uint32_t v) { return b - static_cast<std::int32_t>(v); });
}

}  // namespace

void simple_bit_pack(const Poly& a, std::size_t bits, std::uint8_t* out) {
  switch (bits) {
    case 4:
      return simple_pack_bits<4>(a, out);
    case 6:
      return simple_pack_bits<6>(a, out);
    case 10:
      return simple_pack_bits<10>(a, out);
    default:
      QPOW_UNREACHABLE();
  }
}

void simple_bit_unpack(Poly& a, std::size_t bits, const std::uint8_t* in) {
  switch (bits) {
    case 4:
      return simple_unpack_bits<4>(a, in);
    case 6:
      return simple_unpack_bits<6>(a, in);
    case 10:
      return simple_unpack_bits<10>(a, in);
    default:
      QPOW_UNREACHABLE();
  }
}

void bit_pack(const Poly& a, std::int32_t b, std::size_t bits, std::uint8_t* out) {
  switch (bits) {
    case 3:
      return pack_bits<3>(a, b, out);
    case 4:
      return pack_bits<4>(a, b, out);
    case 13:
      return pack_bits<13>(a, b, out);
    case 18:
      return pack_bits<18>(a, b, out);
    case 20:
      return pack_bits<20>(a, b, out);
    default:
      QPOW_UNREACHABLE();
  }
}

void bit_unpack(Poly& a, std::int32_t b, std::size_t bits, const std::uint8_t* in) {
  switch (bits) {
    case 3:
      return unpack_bits<3>(a, b, in);
    case 4:
      return unpack_bits<4>(a, b, in);
    case 13:
      return unpack_bits<13>(a, b, in);
    case 18:
      return unpack_bits<18>(a, b, in);
    case 20:
      return unpack_bits<20>(a, b, in);
    default:
      QPOW_UNREACHABLE();
  }
}

// The ones are found with a count of trailing zeros per set bit; a signature's hints are public
// once it is returned, and this runs only for the attempt that is returned.
void hint_bit_pack(const Params& p, const HintBits* h, std::uint8_t* out) {
  std::memset(out, 0, p.omega + p.k);
  std::size_t index = 0;
  for (std::size_t i = 0; i < p.k; ++i) {
    for (std::size_t w = 0; w < kN / 64; ++w) {
      const std::size_t base = 64 * w;
      for (std::uint64_t mask = h[i].word[w]; mask != 0; mask &= mask - 1) {
        QPOW_ASSERT(index < p.omega);
        out[index++] =
            static_cast<std::uint8_t>(base + static_cast<std::size_t>(__builtin_ctzll(mask)));
      }
    }
    out[p.omega + i] = static_cast<std::uint8_t>(index);
  }
}

bool hint_bit_unpack(const Params& p, const std::uint8_t* in, HintBits* h) {
  for (std::size_t i = 0; i < p.k; ++i) h[i] = HintBits{};
  std::size_t index = 0;
  for (std::size_t i = 0; i < p.k; ++i) {
    const std::size_t end = in[p.omega + i];
    if (end < index || end > p.omega) return false;  // Algorithm 21, line 4
    const std::size_t first = index;
    for (; index < end; ++index) {
      // Line 9: positions within one polynomial strictly increase.
      if (index > first && in[index - 1] >= in[index]) return false;
      h[i].word[in[index] / 64] |= std::uint64_t{1} << (in[index] % 64);
    }
  }
  for (; index < p.omega; ++index) {
    if (in[index] != 0) return false;  // Line 16: unused positions are zero
  }
  return true;
}

void pk_encode(const Params& p, const std::uint8_t* rho, const Poly* t1, std::uint8_t* pk) {
  std::memcpy(pk, rho, kRhoBytes);
  for (std::size_t i = 0; i < p.k; ++i) {
    simple_bit_pack(t1[i], kT1Bits, pk + kRhoBytes + i * kT1PolyBytes);
  }
}

void pk_decode(const Params& p, const std::uint8_t* pk, const std::uint8_t** rho, Poly* t1) {
  *rho = pk;
  for (std::size_t i = 0; i < p.k; ++i) {
    simple_bit_unpack(t1[i], kT1Bits, pk + kRhoBytes + i * kT1PolyBytes);
  }
}

void sk_encode(const Params& p, const std::uint8_t* rho, const std::uint8_t* key,
               const std::uint8_t* tr, const Poly* s1, const Poly* s2, const Poly* t0,
               std::uint8_t* sk) {
  std::uint8_t* o = sk;
  std::memcpy(o, rho, kRhoBytes);
  o += kRhoBytes;
  std::memcpy(o, key, kKeyBytes);
  o += kKeyBytes;
  std::memcpy(o, tr, kTrBytes);
  o += kTrBytes;
  for (std::size_t i = 0; i < p.l; ++i, o += p.eta_poly_bytes())
    bit_pack(s1[i], p.eta, p.eta_bits, o);
  for (std::size_t i = 0; i < p.k; ++i, o += p.eta_poly_bytes())
    bit_pack(s2[i], p.eta, p.eta_bits, o);
  for (std::size_t i = 0; i < p.k; ++i, o += kT0PolyBytes) {
    bit_pack(t0[i], 1 << (kD - 1), kT0Bits, o);
  }
  QPOW_ASSERT(static_cast<std::size_t>(o - sk) == p.sk_bytes());
}

namespace {

// Sets `bad` to a negative value when some coefficient is below -η (the stored value η - a_i is
// above 2η); values above η cannot be encoded. Branch-free: the key is secret.
void accumulate_eta_range(const Poly& a, std::int32_t eta, std::int32_t& bad) {
  for (const std::int32_t x : a.c) bad |= x + eta;
}

}  // namespace

bool sk_decode(const Params& p, const std::uint8_t* sk, SecretKeyParts& parts, Poly* s1, Poly* s2,
               Poly* t0) {
  const std::uint8_t* in = sk;
  parts.rho = in;
  in += kRhoBytes;
  parts.key = in;
  in += kKeyBytes;
  parts.tr = in;
  in += kTrBytes;
  std::int32_t bad = 0;
  for (std::size_t i = 0; i < p.l; ++i, in += p.eta_poly_bytes()) {
    bit_unpack(s1[i], p.eta, p.eta_bits, in);
    accumulate_eta_range(s1[i], p.eta, bad);
  }
  for (std::size_t i = 0; i < p.k; ++i, in += p.eta_poly_bytes()) {
    bit_unpack(s2[i], p.eta, p.eta_bits, in);
    accumulate_eta_range(s2[i], p.eta, bad);
  }
  for (std::size_t i = 0; i < p.k; ++i, in += kT0PolyBytes) {
    bit_unpack(t0[i], 1 << (kD - 1), kT0Bits, in);
  }
  QPOW_ASSERT(static_cast<std::size_t>(in - sk) == p.sk_bytes());
  return bad >= 0;
}

void sig_encode(const Params& p, const std::uint8_t* ctilde, const Poly* z, const HintBits* h,
                std::uint8_t* sig) {
  std::memcpy(sig, ctilde, p.ctilde_bytes());
  std::uint8_t* o = sig + p.ctilde_bytes();
  for (std::size_t i = 0; i < p.l; ++i, o += p.z_poly_bytes())
    bit_pack(z[i], p.gamma1, p.z_bits, o);
  hint_bit_pack(p, h, o);
}

bool sig_decode(const Params& p, const std::uint8_t* sig, const std::uint8_t** ctilde, Poly* z,
                HintBits* h) {
  *ctilde = sig;
  const std::uint8_t* in = sig + p.ctilde_bytes();
  for (std::size_t i = 0; i < p.l; ++i, in += p.z_poly_bytes()) {
    bit_unpack(z[i], p.gamma1, p.z_bits, in);
  }
  return hint_bit_unpack(p, in, h);
}

}  // namespace qpow::crypto::mldsa
