// cSHAKE and KMAC (NIST SP 800-185), with the string encodings they are built from.
//
// cSHAKE(X, L, N, S) is SHAKE with a function name N and customization string S absorbed first
// in their own block; with N and S both empty it is SHAKE itself. KMAC is cSHAKE with N = "KMAC"
// over bytepad(encode_string(K)) || X || right_encode(L); KMACXOF uses right_encode(0) and is
// an extendable-output function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "crypto/sponge.h"
#include "util/bytes.h"

namespace qpow::crypto {

// SP 800-185 §2.3.1: the minimal big-endian bytes of x, preceded (left_encode) or followed
// (right_encode) by their count.
util::Bytes left_encode(std::uint64_t x);
util::Bytes right_encode(std::uint64_t x);
// SP 800-185 §2.3.2: left_encode(bit length of s) || s.
util::Bytes encode_string(util::ByteSpan s);

// Absorbs bytepad(encode_string(s1) || encode_string(s2) || ..., rate) (SP 800-185 §2.3.3) into
// a sponge that is at a block boundary, and leaves it at a block boundary.
void absorb_bytepad(KeccakSponge& sponge, std::initializer_list<util::ByteSpan> strings);

template <unsigned kSecurityBits>
class CShake {
  static_assert(kSecurityBits == 128 || kSecurityBits == 256);

 public:
  static constexpr std::size_t kRate = kKeccakStateBytes - kSecurityBits / 4;

  CShake(util::ByteSpan function_name, util::ByteSpan customization)
      : sponge_(kRate,
                function_name.empty() && customization.empty() ? kShakeSuffix : kCShakeSuffix) {
    if (!function_name.empty() || !customization.empty()) {
      absorb_bytepad(sponge_, {function_name, customization});
    }
  }

  CShake& absorb(util::ByteSpan data) {
    sponge_.absorb(data);
    return *this;
  }
  CShake& absorb_bits(std::uint8_t bits, unsigned count) {
    sponge_.absorb_bits(bits, count);
    return *this;
  }
  void squeeze(util::MutableByteSpan out) { sponge_.squeeze(out); }

  static util::Bytes hash(util::ByteSpan data, std::size_t out_len, util::ByteSpan function_name,
                          util::ByteSpan customization) {
    util::Bytes out(out_len);
    CShake(function_name, customization).absorb(data).squeeze(out);
    return out;
  }

 private:
  KeccakSponge sponge_;
};

using CShake128 = CShake<128>;
using CShake256 = CShake<256>;

template <unsigned kSecurityBits>
class Kmac {
  static_assert(kSecurityBits == 128 || kSecurityBits == 256);

 public:
  static constexpr std::size_t kRate = kKeccakStateBytes - kSecurityBits / 4;

  Kmac(util::ByteSpan key, util::ByteSpan customization) : sponge_(kRate, kCShakeSuffix) {
    static constexpr std::uint8_t kName[] = {'K', 'M', 'A', 'C'};
    absorb_bytepad(sponge_, {kName, customization});
    absorb_bytepad(sponge_, {key});
  }

  Kmac& absorb(util::ByteSpan data) {
    sponge_.absorb(data);
    return *this;
  }
  // KMAC with output length L = 8 * out.size() bits. Call once.
  void finalize(util::MutableByteSpan out) {
    sponge_.absorb(right_encode(8 * static_cast<std::uint64_t>(out.size())));
    sponge_.squeeze(out);
  }
  // KMACXOF: absorbs right_encode(0) on the first call; later calls continue the output.
  void squeeze_xof(util::MutableByteSpan out) {
    if (!xof_started_) {
      sponge_.absorb(right_encode(0));
      xof_started_ = true;
    }
    sponge_.squeeze(out);
  }

  static util::Bytes mac(util::ByteSpan key, util::ByteSpan data, std::size_t out_len,
                         util::ByteSpan customization) {
    util::Bytes out(out_len);
    Kmac(key, customization).absorb(data).finalize(out);
    return out;
  }

 private:
  KeccakSponge sponge_;
  bool xof_started_ = false;
};

using Kmac128 = Kmac<128>;
using Kmac256 = Kmac<256>;

}  // namespace qpow::crypto
