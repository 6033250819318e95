// qhash per second on one core: the one-shot definition, the prefix path (one nonce per call),
// and the prefix path with 4 and 8 nonces per call on each SIMD path. The baseline hashes the
// same bytes one-shot through OpenSSL's EVP (SHAKE256 over the cSHAKE256 input: customization
// block, header and packed digest, 488 bytes; OpenSSL 3.0 has no cSHAKE, and the padding byte
// does not change the cost), with the EVP_MD fetched once and the context reused.
#include <array>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "crypto/qhash.h"
#include "crypto/sp800_185.h"

namespace {

using qpow::crypto::CpuPath;
using qpow::crypto::QhashPrefix;

std::array<std::uint8_t, qpow::crypto::kQhashHeaderBytes> sample_header() {
  std::array<std::uint8_t, qpow::crypto::kQhashHeaderBytes> h;
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<std::uint8_t>(i);
  return h;
}

void rate(benchmark::State& state, std::size_t hashes_per_iteration) {
  state.counters["hashes_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * hashes_per_iteration), benchmark::Counter::kIsRate);
}

void BM_QhashOneShot(benchmark::State& state) {
  auto h = sample_header();
  std::uint64_t nonce = 0;
  for (auto _ : state) {
    qpow::util::store_le64(h.data() + qpow::crypto::kQhashNonceOffset, nonce++);
    auto d = qpow::crypto::qhash(h);
    benchmark::DoNotOptimize(d);
  }
  rate(state, 1);
}
BENCHMARK(BM_QhashOneShot)->Name("qhash/one_shot");

void BM_QhashPrefix(benchmark::State& state) {
  const auto h = sample_header();
  const QhashPrefix prefix(qpow::crypto::QhashFixedPart(h.data(), qpow::crypto::kQhashNonceOffset));
  std::uint64_t nonce = 0;
  for (auto _ : state) {
    auto d = prefix.hash(nonce++);
    benchmark::DoNotOptimize(d);
  }
  rate(state, 1);
}
BENCHMARK(BM_QhashPrefix)->Name("qhash/prefix");

template <std::size_t N>
void BM_QhashPrefixMulti(benchmark::State& state, CpuPath path) {
  if (!qpow::crypto::cpu_supports(path)) {
    state.SkipWithError("path not supported by this CPU");
    return;
  }
  const qpow::crypto::KeccakBackend& backend = qpow::crypto::keccak_backend(path);
  const auto h = sample_header();
  const QhashPrefix prefix(qpow::crypto::QhashFixedPart(h.data(), qpow::crypto::kQhashNonceOffset));
  std::array<std::uint64_t, N> nonces{};
  std::array<qpow::crypto::Hash256, N> out;
  std::uint64_t next = 0;
  for (auto _ : state) {
    for (auto& n : nonces) n = next++;
    if constexpr (N == 4) {
      prefix.hash_x4(nonces, out, backend);
    } else {
      prefix.hash_x8(nonces, out, backend);
    }
    benchmark::DoNotOptimize(out);
  }
  rate(state, N);
}
void BM_QhashPrefixX4(benchmark::State& state, CpuPath path) {
  BM_QhashPrefixMulti<4>(state, path);
}
void BM_QhashPrefixX8(benchmark::State& state, CpuPath path) {
  BM_QhashPrefixMulti<8>(state, path);
}
BENCHMARK_CAPTURE(BM_QhashPrefixX4, portable, CpuPath::kPortable)->Name("qhash/prefix_x4/portable");
BENCHMARK_CAPTURE(BM_QhashPrefixX4, avx2, CpuPath::kAvx2)->Name("qhash/prefix_x4/avx2");
BENCHMARK_CAPTURE(BM_QhashPrefixX8, avx2, CpuPath::kAvx2)->Name("qhash/prefix_x8/avx2");
BENCHMARK_CAPTURE(BM_QhashPrefixX8, avx512, CpuPath::kAvx512)->Name("qhash/prefix_x8/avx512");

void BM_OpenSslSameBytesOneShot(benchmark::State& state) {
  // The exact cSHAKE256 input of qhash: bytepad(encode_string("") || encode_string(S), 136),
  // the header, the packed SWIFFT digest.
  std::vector<std::uint8_t> input = qpow::crypto::left_encode(136);
  for (const auto& s : {qpow::crypto::encode_string({}),
                        qpow::crypto::encode_string(qpow::util::as_bytes("qpow/pow/v1"))}) {
    input.insert(input.end(), s.begin(), s.end());
  }
  input.resize(136, 0);
  const auto h = sample_header();
  input.insert(input.end(), h.begin(), h.end());
  const auto digest = qpow::crypto::swifft_pack(*qpow::crypto::swifft(h));
  input.insert(input.end(), digest.begin(), digest.end());

  EVP_MD* md = EVP_MD_fetch(nullptr, "SHAKE256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[32];
  for (auto _ : state) {
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, input.data(), input.size());
    EVP_DigestFinalXOF(ctx, out, sizeof out);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  rate(state, 1);
  state.counters["input_bytes"] = static_cast<double>(input.size());
}
BENCHMARK(BM_OpenSslSameBytesOneShot)->Name("qhash/openssl_same_bytes_one_shot");

}  // namespace
