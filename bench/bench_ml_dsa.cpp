// ML-DSA (FIPS 204) key generation, hedged signing and verification for each parameter set on
// the portable and AVX2 paths. Counters: ticks_per_op (TSC ticks per operation), cycles_per_op
// (core cycles, see cycles.h) and ops_per_second (for verify: signatures verified per second).
//
// Signing time depends on the number of rejection-loop iterations, which varies with the
// message; each iteration signs a different message (a counter) with fresh hedging bytes so the
// figure is the mean over many messages, as liboqs' speed tests measure it.
#include <array>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/ml_dsa.h"
#include "cycles.h"
#include "util/splitmix64.h"

namespace {

using qpow::crypto::CpuPath;
namespace mldsa = qpow::crypto::mldsa;
using mldsa::ParameterSet;

// A tiny deterministic generator for seeds and hedging bytes (benchmarks need no real entropy).
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() { return qpow::util::splitmix64_next(state); }
  template <std::size_t N>
  void fill(std::array<std::uint8_t, N>& out) {
    for (auto& b : out) b = static_cast<std::uint8_t>(next());
  }
};

bool skip_unsupported(benchmark::State& state, CpuPath path) {
  if (qpow::crypto::cpu_supports(path)) return false;
  state.SkipWithError("path not supported by this CPU");
  return true;
}

void report(benchmark::State& state, const CostMeter& meter, const char* rate_name) {
  meter.report(state);
  const auto ops = static_cast<double>(state.iterations());
  state.counters[rate_name] = benchmark::Counter(ops, benchmark::Counter::kIsRate);
}

struct KeyPair {
  std::vector<std::uint8_t> pk;
  std::vector<std::uint8_t> sk;
};

KeyPair make_keys(ParameterSet set, CpuPath path) {
  const mldsa::Sizes s = mldsa::sizes(set);
  KeyPair keys{std::vector<std::uint8_t>(s.public_key), std::vector<std::uint8_t>(s.secret_key)};
  std::array<std::uint8_t, mldsa::kSeedBytes> xi{};
  SplitMix{42}.fill(xi);
  mldsa::keygen_internal(set, xi, keys.pk, keys.sk, path);
  return keys;
}

void BM_KeyGen(benchmark::State& state, ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const mldsa::Sizes s = mldsa::sizes(set);
  std::vector<std::uint8_t> pk(s.public_key), sk(s.secret_key);
  std::array<std::uint8_t, mldsa::kSeedBytes> xi{};
  SplitMix rng{1};
  const CostMeter meter;
  for (auto _ : state) {
    rng.fill(xi);
    mldsa::keygen_internal(set, xi, pk, sk, path);
    benchmark::DoNotOptimize(pk.data());
  }
  report(state, meter, "ops_per_second");
}

void BM_Sign(benchmark::State& state, ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const KeyPair keys = make_keys(set, path);
  std::vector<std::uint8_t> sig(mldsa::sizes(set).signature);
  std::array<std::uint8_t, 32> message{};
  std::array<std::uint8_t, mldsa::kRndBytes> rnd{};
  SplitMix rng{2};
  const CostMeter meter;
  for (auto _ : state) {
    rng.fill(message);
    rng.fill(rnd);
    const qpow::util::Status st = mldsa::sign(set, keys.sk, message, {}, rnd, sig, path);
    if (!st.is_ok()) state.SkipWithError(st.to_string().c_str());
    benchmark::DoNotOptimize(sig.data());
  }
  report(state, meter, "ops_per_second");
}

// Verifies a rotating set of 64 signatures on different messages.
void BM_Verify(benchmark::State& state, ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  constexpr std::size_t kSignatures = 64;
  const KeyPair keys = make_keys(set, path);
  std::vector<std::array<std::uint8_t, 32>> messages(kSignatures);
  std::vector<std::vector<std::uint8_t>> sigs(
      kSignatures, std::vector<std::uint8_t>(mldsa::sizes(set).signature));
  SplitMix rng{3};
  for (std::size_t i = 0; i < kSignatures; ++i) {
    std::array<std::uint8_t, mldsa::kRndBytes> rnd{};
    rng.fill(messages[i]);
    rng.fill(rnd);
    if (!mldsa::sign(set, keys.sk, messages[i], {}, rnd, sigs[i], path).is_ok()) {
      state.SkipWithError("signing failed");
      return;
    }
  }
  std::size_t i = 0;
  bool all_ok = true;
  const CostMeter meter;
  for (auto _ : state) {
    all_ok &= mldsa::verify(set, keys.pk, messages[i], sigs[i], {}, path);
    i = (i + 1) % kSignatures;
  }
  report(state, meter, "verifications_per_second");
  if (!all_ok) state.SkipWithError("a signature did not verify");
}

#define QPOW_MLDSA_BENCH(fn, op, set, set_name)                                     \
  BENCHMARK_CAPTURE(fn, set_name##_portable, ParameterSet::set, CpuPath::kPortable) \
      ->Name("ml_dsa_" #set_name "/" op "/portable");                               \
  BENCHMARK_CAPTURE(fn, set_name##_avx2, ParameterSet::set, CpuPath::kAvx2)         \
      ->Name("ml_dsa_" #set_name "/" op "/avx2");

QPOW_MLDSA_BENCH(BM_KeyGen, "keygen", kMlDsa44, 44)
QPOW_MLDSA_BENCH(BM_Sign, "sign", kMlDsa44, 44)
QPOW_MLDSA_BENCH(BM_Verify, "verify", kMlDsa44, 44)
QPOW_MLDSA_BENCH(BM_KeyGen, "keygen", kMlDsa65, 65)
QPOW_MLDSA_BENCH(BM_Sign, "sign", kMlDsa65, 65)
QPOW_MLDSA_BENCH(BM_Verify, "verify", kMlDsa65, 65)
QPOW_MLDSA_BENCH(BM_KeyGen, "keygen", kMlDsa87, 87)
QPOW_MLDSA_BENCH(BM_Sign, "sign", kMlDsa87, 87)
QPOW_MLDSA_BENCH(BM_Verify, "verify", kMlDsa87, 87)

}  // namespace
