// Internal: the byte encodings of ML-DSA (FIPS 204 §7.1-7.3, Algorithms 16-28): bit packing of
// polynomials, the public key, secret key and signature layouts, w1Encode, and the hint vector.
// All of them are plain C++ shared by every CPU path, so the bytes cannot differ between paths.
//
// A packed polynomial stores kN values of a fixed bit width, least significant bit first
// (IntegerToBits and BitsToBytes, Algorithms 9-12); `offset - a_i` is stored where the standard's
// BitPack(w, a, b) stores b - w_i.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/ml_dsa_params.h"
#include "crypto/ml_dsa_poly.h"
#include "util/bytes.h"

namespace qpow::crypto::mldsa {

// Algorithm 16 (SimpleBitPack) for `bits` in {4, 6, 10} and Algorithm 18 (SimpleBitUnpack).
// Packing takes coefficients in [0, 2^bits); out/in hold kN * bits / 8 bytes.
void simple_bit_pack(const Poly& a, std::size_t bits, std::uint8_t* out);
void simple_bit_unpack(Poly& a, std::size_t bits, const std::uint8_t* in);

// Algorithm 17 (BitPack(w, b - 2^bits + 1 .. b)) for `bits` in {3, 4, 13, 18, 20}: stores b - a_i,
// which must lie in [0, 2^bits). Algorithm 19 (BitUnpack) gives a_i = b - stored in
// (b - 2^bits, b].
void bit_pack(const Poly& a, std::int32_t b, std::size_t bits, std::uint8_t* out);
void bit_unpack(Poly& a, std::int32_t b, std::size_t bits, const std::uint8_t* in);

// Algorithm 28, w1Encode, of one polynomial (the caller concatenates the k of them).
inline void w1_encode(const Params& p, const Poly& w1, std::uint8_t* out) {
  simple_bit_pack(w1, p.w1_bits, out);
}

// Algorithm 20, HintBitPack: positions of the ones of each h[i] (at most ω in all), then the
// running counts. out holds ω + k bytes. The caller guarantees at most ω ones.
void hint_bit_pack(const Params& p, const HintBits* h, std::uint8_t* out);
// Algorithm 21, HintBitUnpack, with its checks: the counts never decrease nor pass ω, the
// positions of one polynomial strictly increase, and the unused position bytes are zero. False
// (⊥) for an encoding that fails any of them.
[[nodiscard]] bool hint_bit_unpack(const Params& p, const std::uint8_t* in, HintBits* h);

// Algorithm 22, pkEncode, and Algorithm 23, pkDecode. t1 has p.k polynomials.
void pk_encode(const Params& p, const std::uint8_t* rho, const Poly* t1, std::uint8_t* pk);
void pk_decode(const Params& p, const std::uint8_t* pk, const std::uint8_t** rho, Poly* t1);

// The parts of a secret key (Algorithm 24's inputs, Algorithm 25's outputs).
struct SecretKeyParts {
  const std::uint8_t* rho;  // kRhoBytes, pointing into the encoded key
  const std::uint8_t* key;  // K, kKeyBytes
  const std::uint8_t* tr;   // kTrBytes
};

// Algorithm 24, skEncode.
void sk_encode(const Params& p, const std::uint8_t* rho, const std::uint8_t* key,
               const std::uint8_t* tr, const Poly* s1, const Poly* s2, const Poly* t0,
               std::uint8_t* sk);
// Algorithm 25, skDecode. Returns false when a coefficient of s1 or s2 is outside [-η, η] (the
// standard leaves that case to the implementation; such a key was not made by KeyGen).
[[nodiscard]] bool sk_decode(const Params& p, const std::uint8_t* sk, SecretKeyParts& parts,
                             Poly* s1, Poly* s2, Poly* t0);

// Algorithm 26, sigEncode. z has p.l polynomials with coefficients in (-γ1, γ1].
void sig_encode(const Params& p, const std::uint8_t* ctilde, const Poly* z, const HintBits* h,
                std::uint8_t* sig);
// Algorithm 27, sigDecode. False when the hint encoding is malformed (h = ⊥).
[[nodiscard]] bool sig_decode(const Params& p, const std::uint8_t* sig, const std::uint8_t** ctilde,
                              Poly* z, HintBits* h);

}  // namespace qpow::crypto::mldsa
