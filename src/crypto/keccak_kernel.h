// Internal: Keccak-f[1600] (FIPS 202 §3.3) written once as a template over a "lane vector" type,
// so the portable path (one state per 64-bit lane), the AVX2 path (4 states per 256-bit
// register) and the AVX-512 path (8 states per 512-bit register) run the same sequence of step
// mappings and differ only in how a lane operation is spelled.
//
// A lane-vector type V provides:
//   using Lane;                        // N lanes of 64 bits, one per state
//   static Lane load(const uint64_t*); // N consecutive words
//   static void store(uint64_t*, Lane);
//   static Lane broadcast(uint64_t);           // the same word in every state
//   static Lane gather(const uint64_t* p, size_t stride);  // state j gets p[j * stride]
//   static Lane xor2(Lane, Lane);
//   static Lane xor5(Lane, Lane, Lane, Lane, Lane);
//   static Lane chi(Lane a, Lane b, Lane c);   // a ^ (~b & c)
//   static Lane xor_word(Lane, uint64_t);      // the same word into every state
//   template <int n> static Lane rol(Lane);    // rotate each lane left by n, 0 <= n < 64
//
// Everything here has internal linkage on purpose. The SIMD translation units are compiled with
// -mavx2 / -mavx512f; if they emitted a function that other units also emit (an inline function
// or a shared template instantiation), the linker could keep the SIMD copy and run it on a CPU
// without those instructions. An unnamed namespace gives each unit its own private copy.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak_constants.h"

namespace qpow::crypto::keccak_internal {
namespace {

template <int I>
struct Index {
  static constexpr int value = I;
};

// Calls f(Index<Begin>{}), ..., f(Index<End - 1>{}) so that every index is a constant expression
// (rotation counts must be immediates for the SIMD instructions).
template <int Begin, int End, class F>
inline void unroll(F&& f) {
  if constexpr (Begin < End) {
    f(Index<Begin>{});
    unroll<Begin + 1, End>(f);
  }
}

// One round Rnd(A, i_r) = ι(χ(π(ρ(θ(A))))), reading a and writing e. The output is built one
// plane (fixed y) at a time: π says lane B[x, y] comes from A[(x + 3y) mod 5, x], so θ and ρ are
// applied to exactly the five lanes a plane needs, then χ combines them. On entry c holds θ's
// column parities of a; on exit it holds those of e, accumulated while each output lane is still
// in a register (this saves re-reading all 25 lanes at the start of the next round).
template <class V>
inline void round(const typename V::Lane* a, typename V::Lane* e, typename V::Lane* c,
                  std::uint64_t round_constant) {
  using Lane = typename V::Lane;
  Lane d[5];  // θ: what each column adds to its lanes
  unroll<0, 5>([&](auto xi) {
    constexpr int x = decltype(xi)::value;
    d[x] = V::xor2(c[(x + 4) % 5], V::template rol<1>(c[(x + 1) % 5]));
  });
  unroll<0, 5>([&](auto yi) {
    constexpr int y = decltype(yi)::value;
    Lane b[5];
    unroll<0, 5>([&](auto xi) {
      constexpr int x = decltype(xi)::value;
      constexpr int src_x = (x + 3 * y) % 5;
      constexpr int src = src_x + 5 * x;
      b[x] = V::template rol<kRhoOffsets.offset[src]>(V::xor2(a[src], d[src_x]));
    });
    unroll<0, 5>([&](auto xi) {
      constexpr int x = decltype(xi)::value;
      Lane out = V::chi(b[x], b[(x + 1) % 5], b[(x + 2) % 5]);
      if constexpr (x == 0 && y == 0) out = V::xor_word(out, round_constant);  // ι
      e[x + 5 * y] = out;
      if constexpr (y == 0) {
        c[x] = out;
      } else {
        c[x] = V::xor2(c[x], out);
      }
    });
  });
}

// Keccak-f[1600] on the lanes in `a` (N states, one per SIMD element).
template <class V>
[[gnu::flatten]] inline void permute_lanes(typename V::Lane (&a)[25]) {
  using Lane = typename V::Lane;
  Lane e[25];
  Lane c[5];
  unroll<0, 5>([&](auto xi) {
    constexpr int x = decltype(xi)::value;
    c[x] = V::xor5(a[x], a[x + 5], a[x + 10], a[x + 15], a[x + 20]);
  });
  for (int r = 0; r < kRounds; r += 2) {
    round<V>(a, e, c, kRoundConstants.rc[r]);
    round<V>(e, a, c, kRoundConstants.rc[r + 1]);
  }
}

// Keccak-f[1600] on N states whose lane i sits at lanes[i * stride .. i * stride + N).
template <class V>
inline void permute(std::uint64_t* lanes, std::size_t stride) {
  typename V::Lane a[25];
  for (std::size_t i = 0; i < 25; ++i) a[i] = V::load(lanes + i * stride);
  permute_lanes<V>(a);
  for (std::size_t i = 0; i < 25; ++i) V::store(lanes + i * stride, a[i]);
}

}  // namespace
}  // namespace qpow::crypto::keccak_internal
