// Keccak-f[1600] against the Keccak team's intermediate values (XKCP
// tests/TestVectors/KeccakF-1600-IntermediateValues.txt, in tests/data/sha3): the published
// constants, every step mapping of every round through a spec-literal reference written here from
// FIPS 202 §3.2, and the final states, on every SIMD path the CPU has.
#include "crypto/keccak.h"

#include <array>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/keccak_constants.h"
#include "path_param.h"
#include "support/test_bytes.h"
#include "support/test_data.h"

namespace qpow::crypto {
namespace {

using Lanes = std::array<std::uint64_t, 25>;  // lane (x, y) at x + 5y

struct RoundSteps {
  Lanes theta, rho, pi, chi, iota;
};
struct Example {
  Lanes input;
  std::vector<RoundSteps> rounds;
  Lanes output;
};
struct Published {
  std::uint64_t rc[24];
  int rho[25];
  std::vector<Example> examples;
};

Lanes lanes_from_bytes(const util::Bytes& bytes) {
  Lanes out{};
  for (std::size_t i = 0; i < 25; ++i) out[i] = util::load_le64(bytes.data() + 8 * i);
  return out;
}

// Five lines of five 16-digit hex words; line y holds lanes (0, y) .. (4, y).
Lanes read_lane_block(std::istringstream& in) {
  Lanes out{};
  for (std::size_t i = 0; i < 25; ++i) {
    std::string word;
    in >> word;
    out[i] = std::stoull(word, nullptr, 16);
  }
  return out;
}

util::Bytes read_state_bytes(std::istringstream& in) {
  util::Bytes bytes(200);
  for (auto& b : bytes) {
    std::string pair;
    in >> pair;
    b = static_cast<std::uint8_t>(std::stoul(pair, nullptr, 16));
  }
  return bytes;
}

Published parse_published() {
  const std::string text =
      test::read_text_file(test::test_data_dir() / "sha3/KeccakF-1600-IntermediateValues.txt");
  std::istringstream in(text);
  Published p{};
  std::string line;
  while (std::getline(in, line)) {
    unsigned idx = 0, x = 0, y = 0, value = 0;
    char hex[17] = {};
    if (std::sscanf(line.c_str(), "RC[%u][0][0] = %16s", &idx, hex) == 2 && idx < 24) {
      p.rc[idx] = std::stoull(hex, nullptr, 16);
    } else if (std::sscanf(line.c_str(), "RhoOffset[%u][%u] = %u", &x, &y, &value) == 3) {
      p.rho[x + 5 * y] = static_cast<int>(value);
    } else if (line.rfind("Input of permutation:", 0) == 0) {
      p.examples.push_back({});
      p.examples.back().input = lanes_from_bytes(read_state_bytes(in));
    } else if (line.rfind("--- Round", 0) == 0) {
      p.examples.back().rounds.push_back({});
    } else if (line.rfind("After ", 0) == 0) {
      RoundSteps& r = p.examples.back().rounds.back();
      const Lanes block = read_lane_block(in);
      if (line == "After theta:") r.theta = block;
      if (line == "After rho:") r.rho = block;
      if (line == "After pi:") r.pi = block;
      if (line == "After chi:") r.chi = block;
      if (line == "After iota:") r.iota = block;
    } else if (line.rfind("State after permutation:", 0) == 0) {
      p.examples.back().output = lanes_from_bytes(read_state_bytes(in));
    }
  }
  return p;
}

const Published& published() {
  static const Published p = parse_published();
  return p;
}

std::uint64_t rotl(std::uint64_t v, int n) {
  return n == 0 ? v : (v << n) | (v >> (64 - n));
}

// FIPS 202 §3.2.1 - §3.2.5, written the way the standard states them.
Lanes theta(const Lanes& a) {
  std::uint64_t c[5], d[5];
  for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
  for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
  Lanes out;
  for (int i = 0; i < 25; ++i) out[i] = a[i] ^ d[i % 5];
  return out;
}
Lanes rho(const Lanes& a, const int* offsets) {
  Lanes out;
  for (int i = 0; i < 25; ++i) out[i] = rotl(a[i], offsets[i]);
  return out;
}
Lanes pi(const Lanes& a) {
  Lanes out;
  for (int x = 0; x < 5; ++x) {
    for (int y = 0; y < 5; ++y) out[x + 5 * y] = a[(x + 3 * y) % 5 + 5 * x];
  }
  return out;
}
Lanes chi(const Lanes& a) {
  Lanes out;
  for (int x = 0; x < 5; ++x) {
    for (int y = 0; y < 5; ++y) {
      out[x + 5 * y] = a[x + 5 * y] ^ (~a[(x + 1) % 5 + 5 * y] & a[(x + 2) % 5 + 5 * y]);
    }
  }
  return out;
}
Lanes reference_permutation(Lanes a) {
  const Published& p = published();
  for (int r = 0; r < 24; ++r) {
    a = chi(pi(rho(theta(a), p.rho)));
    a[0] ^= p.rc[r];
  }
  return a;
}

TEST(KeccakConstants, EqualThePublishedRoundConstantsAndRhoOffsets) {
  const Published& p = published();
  for (int r = 0; r < 24; ++r) {
    EXPECT_EQ(keccak_internal::kRoundConstants.rc[r], p.rc[r]) << "round " << r;
  }
  for (int i = 0; i < 25; ++i) {
    EXPECT_EQ(keccak_internal::kRhoOffsets.offset[i], p.rho[i]) << "lane " << i;
  }
}

TEST(KeccakReference, EveryStepOfEveryRoundMatchesThePublishedValues) {
  const Published& p = published();
  ASSERT_EQ(p.examples.size(), 2u);
  for (std::size_t e = 0; e < p.examples.size(); ++e) {
    const Example& ex = p.examples[e];
    ASSERT_EQ(ex.rounds.size(), 24u);
    Lanes a = ex.input;
    for (int r = 0; r < 24; ++r) {
      const RoundSteps& want = ex.rounds[static_cast<std::size_t>(r)];
      a = theta(a);
      ASSERT_EQ(a, want.theta) << "example " << e << " round " << r << " theta";
      a = rho(a, p.rho);
      ASSERT_EQ(a, want.rho) << "example " << e << " round " << r << " rho";
      a = pi(a);
      ASSERT_EQ(a, want.pi) << "example " << e << " round " << r << " pi";
      a = chi(a);
      ASSERT_EQ(a, want.chi) << "example " << e << " round " << r << " chi";
      a[0] ^= p.rc[r];
      ASSERT_EQ(a, want.iota) << "example " << e << " round " << r << " iota";
    }
    EXPECT_EQ(a, ex.output) << "example " << e;
  }
  // The second example permutes the first one's output.
  EXPECT_EQ(p.examples[1].input, p.examples[0].output);
}

TEST(Keccak, OneStatePermutationMatchesThePublishedOutputs) {
  for (const Example& ex : published().examples) {
    KeccakState s = ex.input;
    keccak_f1600(s);
    EXPECT_EQ(s, ex.output);
  }
}

// Every multi-state path must pass the same tests; paths the CPU lacks are skipped by name.
class KeccakPath : public CpuPathTest {
 protected:
  const KeccakBackend& backend() const { return keccak_backend(GetParam()); }
};

template <std::size_t N>
void check_states_against_reference(const KeccakBackend& backend, std::mt19937_64& rng) {
  std::array<Lanes, N> inputs;
  const auto& ex = published().examples;
  for (std::size_t j = 0; j < N; ++j) {
    if (j == 1) {
      inputs[j] = ex[0].input;
    } else if (j == N - 1) {
      inputs[j] = ex[1].input;
    } else {
      for (auto& w : inputs[j]) w = rng();
    }
  }
  KeccakStateN<N> states;
  for (std::size_t i = 0; i < 25; ++i) {
    for (std::size_t j = 0; j < N; ++j) states.lanes[i][j] = inputs[j][i];
  }
  if constexpr (N == 4) {
    backend.x4(states);
  } else {
    backend.x8(states);
  }
  for (std::size_t j = 0; j < N; ++j) {
    Lanes got;
    for (std::size_t i = 0; i < 25; ++i) got[i] = states.lanes[i][j];
    ASSERT_EQ(got, reference_permutation(inputs[j])) << N << "-way, state " << j;
  }
}

TEST_P(KeccakPath, OneStateMatchesThePublishedOutputsAndTheReference) {
  for (const Example& ex : published().examples) {
    KeccakState s = ex.input;
    backend().x1(s);
    EXPECT_EQ(s, ex.output);
  }
  std::mt19937_64 rng(0x4b454331);
  for (int trial = 0; trial < 50; ++trial) {
    Lanes in;
    for (auto& w : in) w = rng();
    KeccakState s = in;
    backend().x1(s);
    ASSERT_EQ(s, reference_permutation(in));
  }
}

TEST_P(KeccakPath, FourStatesMatchTheReference) {
  std::mt19937_64 rng(0x4b454343);
  for (int trial = 0; trial < 50; ++trial) check_states_against_reference<4>(backend(), rng);
}

TEST_P(KeccakPath, EightStatesMatchTheReference) {
  std::mt19937_64 rng(0x4b454348);
  for (int trial = 0; trial < 50; ++trial) check_states_against_reference<8>(backend(), rng);
}

TEST_P(KeccakPath, RepeatedPermutationsStayEqualToTheOneStatePath) {
  KeccakStateX8 states{};
  KeccakState one{};
  for (int i = 0; i < 100; ++i) {
    backend().x8(states);
    keccak_f1600(one);
  }
  for (std::size_t j = 0; j < 8; ++j) {
    for (std::size_t i = 0; i < 25; ++i) ASSERT_EQ(states.lanes[i][j], one[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, KeccakPath, kAllCpuPaths, CpuPathParamName());

}  // namespace
}  // namespace qpow::crypto
