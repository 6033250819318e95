// ML-DSA verification of altered input on every CPU path: every single-bit change of a valid
// signature (all three parameter sets, exhaustively; every 11th bit in sanitizer builds) and of a 32-byte message; every bit of an
// ML-DSA-44 public key (every 7th bit for the larger sets); other contexts; truncated and
// extended encodings; non-canonical hint encodings (FIPS 204 Algorithm 21); and z coefficients
// at or past the bound γ1 - β (Algorithm 8, line 13).
#include <cstdint>

#include <gtest/gtest.h>

#include "crypto/ml_dsa.h"
#include "ml_dsa_test_keys.h"
#include "path_param.h"
#include "support/build_info.h"

namespace qpow::crypto::mldsa::test {
namespace {

using util::Bytes;

// Layout facts of FIPS 204 Table 1 / Algorithm 26 that the tests below edit signatures with.
struct SigLayout {
  std::size_t ctilde;  // λ/4
  std::size_t z_poly;  // 32 · (1 + bitlen(γ1 - 1))
  std::size_t l;
  std::size_t k;
  std::size_t omega;
  std::int32_t gamma1;
  std::int32_t beta;
  std::size_t z_bits;
  std::size_t hint_offset() const { return ctilde + l * z_poly; }
};

SigLayout layout(ParameterSet set) {
  switch (set) {
    case ParameterSet::kMlDsa44:
      return {32, 576, 4, 4, 80, 1 << 17, 78, 18};
    case ParameterSet::kMlDsa65:
      return {48, 640, 5, 6, 55, 1 << 19, 196, 20};
    case ParameterSet::kMlDsa87:
      break;
  }
  return {64, 640, 7, 8, 75, 1 << 19, 120, 20};
}

class MlDsaNegative : public CpuPathTest {
 protected:
  CpuPath path() const { return GetParam(); }

  struct Signed {
    ParameterSet set;
    KeyPair keys;
    Bytes message;
    Bytes ctx;
    Bytes sig;
  };

  Signed make(ParameterSet set) {
    Signed s{set, make_keys(set, 42, path()), Bytes(32), as_vector("qpow/tx"), {}};
    for (std::size_t i = 0; i < s.message.size(); ++i)
      s.message[i] = static_cast<std::uint8_t>(3 * i);
    s.sig = sign_or_fail(set, s.keys, s.message, s.ctx, 1, path());
    EXPECT_TRUE(accepts(s, s.keys.pk, s.message, s.sig));
    return s;
  }

  bool accepts(const Signed& s, util::ByteSpan pk, util::ByteSpan message,
               util::ByteSpan sig) const {
    return verify(s.set, pk, message, sig, s.ctx, path());
  }
};

// Counts the single-bit changes of `bytes` (every `stride`-th bit) that `still_valid` accepts.
template <class Check>
std::size_t accepted_bit_flips(Bytes bytes, std::size_t stride, Check still_valid) {
  std::size_t accepted = 0;
  for (std::size_t bit = 0; bit < 8 * bytes.size(); bit += stride) {
    bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    if (still_valid(bytes)) {
      ++accepted;
      ADD_FAILURE() << "bit " << bit << " flipped and still accepted";
    }
    bytes[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
  return accepted;
}

TEST_P(MlDsaNegative, EverySignatureBitFlipIsRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    EXPECT_EQ(
        accepted_bit_flips(s.sig, ::qpow::test::kSanitizerBuild ? 11 : 1,
                           [&](const Bytes& sig) { return accepts(s, s.keys.pk, s.message, sig); }),
        0u)
        << set_name(set);
  }
}

TEST_P(MlDsaNegative, EveryMessageBitFlipIsRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    EXPECT_EQ(accepted_bit_flips(s.message, 1,
                                 [&](const Bytes& m) { return accepts(s, s.keys.pk, m, s.sig); }),
              0u)
        << set_name(set);
  }
}

TEST_P(MlDsaNegative, PublicKeyBitFlipsAreRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    const std::size_t stride = set == ParameterSet::kMlDsa44 ? 1 : 7;
    EXPECT_EQ(accepted_bit_flips(s.keys.pk, stride,
                                 [&](const Bytes& pk) { return accepts(s, pk, s.message, s.sig); }),
              0u)
        << set_name(set);
  }
}

TEST_P(MlDsaNegative, OtherContextsAreRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    for (const char* ctx : {"", "qpow/tx ", "qpow/t", "QPOW/TX", "qpow/vote"}) {
      EXPECT_FALSE(verify(set, s.keys.pk, s.message, s.sig, as_vector(ctx), path()))
          << set_name(set) << " ctx '" << ctx << "'";
    }
  }
}

TEST_P(MlDsaNegative, TruncatedAndExtendedEncodingsAreRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    for (const Bytes& sig :
         {Bytes{}, Bytes(s.sig.begin(), s.sig.end() - 1), Bytes(s.sig.begin() + 1, s.sig.end())}) {
      EXPECT_FALSE(accepts(s, s.keys.pk, s.message, sig)) << set_name(set) << " " << sig.size();
    }
    Bytes longer = s.sig;
    longer.push_back(0);
    EXPECT_FALSE(accepts(s, s.keys.pk, s.message, longer)) << set_name(set);
    for (const Bytes& pk : {Bytes{}, Bytes(s.keys.pk.begin(), s.keys.pk.end() - 1)}) {
      EXPECT_FALSE(accepts(s, pk, s.message, s.sig)) << set_name(set) << " pk " << pk.size();
    }
    Bytes longer_pk = s.keys.pk;
    longer_pk.push_back(0);
    EXPECT_FALSE(accepts(s, longer_pk, s.message, s.sig)) << set_name(set);
  }
}

// The hint section is ω position bytes then k running counts (Algorithm 20). Each edit breaks one
// rule of Algorithm 21; the signature must be rejected as malformed.
TEST_P(MlDsaNegative, NonCanonicalHintEncodingsAreRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    const SigLayout lay = layout(set);
    const std::size_t h = lay.hint_offset();
    const std::size_t ones = s.sig[h + lay.omega + lay.k - 1];
    ASSERT_LT(ones, lay.omega) << "this signature leaves no padding to test";
    auto rejected = [&](auto edit, const char* what) {
      Bytes sig = s.sig;
      edit(sig);
      EXPECT_FALSE(accepts(s, s.keys.pk, s.message, sig)) << set_name(set) << ": " << what;
    };
    rejected([&](Bytes& sig) { sig[h + ones] = 1; }, "non-zero padding after the last position");
    rejected([&](Bytes& sig) { sig[h + lay.omega - 1] = 0xff; }, "non-zero last padding byte");
    rejected(
        [&](Bytes& sig) {
          sig[h + lay.omega + lay.k - 1] = static_cast<std::uint8_t>(lay.omega + 1);
        },
        "count above omega");
    rejected([&](Bytes& sig) { sig[h + lay.omega] = static_cast<std::uint8_t>(lay.omega + 1); },
             "first count above omega");
    // Find a polynomial with two or more hints to break their order.
    std::size_t start = 0;
    for (std::size_t i = 0; i < lay.k; ++i) {
      const std::size_t end = s.sig[h + lay.omega + i];
      if (end >= start + 2) {
        rejected([&](Bytes& sig) { std::swap(sig[h + start], sig[h + start + 1]); },
                 "positions out of order");
        rejected([&](Bytes& sig) { sig[h + start + 1] = sig[h + start]; }, "repeated position");
        break;
      }
      start = end;
    }
    // A count below the previous one.
    for (std::size_t i = 1; i < lay.k; ++i) {
      if (s.sig[h + lay.omega + i - 1] > 0) {
        rejected(
            [&](Bytes& sig) {
              sig[h + lay.omega + i] = static_cast<std::uint8_t>(sig[h + lay.omega + i - 1] - 1);
            },
            "decreasing counts");
        break;
      }
    }
  }
}

// z_i is stored as γ1 - z_i in 1 + bitlen(γ1 - 1) bits; stored values 0 .. β decode to
// z_i >= γ1 - β, which Algorithm 8 line 13 rejects whatever else the signature holds.
TEST_P(MlDsaNegative, OutOfRangeZIsRejected) {
  for (const ParameterSet set : kAllSets) {
    const Signed s = make(set);
    const SigLayout lay = layout(set);
    for (const std::uint32_t stored : {0u, static_cast<std::uint32_t>(lay.beta),
                                       static_cast<std::uint32_t>(2 * lay.gamma1 - lay.beta),
                                       static_cast<std::uint32_t>(2 * lay.gamma1 - 1)}) {
      for (const std::size_t poly : {std::size_t{0}, lay.l - 1}) {
        Bytes sig = s.sig;
        // Coefficient 0 of z[poly]: the first z_bits bits of its encoding.
        std::uint8_t* p = sig.data() + lay.ctilde + poly * lay.z_poly;
        std::uint32_t word = p[0] | (p[1] << 8) | (p[2] << 16);
        const std::uint32_t mask = (1u << lay.z_bits) - 1;
        word = (word & ~mask) | stored;
        p[0] = static_cast<std::uint8_t>(word);
        p[1] = static_cast<std::uint8_t>(word >> 8);
        p[2] = static_cast<std::uint8_t>(word >> 16);
        EXPECT_FALSE(accepts(s, s.keys.pk, s.message, sig))
            << set_name(set) << " stored " << stored << " in z[" << poly << "]";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, MlDsaNegative, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto::mldsa::test
