// Keccak-f[1600] cost per permutation on each path: one state per call (the portable code, and
// the same code built for the AVX2 level with BMI1/BMI2), and 4 or 8 states per call on the
// portable, AVX2 and AVX-512 paths. Counters: ticks_per_perm (TSC ticks per single
// permutation) and perms_per_second.
#include <benchmark/benchmark.h>

#include "crypto/keccak.h"
#include "tsc.h"

namespace {

using qpow::crypto::CpuPath;

void report(benchmark::State& state, std::uint64_t ticks, std::size_t states_per_call) {
  const double perms = static_cast<double>(state.iterations() * states_per_call);
  state.counters["ticks_per_perm"] = static_cast<double>(ticks) / perms;
  state.counters["perms_per_second"] = benchmark::Counter(perms, benchmark::Counter::kIsRate);
}

void BM_KeccakOneState(benchmark::State& state, CpuPath path) {
  if (!qpow::crypto::cpu_supports(path)) {
    state.SkipWithError("path not supported by this CPU");
    return;
  }
  const qpow::crypto::KeccakBackend& backend = qpow::crypto::keccak_backend(path);
  qpow::crypto::KeccakState s{};
  const std::uint64_t t0 = read_tsc();
  for (auto _ : state) {
    backend.x1(s);
    benchmark::DoNotOptimize(s);
  }
  report(state, read_tsc() - t0, 1);
}
BENCHMARK_CAPTURE(BM_KeccakOneState, portable, CpuPath::kPortable)
    ->Name("keccak_f1600/portable/x1");
BENCHMARK_CAPTURE(BM_KeccakOneState, avx2, CpuPath::kAvx2)->Name("keccak_f1600/avx2/x1");

template <std::size_t N>
void BM_KeccakMulti(benchmark::State& state, CpuPath path) {
  if (!qpow::crypto::cpu_supports(path)) {
    state.SkipWithError("path not supported by this CPU");
    return;
  }
  const qpow::crypto::KeccakBackend& backend = qpow::crypto::keccak_backend(path);
  qpow::crypto::KeccakStateN<N> s{};
  const std::uint64_t t0 = read_tsc();
  for (auto _ : state) {
    if constexpr (N == 4) {
      backend.x4(s);
    } else {
      backend.x8(s);
    }
    benchmark::DoNotOptimize(s);
  }
  report(state, read_tsc() - t0, N);
}
void BM_KeccakX4(benchmark::State& state, CpuPath path) {
  BM_KeccakMulti<4>(state, path);
}
void BM_KeccakX8(benchmark::State& state, CpuPath path) {
  BM_KeccakMulti<8>(state, path);
}
BENCHMARK_CAPTURE(BM_KeccakX4, portable, CpuPath::kPortable)->Name("keccak_f1600/portable/x4");
BENCHMARK_CAPTURE(BM_KeccakX4, avx2, CpuPath::kAvx2)->Name("keccak_f1600/avx2/x4");
BENCHMARK_CAPTURE(BM_KeccakX8, avx2, CpuPath::kAvx2)->Name("keccak_f1600/avx2/x8");
BENCHMARK_CAPTURE(BM_KeccakX8, avx512, CpuPath::kAvx512)->Name("keccak_f1600/avx512/x8");

}  // namespace
