#include "crypto/swifft.h"

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
  SwifftPoly coeffs[kSwifftMaxBlocks];    // a_i
  SwifftPoly transformed[kSwifftMaxBlocks];  // NTT(a_i)
};

Keys expand_keys() {
  Keys keys{};
  Shake256 xof;
  xof.absorb(util::as_bytes(kSwifftKeyTag));
  std::size_t filled = 0;
  std::uint8_t buf[2 * 64];
  while (filled < kSwifftMaxBlocks * kSwifftN) {
    xof.squeeze(buf);
    for (std::size_t i = 0; i < sizeof buf && filled < kSwifftMaxBlocks * kSwifftN; i += 2) {
      const std::uint16_t word = util::load_le16(buf + i);
      if (word == 0xffff) continue;  // 65535 = 255 * 257 residues, then one left over
      keys.coeffs[filled / kSwifftN][filled % kSwifftN] = static_cast<std::uint16_t>(word % kP);
      ++filled;
    }
  }
  for (std::size_t i = 0; i < kSwifftMaxBlocks; ++i) {
    keys.transformed[i] = keys.coeffs[i];
    swifft_ntt_forward(keys.transformed[i]);
  }
  return keys;
}

const Keys& keys() {
  static const Keys k = expand_keys();
  return k;
}

SwifftPoly block_poly(const std::uint8_t* block) {
  SwifftPoly x;
  for (std::size_t k = 0; k < kSwifftN; ++k) x[k] = (block[k / 8] >> (k % 8)) & 1;
  return x;
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
  const Keys& k = keys();
  SwifftPoly acc{};
  for (std::size_t i = 0; i < input.size() / kSwifftBlockBytes; ++i) {
    SwifftPoly x = block_poly(input.data() + kSwifftBlockBytes * i);
    swifft_ntt_forward(x);
    for (std::size_t j = 0; j < kSwifftN; ++j) {
      acc[j] = add_mod(acc[j], mul_mod(k.transformed[i][j], x[j]));
    }
  }
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
