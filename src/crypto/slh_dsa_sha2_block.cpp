#include "crypto/slh_dsa_sha2_block.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

// FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80
// primes.
constexpr std::array<std::uint64_t, 80> kK512 = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

constexpr std::uint32_t rotr32(std::uint32_t x, unsigned n) {
  return (x >> n) | (x << (32 - n));
}
constexpr std::uint64_t rotr64(std::uint64_t x, unsigned n) {
  return (x >> n) | (x << (64 - n));
}

std::uint32_t load_be32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
std::uint64_t load_be64(const std::uint8_t* p) {
  return (static_cast<std::uint64_t>(load_be32(p)) << 32) | load_be32(p + 4);
}

// One round of FIPS 180-4 §6.2.2 step 3 (or §6.4.2 for SHA-512) with the working variables
// renamed instead of shifted: the caller rotates the roles a..h by one position per round.
template <class Word, class Sigmas>
inline void round(Word a, Word b, Word c, Word& d, Word e, Word f, Word g, Word& h, Word kw) {
  const Word t1 = h + Sigmas::big1(e) + ((e & f) ^ (~e & g)) + kw;
  const Word t2 = Sigmas::big0(a) + ((a & b) ^ (a & c) ^ (b & c));
  d += t1;
  h = t1 + t2;
}

struct Sigmas256 {
  static std::uint32_t big0(std::uint32_t x) {
    return rotr32(x, 2) ^ rotr32(x, 13) ^ rotr32(x, 22);
  }
  static std::uint32_t big1(std::uint32_t x) {
    return rotr32(x, 6) ^ rotr32(x, 11) ^ rotr32(x, 25);
  }
  static std::uint32_t small0(std::uint32_t x) { return rotr32(x, 7) ^ rotr32(x, 18) ^ (x >> 3); }
  static std::uint32_t small1(std::uint32_t x) { return rotr32(x, 17) ^ rotr32(x, 19) ^ (x >> 10); }
};

struct Sigmas512 {
  static std::uint64_t big0(std::uint64_t x) {
    return rotr64(x, 28) ^ rotr64(x, 34) ^ rotr64(x, 39);
  }
  static std::uint64_t big1(std::uint64_t x) {
    return rotr64(x, 14) ^ rotr64(x, 18) ^ rotr64(x, 41);
  }
  static std::uint64_t small0(std::uint64_t x) { return rotr64(x, 1) ^ rotr64(x, 8) ^ (x >> 7); }
  static std::uint64_t small1(std::uint64_t x) { return rotr64(x, 19) ^ rotr64(x, 61) ^ (x >> 6); }
};

// The compression function on one block whose 16 schedule words are already loaded into w:
// rounds in groups of 8 (so the roles of a..h return to their places), extending the schedule
// W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] sixteen words at a time in place.
template <class Word, class Sigmas, std::size_t kRounds, class State, class Constants>
inline void compress_block(State& state, Word (&w)[16], const Constants& k) {
  Word v[8];
  for (std::size_t i = 0; i < 8; ++i) v[i] = state[i];
  for (std::size_t t = 0; t < kRounds; t += 16) {
    if (t > 0) {
      for (std::size_t i = 0; i < 16; ++i) {
        w[i] +=
            Sigmas::small1(w[(i + 14) & 15]) + w[(i + 9) & 15] + Sigmas::small0(w[(i + 1) & 15]);
      }
    }
    for (std::size_t i = 0; i < 16; i += 8) {
      round<Word, Sigmas>(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], k[t + i] + w[i]);
      round<Word, Sigmas>(v[7], v[0], v[1], v[2], v[3], v[4], v[5], v[6], k[t + i + 1] + w[i + 1]);
      round<Word, Sigmas>(v[6], v[7], v[0], v[1], v[2], v[3], v[4], v[5], k[t + i + 2] + w[i + 2]);
      round<Word, Sigmas>(v[5], v[6], v[7], v[0], v[1], v[2], v[3], v[4], k[t + i + 3] + w[i + 3]);
      round<Word, Sigmas>(v[4], v[5], v[6], v[7], v[0], v[1], v[2], v[3], k[t + i + 4] + w[i + 4]);
      round<Word, Sigmas>(v[3], v[4], v[5], v[6], v[7], v[0], v[1], v[2], k[t + i + 5] + w[i + 5]);
      round<Word, Sigmas>(v[2], v[3], v[4], v[5], v[6], v[7], v[0], v[1], k[t + i + 6] + w[i + 6]);
      round<Word, Sigmas>(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[0], k[t + i + 7] + w[i + 7]);
    }
  }
  for (std::size_t i = 0; i < 8; ++i) state[i] += v[i];
}

}  // namespace

void sha256_compress_portable(Sha256State& state, const std::uint8_t* data, std::size_t blocks) {
  for (std::size_t b = 0; b < blocks; ++b, data += kSha256BlockBytes) {
    std::uint32_t w[16];
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_be32(data + 4 * t);
    compress_block<std::uint32_t, Sigmas256, 64>(state, w, kSha256RoundConstants);
  }
}

void sha512_compress(Sha512State& state, const std::uint8_t* data, std::size_t blocks) {
  for (std::size_t b = 0; b < blocks; ++b, data += kSha512BlockBytes) {
    std::uint64_t w[16];
    for (std::size_t t = 0; t < 16; ++t) w[t] = load_be64(data + 8 * t);
    compress_block<std::uint64_t, Sigmas512, 80>(state, w, kK512);
  }
}

}  // namespace qpow::crypto::slhdsa::internal
