// The lane hasher against the definition: on ranges of every length from 1 to 19 (full groups,
// tails, a group of 4 inside the 8-wide tail), at offsets that misalign the groups and at the top
// of the nonce space, on each width and backend, the first solving nonce, its hash, the count of
// hashes up to it and the best hash all equal what crypto::qhash gives nonce by nonce.
#include "mining/hash_lanes.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "consensus/compact_target.h"
#include "crypto/qhash.h"
#include "util/bytes.h"

namespace qpow::mining {
namespace {

using crypto::Hash256;

std::array<std::uint8_t, crypto::kQhashNonceOffset> sample_fixed(std::uint8_t seed) {
  std::array<std::uint8_t, crypto::kQhashNonceOffset> fixed;
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    fixed[i] = static_cast<std::uint8_t>(i * 7 + seed);
  }
  return fixed;
}

// qhash of fixed || nonce, from the one-shot definition.
Hash256 reference(const std::array<std::uint8_t, crypto::kQhashNonceOffset>& fixed,
                  std::uint64_t nonce) {
  std::array<std::uint8_t, crypto::kQhashHeaderBytes> header{};
  std::copy(fixed.begin(), fixed.end(), header.begin());
  util::store_le64(header.data() + crypto::kQhashNonceOffset, nonce);
  return crypto::qhash(header);
}

bool less_than(const Hash256& a, const Hash256& b) {
  return util::Uint256::from_le_bytes(a) < util::Uint256::from_le_bytes(b);
}

struct Config {
  const crypto::KeccakBackend* backend;
  LaneWidth width;
};

std::vector<Config> configs() {
  std::vector<Config> out;
  for (crypto::CpuPath path :
       {crypto::CpuPath::kPortable, crypto::CpuPath::kAvx2, crypto::CpuPath::kAvx512}) {
    if (!crypto::cpu_supports(path)) continue;
    for (LaneWidth width : {LaneWidth::kX4, LaneWidth::kX8}) {
      out.push_back({.backend = &crypto::keccak_backend(path), .width = width});
    }
  }
  return out;
}

// Every length 1..19 at `begin`: with target 0 nothing solves and the best hash is the minimum;
// with the target set to the hash of nonce k, the first nonce j <= k whose hash is at most it
// solves, after exactly j + 1 hashes.
void check_ranges(std::uint64_t begin, std::uint8_t seed) {
  const auto fixed = sample_fixed(seed);
  const crypto::QhashPrefix prefix(fixed);
  constexpr std::uint64_t kMaxLength = 19;
  std::vector<Hash256> ref;
  for (std::uint64_t i = 0; i < kMaxLength; ++i) ref.push_back(reference(fixed, begin + i));
  for (const Config& config : configs()) {
    SCOPED_TRACE(testing::Message() << "path " << crypto::cpu_path_name(config.backend->path)
                                    << " width " << static_cast<int>(config.width));
    for (std::uint64_t length = 1; length <= kMaxLength; ++length) {
      SCOPED_TRACE(testing::Message() << "begin " << begin << " length " << length);
      const LaneHasher none(prefix, util::Uint256{}, *config.backend, config.width);
      const LaneScan all = none.scan(begin, begin + length, TrackBest::kYes);
      EXPECT_FALSE(all.solved);
      EXPECT_EQ(all.hashed, length);
      const auto min =
          std::min_element(ref.begin(), ref.begin() + static_cast<long>(length), less_than);
      EXPECT_EQ(all.best, *min);
      EXPECT_EQ(all.best_nonce, begin + static_cast<std::uint64_t>(min - ref.begin()));

      for (std::uint64_t k = 0; k < length; ++k) {
        const util::Uint256 target = util::Uint256::from_le_bytes(ref[k]);
        std::uint64_t j = 0;
        while (util::Uint256::from_le_bytes(ref[j]) > target) ++j;
        const LaneHasher hasher(prefix, target, *config.backend, config.width);
        const LaneScan scan = hasher.scan(begin, begin + length, TrackBest::kYes);
        ASSERT_TRUE(scan.solved) << "k " << k;
        EXPECT_EQ(scan.nonce, begin + j);
        EXPECT_EQ(scan.hash, ref[j]);
        EXPECT_EQ(scan.hashed, j + 1);
        // The best hash only counts the nonces up to the solution.
        const auto best =
            std::min_element(ref.begin(), ref.begin() + static_cast<long>(j + 1), less_than);
        EXPECT_EQ(scan.best, *best);
      }
    }
  }
}

TEST(LaneHasherTest, MatchesQhashOnEveryLengthAndTail) {
  check_ranges(0, 3);
}

TEST(LaneHasherTest, MatchesQhashOnMisalignedRanges) {
  check_ranges(5, 11);
  check_ranges(1'000'003, 29);
}

TEST(LaneHasherTest, MatchesQhashAtTheTopOfTheNonceSpace) {
  // [2^64 - 20, 2^64 - 1): the tail ends at the largest nonce a range can hold, without wrapping.
  check_ranges(UINT64_MAX - 19, 41);
}

TEST(LaneHasherTest, EmptyRangeHashesNothing) {
  const auto fixed = sample_fixed(1);
  const crypto::QhashPrefix prefix(fixed);
  const LaneHasher hasher(prefix, util::Uint256::max());
  for (const auto& [begin, end] : {std::pair<std::uint64_t, std::uint64_t>{7, 7}, {9, 3}}) {
    const LaneScan scan = hasher.scan(begin, end, TrackBest::kYes);
    EXPECT_FALSE(scan.solved);
    EXPECT_EQ(scan.hashed, 0u);
  }
}

TEST(LaneHasherTest, MaximumTargetSolvesAtTheFirstNonce) {
  const auto fixed = sample_fixed(2);
  const crypto::QhashPrefix prefix(fixed);
  const LaneHasher hasher(prefix, util::Uint256::max());
  const LaneScan scan = hasher.scan(100, 200);
  ASSERT_TRUE(scan.solved);
  EXPECT_EQ(scan.nonce, 100u);
  EXPECT_EQ(scan.hashed, 1u);
  EXPECT_EQ(scan.hash, reference(fixed, 100));
}

TEST(LaneHasherTest, NativeWidthFollowsTheBackend) {
  EXPECT_EQ(lane_width_for(crypto::keccak_backend(crypto::CpuPath::kPortable)), LaneWidth::kX4);
  if (crypto::cpu_supports(crypto::CpuPath::kAvx2)) {
    EXPECT_EQ(lane_width_for(crypto::keccak_backend(crypto::CpuPath::kAvx2)), LaneWidth::kX4);
  }
  if (crypto::cpu_supports(crypto::CpuPath::kAvx512)) {
    EXPECT_EQ(lane_width_for(crypto::keccak_backend(crypto::CpuPath::kAvx512)), LaneWidth::kX8);
  }
}

TEST(LaneHasherTest, TargetCompareAgreesWithConsensus) {
  // Hashes that differ from the target in each word, from the top word down, by one either way.
  const util::Uint256 target =
      *util::Uint256::from_hex("00000000ffff0000111122223333444455556666777788889999aaaabbbbcccc");
  const auto target_bytes = target.to_le_bytes();
  std::vector<Hash256> cases;
  Hash256 same;
  std::copy(target_bytes.begin(), target_bytes.end(), same.begin());
  cases.push_back(same);
  for (std::size_t word = 0; word < 4; ++word) {
    for (int delta : {-1, 1}) {
      util::Uint256 v = target;
      util::Uint256 step(1);
      step <<= static_cast<unsigned>(64 * word);
      if (delta < 0) {
        v -= step;
      } else {
        v += step;
      }
      const auto bytes = v.to_le_bytes();
      Hash256 h;
      std::copy(bytes.begin(), bytes.end(), h.begin());
      cases.push_back(h);
    }
  }
  Hash256 zero{};
  cases.push_back(zero);
  Hash256 max;
  max.fill(0xff);
  cases.push_back(max);
  for (const Hash256& h : cases) {
    EXPECT_EQ(hash_meets_target(h, target), consensus::hash_meets_target(h, target));
    EXPECT_EQ(hash_meets_target(h, util::Uint256{}), consensus::hash_meets_target(h, {}));
  }
  EXPECT_TRUE(hash_meets_target(same, target));
}

}  // namespace
}  // namespace qpow::mining
