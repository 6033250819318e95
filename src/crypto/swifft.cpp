#include "crypto/swifft.h"

#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "crypto/sha3.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

using util::ByteSpan;
using util::Result;
using util::Status;

constexpr std::uint32_t kP = kSwifftP;
constexpr std::uint32_t kPsi = 9;         // 3 generates Z_257^*; 3^2 has order 128
constexpr std::uint32_t kNInverse = 253;  // 64 * 253 = 1 (mod 257)

constexpr std::uint32_t pow_mod(std::uint32_t base, std::uint32_t exp) {
  std::uint32_t result = 1;
  for (; exp > 0; exp >>= 1) {
    if ((exp & 1) != 0) result = result * base % kP;
    base = base * base % kP;
  }
  return result;
}

constexpr std::uint32_t bit_reverse6(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 6; ++i) r |= ((v >> i) & 1) << (5 - i);
  return r;
}

struct Zetas {
  std::uint16_t z[kSwifftN];  // z[k] = psi^brv6(k)
};

constexpr Zetas make_zetas() {
  Zetas out{};
  for (std::uint32_t k = 0; k < kSwifftN; ++k) {
    out.z[k] = static_cast<std::uint16_t>(pow_mod(kPsi, bit_reverse6(k)));
  }
  return out;
}

constexpr Zetas kZetas = make_zetas();
static_assert(pow_mod(kPsi, 64) == kP - 1, "psi must have order 128 (psi^64 = -1)");
static_assert(kSwifftN * kNInverse % kP == 1);

std::uint16_t add_mod(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::uint16_t>((a + b) % kP);
}
std::uint16_t sub_mod(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::uint16_t>((a + kP - b) % kP);
}
std::uint16_t mul_mod(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::uint16_t>(a * b % kP);
}

struct Keys {
  SwifftPoly coeffs[kSwifftMaxBlocks];       // a_i
  SwifftPoly transformed[kSwifftMaxBlocks];  // NTT(a_i)
};

// The NTT is linear, so the transform of a block is the sum of the transforms of its sixteen
// 4-bit pieces: nibble_ntt[q][v] = NTT(v placed at bits 4q .. 4q+3 of a block), reduced mod p.
// 16 * 16 * 64 entries: 32 KiB, small enough to stay in the first-level cache.
constexpr std::size_t kNibbles = kSwifftN / 4;
struct NibbleTable {
  std::uint16_t row[kNibbles][16][kSwifftN];
};

struct Tables {
  Keys keys;
  NibbleTable nibble_ntt;
};

Tables build_tables() {
  Tables t{};
  Shake256 xof;
  xof.absorb(util::as_bytes(kSwifftKeyTag));
  std::size_t filled = 0;
  std::uint8_t buf[2 * 64];
  while (filled < kSwifftMaxBlocks * kSwifftN) {
    xof.squeeze(buf);
    for (std::size_t i = 0; i < sizeof buf && filled < kSwifftMaxBlocks * kSwifftN; i += 2) {
      const std::uint16_t word = util::load_le16(buf + i);
      if (word == 0xffff) continue;  // 65535 = 255 * 257 residues, then one left over
      t.keys.coeffs[filled / kSwifftN][filled % kSwifftN] = static_cast<std::uint16_t>(word % kP);
      ++filled;
    }
  }
  for (std::size_t i = 0; i < kSwifftMaxBlocks; ++i) {
    t.keys.transformed[i] = t.keys.coeffs[i];
    swifft_ntt_forward(t.keys.transformed[i]);
  }
  for (std::size_t q = 0; q < kNibbles; ++q) {
    SwifftPoly bit_ntt[4];
    for (std::size_t k = 0; k < 4; ++k) {
      bit_ntt[k] = SwifftPoly{};
      bit_ntt[k][4 * q + k] = 1;
      swifft_ntt_forward(bit_ntt[k]);
    }
    for (unsigned v = 1; v < 16; ++v) {
      const unsigned low = static_cast<unsigned>(__builtin_ctz(v));
      for (std::size_t j = 0; j < kSwifftN; ++j) {
        t.nibble_ntt.row[q][v][j] = add_mod(t.nibble_ntt.row[q][v & (v - 1)][j], bit_ntt[low][j]);
      }
    }
  }
  return t;
}

const Tables& tables() {
  static const std::unique_ptr<const Tables> t = std::make_unique<const Tables>(build_tables());
  return *t;
}

const Keys& keys() {
  return tables().keys;
}

// 16 coefficients per operation (GCC vector extensions: SSE2 pairs here, wider where enabled).
using U16x16 = std::uint16_t __attribute__((vector_size(32)));
using U32x16 = std::uint32_t __attribute__((vector_size(64)));
constexpr std::size_t kVectors = kSwifftN / 16;

// Adds 16 coefficients at p to v (by pointer: returning a 32-byte vector by value would depend
// on whether AVX is enabled, which g++ warns about as an ABI hazard).
void add_u16x16(U16x16& v, const std::uint16_t* p) {
  U16x16 r;
  std::memcpy(&r, p, sizeof r);
  v += r;
}

}  // namespace

// Cooley-Tukey butterflies with twiddles in bit-reversed order (as in FIPS 204's NTT, scaled
// down to n = 64 and p = 257).
void swifft_ntt_forward(SwifftPoly& a) {
  std::size_t k = 0;
  for (std::size_t len = kSwifftN / 2; len >= 1; len /= 2) {
    for (std::size_t start = 0; start < kSwifftN; start += 2 * len) {
      const std::uint32_t zeta = kZetas.z[++k];
      for (std::size_t j = start; j < start + len; ++j) {
        const std::uint16_t t = mul_mod(zeta, a[j + len]);
        a[j + len] = sub_mod(a[j], t);
        a[j] = add_mod(a[j], t);
      }
    }
  }
}

// Gentleman-Sande butterflies undoing swifft_ntt_forward, then division by n.
void swifft_ntt_inverse(SwifftPoly& a) {
  std::size_t k = kSwifftN;
  for (std::size_t len = 1; len < kSwifftN; len *= 2) {
    for (std::size_t start = 0; start < kSwifftN; start += 2 * len) {
      const std::uint32_t zeta = kP - kZetas.z[--k];
      for (std::size_t j = start; j < start + len; ++j) {
        const std::uint16_t t = a[j];
        a[j] = add_mod(t, a[j + len]);
        a[j + len] = mul_mod(zeta, sub_mod(t, a[j + len]));
      }
    }
  }
  for (auto& c : a) c = mul_mod(c, kNInverse);
}

const SwifftPoly& swifft_key(std::size_t i) {
  QPOW_ASSERT(i < kSwifftMaxBlocks);
  return keys().coeffs[i];
}

Result<SwifftPoly> swifft(ByteSpan input) {
  if (input.empty() || input.size() % kSwifftBlockBytes != 0 ||
      input.size() > kSwifftMaxBlocks * kSwifftBlockBytes) {
    return Status::invalid_argument(
        fmt::format("swifft: input must be 1 to {} whole 8-byte blocks, got {} bytes",
                    kSwifftMaxBlocks, input.size()));
  }
  // Sum NTT(a_i) * NTT(x_i) without reducing: NTT(x_i)[j] is a sum of 16 reduced table entries
  // (below 16 * 257), so each product is below 257 * 4112 and 64 blocks of them stay far below
  // 2^32. One reduction at the end.
  const Tables& t = tables();
  U32x16 sum[kVectors] = {};
  for (std::size_t i = 0; i < input.size() / kSwifftBlockBytes; ++i) {
    const std::uint64_t block = util::load_le64(input.data() + kSwifftBlockBytes * i);
    U16x16 x[kVectors] = {};
    for (std::size_t q = 0; q < kNibbles; ++q) {
      const std::uint16_t* row = t.nibble_ntt.row[q][(block >> (4 * q)) & 0xf];
      for (std::size_t v = 0; v < kVectors; ++v) add_u16x16(x[v], row + 16 * v);
    }
    const std::uint16_t* key = t.keys.transformed[i].data();
    for (std::size_t v = 0; v < kVectors; ++v) {
      U16x16 k{};
      add_u16x16(k, key + 16 * v);
      sum[v] += __builtin_convertvector(k, U32x16) * __builtin_convertvector(x[v], U32x16);
    }
  }
  std::uint32_t flat[kSwifftN];
  std::memcpy(flat, sum, sizeof flat);
  SwifftPoly acc;
  for (std::size_t j = 0; j < kSwifftN; ++j) acc[j] = static_cast<std::uint16_t>(flat[j] % kP);
  swifft_ntt_inverse(acc);
  return acc;
}

SwifftPacked swifft_pack(const SwifftPoly& z) {
  SwifftPacked out{};
  std::uint64_t high = 0;
  for (std::size_t j = 0; j < kSwifftN; ++j) {
    QPOW_ASSERT(z[j] <= 256);
    out[j] = static_cast<std::uint8_t>(z[j]);
    high |= static_cast<std::uint64_t>(z[j] >> 8) << j;
  }
  util::store_le64(out.data() + kSwifftN, high);
  return out;
}

Result<SwifftPoly> swifft_unpack(std::span<const std::uint8_t, kSwifftPackedBytes> packed) {
  const std::uint64_t high = util::load_le64(packed.data() + kSwifftN);
  SwifftPoly z;
  for (std::size_t j = 0; j < kSwifftN; ++j) {
    const auto top = static_cast<std::uint16_t>((high >> j) & 1);
    if (top != 0 && packed[j] != 0) {
      return Status::malformed(
          fmt::format("swifft: packed coefficient {} is {}, above 256", j, 256 + packed[j]));
    }
    z[j] = static_cast<std::uint16_t>((top << 8) | packed[j]);
  }
  return z;
}

}  // namespace qpow::crypto
