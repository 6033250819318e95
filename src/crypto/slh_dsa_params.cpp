#include "crypto/slh_dsa_params.h"

#include <array>

#include "util/assert.h"

namespace qpow::crypto::slhdsa {
namespace {

using internal::HashFamily;
using internal::Params;

constexpr HashFamily kSha2 = HashFamily::kSha2;
constexpr HashFamily kShake = HashFamily::kShake;

// FIPS 205 Table 2, in the order of ParameterSet.
constexpr std::array<Params, 12> kParams = {{
    {ParameterSet::kSha2_128s, "SLH-DSA-SHA2-128s", kSha2, 16, 63, 7, 9, 12, 14, 30},
    {ParameterSet::kShake_128s, "SLH-DSA-SHAKE-128s", kShake, 16, 63, 7, 9, 12, 14, 30},
    {ParameterSet::kSha2_128f, "SLH-DSA-SHA2-128f", kSha2, 16, 66, 22, 3, 6, 33, 34},
    {ParameterSet::kShake_128f, "SLH-DSA-SHAKE-128f", kShake, 16, 66, 22, 3, 6, 33, 34},
    {ParameterSet::kSha2_192s, "SLH-DSA-SHA2-192s", kSha2, 24, 63, 7, 9, 14, 17, 39},
    {ParameterSet::kShake_192s, "SLH-DSA-SHAKE-192s", kShake, 24, 63, 7, 9, 14, 17, 39},
    {ParameterSet::kSha2_192f, "SLH-DSA-SHA2-192f", kSha2, 24, 66, 22, 3, 8, 33, 42},
    {ParameterSet::kShake_192f, "SLH-DSA-SHAKE-192f", kShake, 24, 66, 22, 3, 8, 33, 42},
    {ParameterSet::kSha2_256s, "SLH-DSA-SHA2-256s", kSha2, 32, 64, 8, 8, 14, 22, 47},
    {ParameterSet::kShake_256s, "SLH-DSA-SHAKE-256s", kShake, 32, 64, 8, 8, 14, 22, 47},
    {ParameterSet::kSha2_256f, "SLH-DSA-SHA2-256f", kSha2, 32, 68, 17, 4, 9, 35, 49},
    {ParameterSet::kShake_256f, "SLH-DSA-SHAKE-256f", kShake, 32, 68, 17, 4, 9, 35, 49},
}};

// The table's invariants: the order matches the enum, h = d h', the digest split fills m bytes,
// the signature sizes are those of Table 2, and every value is within the named bounds.
constexpr bool table_is_consistent() {
  constexpr std::array<std::size_t, 6> kSigBytes = {7856, 17088, 16224, 35664, 29792, 49856};
  for (std::size_t i = 0; i < kParams.size(); ++i) {
    const Params& p = kParams[i];
    if (static_cast<std::size_t>(p.set) != i) return false;
    if (p.h != p.d * p.hp) return false;
    if (p.md_bytes() + p.tree_idx_bytes() + p.leaf_idx_bytes() != p.m) return false;
    if (p.sig_bytes() != kSigBytes[i / 2]) return false;
    if (p.n > internal::kMaxN || p.k > internal::kMaxK || p.d > internal::kMaxD) return false;
    if (p.a > internal::kMaxTreeHeight || p.hp > internal::kMaxTreeHeight) return false;
    if (p.m > internal::kMaxM || p.h - p.hp > 64) return false;
  }
  return true;
}
static_assert(table_is_consistent(), "FIPS 205 Table 2 transcribed wrongly");

}  // namespace

namespace internal {

const Params& params(ParameterSet set) {
  const auto i = static_cast<std::size_t>(set);
  QPOW_ASSERT(i < kParams.size());
  return kParams[i];
}

}  // namespace internal

std::string_view name(ParameterSet set) {
  return internal::params(set).name;
}

std::optional<ParameterSet> parse_name(std::string_view text) {
  for (const Params& p : kParams) {
    if (p.name == text) return p.set;
  }
  return std::nullopt;
}

Sizes sizes(ParameterSet set) {
  const Params& p = internal::params(set);
  return Sizes{p.n, p.pk_bytes(), p.sk_bytes(), p.sig_bytes()};
}

CpuPath default_path() {
  return active_cpu_selection().path;
}

}  // namespace qpow::crypto::slhdsa
