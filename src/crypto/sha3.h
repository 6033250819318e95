// SHA3-224/256/384/512 and SHAKE128/256 (FIPS 202 §6), incremental and one-shot.
//
//   auto digest = Sha3_256::hash(data);                  // one shot
//   Shake256 xof; xof.absorb(a).absorb(b);               // incremental absorb...
//   xof.squeeze(first); xof.squeeze(more);               // ...and squeeze
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/sponge.h"
#include "util/bytes.h"

namespace qpow::crypto {

template <std::size_t kDigestBytes>
class Sha3 {
 public:
  static constexpr std::size_t kDigestSize = kDigestBytes;
  static constexpr std::size_t kRate = kKeccakStateBytes - 2 * kDigestBytes;
  using Digest = std::array<std::uint8_t, kDigestBytes>;

  Sha3() : sponge_(kRate, kSha3Suffix) {}

  Sha3& absorb(util::ByteSpan data) {
    sponge_.absorb(data);
    return *this;
  }
  // The final 1..7 bits of a message that is not a whole number of bytes (FIPS 202 bit order).
  Sha3& absorb_bits(std::uint8_t bits, unsigned count) {
    sponge_.absorb_bits(bits, count);
    return *this;
  }
  // The digest; afterwards only reset() may be called.
  Digest finalize() {
    Digest out;
    sponge_.squeeze(out);
    return out;
  }
  void reset() { sponge_.reset(); }

  static Digest hash(util::ByteSpan data) { return Sha3().absorb(data).finalize(); }

 private:
  KeccakSponge sponge_;
};

using Sha3_224 = Sha3<28>;
using Sha3_256 = Sha3<32>;
using Sha3_384 = Sha3<48>;
using Sha3_512 = Sha3<64>;
using Hash256 = Sha3_256::Digest;

template <unsigned kSecurityBits>
class Shake {
  static_assert(kSecurityBits == 128 || kSecurityBits == 256);

 public:
  static constexpr std::size_t kRate = kKeccakStateBytes - kSecurityBits / 4;

  Shake() : sponge_(kRate, kShakeSuffix) {}

  Shake& absorb(util::ByteSpan data) {
    sponge_.absorb(data);
    return *this;
  }
  Shake& absorb_bits(std::uint8_t bits, unsigned count) {
    sponge_.absorb_bits(bits, count);
    return *this;
  }
  // Output continues where the previous call stopped.
  void squeeze(util::MutableByteSpan out) { sponge_.squeeze(out); }
  void reset() { sponge_.reset(); }

  static util::Bytes hash(util::ByteSpan data, std::size_t out_len) {
    util::Bytes out(out_len);
    Shake().absorb(data).squeeze(out);
    return out;
  }

 private:
  KeccakSponge sponge_;
};

using Shake128 = Shake<128>;
using Shake256 = Shake<256>;

}  // namespace qpow::crypto
