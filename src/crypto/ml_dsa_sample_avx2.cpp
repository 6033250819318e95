// The parsing steps of RejNTTPoly and RejBoundedPoly (FIPS 204 Algorithms 30 and 31, with
// Algorithms 14 and 15) with AVX2: eight candidates per step are widened to 32-bit lanes,
// tested, and the accepted ones packed to the front of the register with a permutation looked up
// from the 8-bit acceptance mask. The mask says only which candidates were rejected: public for
// RejNTTPoly (SHAKE128 of ρ), and for RejBoundedPoly exactly what the standard's loop reveals
// through its running time (a rejected nibble says nothing about the accepted ones). Compiled
// with -mavx2; reached only through the kernel table after a CPU check.
#include "crypto/ml_dsa_avx2.h"
#include "crypto/ml_dsa_avx2_vec.h"
#include "crypto/ml_dsa_portable.h"
#include "crypto/secure_memory.h"

namespace qpow::crypto::mldsa::avx2 {
namespace {

constexpr std::size_t kCandidateBytes = 24;  // 8 candidates of 3 bytes
constexpr std::size_t kLoadBytes = 28;       // two 16-byte loads, at 0 and at 12
// RejBoundedPoly: a step is 4 bytes (8 nibbles); 2 SHAKE256 blocks (272 bytes) give 68, which
// are buffered and placed in a second pass (see rej_bounded_parse).
constexpr std::size_t kNibbleStepBytes = 4;
constexpr std::size_t kMaxNibbleSteps = 68;

// For each 8-bit acceptance mask: the indices of its set bits, packed into bytes from the low
// end, and how many there are.
struct CompactTable {
  std::uint64_t lanes[256];
  std::uint8_t count[256];
};

constexpr CompactTable make_compact_table() {
  CompactTable t{};
  for (unsigned m = 0; m < 256; ++m) {
    unsigned k = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if (((m >> lane) & 1) != 0) t.lanes[m] |= static_cast<std::uint64_t>(lane) << (8 * k++);
    }
    t.count[m] = static_cast<std::uint8_t>(k);
  }
  return t;
}

constexpr CompactTable kCompact = make_compact_table();

// Packs the lanes of v selected by `accept` (all-ones lanes) to the front; returns the mask.
inline unsigned compact(__m256i v, __m256i accept, std::int32_t* out) {
  const auto mask = static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(accept)));
  const __m256i order = _mm256_cvtepu8_epi32(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&kCompact.lanes[mask])));
  store(out, _mm256_permutevar8x32_epi32(v, order));
  return mask;
}

// Copies the packed steps to a from `filled` while a whole register fits; returns how many
// steps were used.
inline std::size_t place(Poly& a, std::size_t& filled, const std::int32_t (*packed)[8],
                         const std::uint8_t* count, std::size_t steps) {
  std::size_t done = 0;
  for (; done < steps && filled + 8 <= kN; ++done) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.c + filled), load(packed[done]));
    filled += count[done];
  }
  return done;
}

}  // namespace

// One pass. A candidate is rejected with probability (2^23 - q) / 2^23 < 0.1%, so nearly every
// step accepts all eight: that case stores the register as it is and advances by 8, a branch the
// CPU predicts, so the next step's store address does not wait for this step's comparison. Only
// a step with a rejection packs its lanes through the table.
std::size_t rej_ntt_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes, std::size_t len) {
  const __m256i low23 = splat(0x7fffff);
  const __m256i q = splat(kQ);
  // Bytes 0-11 of a step are loaded into the low half and bytes 12-23 into the high half; each
  // half then spreads its 12 bytes into four 3-byte lanes.
  const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, 0,
                                          1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
  std::size_t pos = 0;
  for (; pos + kLoadBytes <= len && filled + 8 <= kN; pos += kCandidateBytes) {
    __m256i v = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(bytes + pos + 12),
                                    reinterpret_cast<const __m128i*>(bytes + pos));
    v = _mm256_shuffle_epi8(v, spread);
    v = _mm256_and_si256(v, low23);  // Algorithm 14: the top bit of the third byte is dropped
    const __m256i accept = _mm256_cmpgt_epi32(q, v);
    const auto mask = static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(accept)));
    if (mask == 0xff) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.c + filled), v);
      filled += 8;
    } else {
      const __m256i order = _mm256_cvtepu8_epi32(
          _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&kCompact.lanes[mask])));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.c + filled),
                          _mm256_permutevar8x32_epi32(v, order));
      filled += kCompact.count[mask];
    }
  }
  // The last few candidates, one at a time.
  return portable::rej_ntt_parse(a, filled, bytes + pos, len - pos);
}

// Each 8-byte load gives 16 nibbles (low nibble first), two steps of 8. Values: 4 - b for η = 4;
// 2 - (b mod 5) for η = 2, with b mod 5 = b - 5 [b > 4] - 5 [b > 9] for b < 15. Nibbles are
// rejected often (1/16 or 7/16), so there is no branch on the mask: a first pass packs every
// step into a local array (stores to fixed addresses), a second moves them into place. Storing at
// a.c + filled in the first loop would make each later load wait for that store's address, which
// depends on the previous step's count, and serialize the loop.
std::size_t rej_bounded_parse(Poly& a, std::size_t filled, const std::uint8_t* bytes,
                              std::size_t len, std::int32_t eta) {
  const __m256i limit = splat(eta == 2 ? 15 : 9);
  const __m256i eta_v = splat(eta);
  const __m256i five_if_eta2 = splat(eta == 2 ? 5 : 0);
  const __m256i four = splat(4);
  const __m256i nine = splat(9);
  const __m128i low_nibble = _mm_set1_epi8(0x0f);
  alignas(32) std::int32_t packed[kMaxNibbleSteps][8];
  std::uint8_t count[kMaxNibbleSteps];
  std::size_t steps = 0;
  for (std::size_t pos = 0; pos + 8 <= len && steps + 2 <= kMaxNibbleSteps; pos += 8) {
    const __m128i x = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes + pos));
    const __m128i nibbles = _mm_unpacklo_epi8(_mm_and_si128(x, low_nibble),
                                              _mm_and_si128(_mm_srli_epi16(x, 4), low_nibble));
    for (int half = 0; half < 2; ++half) {
      const __m256i b = _mm256_cvtepu8_epi32(half == 0 ? nibbles : _mm_srli_si128(nibbles, 8));
      const __m256i fives =
          _mm256_add_epi32(_mm256_and_si256(_mm256_cmpgt_epi32(b, four), five_if_eta2),
                           _mm256_and_si256(_mm256_cmpgt_epi32(b, nine), five_if_eta2));
      const __m256i value = _mm256_add_epi32(_mm256_sub_epi32(eta_v, b), fives);
      const unsigned mask = compact(value, _mm256_cmpgt_epi32(limit, b), packed[steps]);
      count[steps++] = kCompact.count[mask];
    }
  }
  const std::size_t done = place(a, filled, packed, count, steps);
  const std::int32_t limit_s = eta == 2 ? 15 : 9;
  auto value_of = [eta](std::int32_t b) {
    const std::int32_t fives = static_cast<std::int32_t>(b > 4) + static_cast<std::int32_t>(b > 9);
    return eta - b + (eta == 2 ? 5 * fives : 0);
  };
  for (std::size_t pos = done * kNibbleStepBytes; pos < len && filled < kN; ++pos) {
    const std::int32_t z0 = bytes[pos] & 15;
    const std::int32_t z1 = bytes[pos] >> 4;
    a.c[filled] = value_of(z0);
    filled += static_cast<std::size_t>(z0 < limit_s);
    if (filled < kN) {
      a.c[filled] = value_of(z1);
      filled += static_cast<std::size_t>(z1 < limit_s);
    }
  }
  secure_wipe(packed, sizeof packed);  // coefficients of s1 / s2
  return filled;
}

}  // namespace qpow::crypto::mldsa::avx2
