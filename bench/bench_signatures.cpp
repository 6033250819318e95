// Signatures through the scheme registry (what the rest of qpow calls), the hybrid
// ML-DSA-65 + Ed25519, and Ed25519 itself from libsodium (qpow's choice) against OpenSSL 3's
// EVP interface on the same keys and messages. Counters: ticks_per_op (TSC ticks per operation)
// (and core cycles, cycles.h) and ops_per_second.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "crypto/ed25519.h"
#include "crypto/signature_scheme.h"
#include "cycles.h"

namespace {

namespace crypto = qpow::crypto;
using crypto::SchemeId;

constexpr std::size_t kMessageBytes = 32;  // a transaction digest

void report(benchmark::State& state, const CostMeter& meter) {
  meter.report(state);
  const auto ops = static_cast<double>(state.iterations());
  state.counters["ops_per_second"] = benchmark::Counter(ops, benchmark::Counter::kIsRate);
}

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t salt) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 131 + salt);
  return v;
}

crypto::KeyPair keys_for(SchemeId id) {
  const auto seed = pattern(crypto::scheme_info(id).seed_bytes, 7);
  auto keys = crypto::keygen(id, seed);
  if (!keys.is_ok()) std::abort();
  return std::move(*keys);
}

void registry_keygen(benchmark::State& state, SchemeId id) {
  const auto seed = pattern(crypto::scheme_info(id).seed_bytes, 7);
  const CostMeter meter;
  for (auto _ : state) {
    auto keys = crypto::keygen(id, seed);
    benchmark::DoNotOptimize(keys);
  }
  report(state, meter);
}

void registry_sign(benchmark::State& state, SchemeId id) {
  const crypto::KeyPair keys = keys_for(id);
  auto msg = pattern(kMessageBytes, 1);
  const CostMeter meter;
  for (auto _ : state) {
    ++msg[0];  // a different message each time: ML-DSA's rejection loop varies with it
    auto sig = crypto::sign(id, keys.secret_key, msg);  // hedged: OS randomness included
    benchmark::DoNotOptimize(sig);
  }
  report(state, meter);
}

void registry_verify(benchmark::State& state, SchemeId id) {
  const crypto::KeyPair keys = keys_for(id);
  const auto msg = pattern(kMessageBytes, 1);
  const auto sig = crypto::sign(id, keys.secret_key, msg);
  if (!sig.is_ok()) std::abort();
  const CostMeter meter;
  for (auto _ : state) {
    auto ok = crypto::verify(id, keys.public_key, msg, *sig);
    if (!ok.is_ok() || !*ok) state.SkipWithError("signature did not verify");
  }
  report(state, meter);
}

// Ed25519: libsodium through qpow's wrapper, and OpenSSL 3 EVP (one-shot DigestSign/Verify with a
// reused EVP_PKEY, a fresh EVP_MD_CTX per call as its API requires for Ed25519).
struct Ed25519Fixture {
  std::array<std::uint8_t, 32> seed{};
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sig{};
  std::vector<std::uint8_t> msg = pattern(kMessageBytes, 3);
  Ed25519Fixture() {
    const auto s = pattern(32, 9);
    std::copy(s.begin(), s.end(), seed.begin());
    crypto::ed25519::public_key(seed, pk);
    crypto::ed25519::sign(seed, msg, sig);
  }
};

void ed25519_sodium_sign(benchmark::State& state) {
  Ed25519Fixture f;
  const CostMeter meter;
  for (auto _ : state) {
    crypto::ed25519::sign(f.seed, f.msg, f.sig);
    benchmark::DoNotOptimize(f.sig);
  }
  report(state, meter);
}

void ed25519_sodium_verify(benchmark::State& state) {
  Ed25519Fixture f;
  const CostMeter meter;
  for (auto _ : state) {
    const bool ok = crypto::ed25519::verify(f.pk, f.msg, f.sig);
    if (!ok) state.SkipWithError("signature did not verify");
  }
  report(state, meter);
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

void ed25519_openssl_sign(benchmark::State& state) {
  Ed25519Fixture f;
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, f.seed.data(), f.seed.size()));
  const CostMeter meter;
  for (auto _ : state) {
    std::size_t len = f.sig.size();
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    const bool ok = EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                    EVP_DigestSign(ctx.get(), f.sig.data(), &len, f.msg.data(), f.msg.size()) == 1;
    if (!ok) state.SkipWithError("OpenSSL signing failed");
  }
  report(state, meter);
}

void ed25519_openssl_verify(benchmark::State& state) {
  Ed25519Fixture f;
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, f.pk.data(), f.pk.size()));
  const CostMeter meter;
  for (auto _ : state) {
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    const bool ok =
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
        EVP_DigestVerify(ctx.get(), f.sig.data(), f.sig.size(), f.msg.data(), f.msg.size()) == 1;
    if (!ok) state.SkipWithError("signature did not verify");
  }
  report(state, meter);
}

const bool registered = [] {
  benchmark::RegisterBenchmark("ed25519/sign/libsodium", ed25519_sodium_sign);
  benchmark::RegisterBenchmark("ed25519/sign/openssl", ed25519_openssl_sign);
  benchmark::RegisterBenchmark("ed25519/verify/libsodium", ed25519_sodium_verify);
  benchmark::RegisterBenchmark("ed25519/verify/openssl", ed25519_openssl_verify);
  // The registry adds key copies, hedging randomness from the OS and result wrapping to the raw
  // scheme calls of bench_ml_dsa / bench_slh_dsa; the fast schemes show what that costs.
  for (const SchemeId id : {SchemeId::kMlDsa44, SchemeId::kMlDsa65, SchemeId::kMlDsa87,
                            SchemeId::kHybridMlDsa65Ed25519, SchemeId::kSlhDsaShake_128f}) {
    const std::string name(crypto::scheme_info(id).name);
    benchmark::RegisterBenchmark(("registry/" + name + "/keygen").c_str(), registry_keygen, id);
    benchmark::RegisterBenchmark(("registry/" + name + "/sign").c_str(), registry_sign, id);
    benchmark::RegisterBenchmark(("registry/" + name + "/verify").c_str(), registry_verify, id);
  }
  return true;
}();

}  // namespace
