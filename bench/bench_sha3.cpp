// SHA3-256 throughput against OpenSSL 3's EVP interface on the same machine, in one run:
// 64 B, 1 KiB and 1 MiB messages. OpenSSL is used the fast way (the EVP_MD fetched once, one
// EVP_MD_CTX reused) and the common way (EVP_Digest with EVP_sha3_256(), which fetches each call).
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "crypto/sha3.h"

namespace {

std::vector<std::uint8_t> message(std::size_t n) {
  std::vector<std::uint8_t> m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::uint8_t>(i * 131 + 7);
  return m;
}

void BM_QpowSha3_256(benchmark::State& state) {
  const auto msg = message(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto d = qpow::crypto::Sha3_256::hash(msg);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}

void BM_OpenSslSha3_256_ReusedCtx(benchmark::State& state) {
  const auto msg = message(static_cast<std::size_t>(state.range(0)));
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, msg.data(), msg.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    benchmark::DoNotOptimize(out);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}

void BM_OpenSslSha3_256_EvpDigest(benchmark::State& state) {
  const auto msg = message(static_cast<std::size_t>(state.range(0)));
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    EVP_Digest(msg.data(), msg.size(), out, &len, EVP_sha3_256(), nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}

BENCHMARK(BM_QpowSha3_256)->Name("sha3_256/qpow")->Arg(64)->Arg(1024)->Arg(1 << 20);
BENCHMARK(BM_OpenSslSha3_256_ReusedCtx)
    ->Name("sha3_256/openssl_reused_ctx")
    ->Arg(64)
    ->Arg(1024)
    ->Arg(1 << 20);
BENCHMARK(BM_OpenSslSha3_256_EvpDigest)
    ->Name("sha3_256/openssl_evp_digest")
    ->Arg(64)
    ->Arg(1024)
    ->Arg(1 << 20);

}  // namespace
