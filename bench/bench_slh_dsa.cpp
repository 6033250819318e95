// SLH-DSA (FIPS 205): key generation, signing and verification for all twelve parameter sets on
// the default CPU path, and SHAKE-128f / SHAKE-128s on the portable path (one Keccak state at a
// time) for comparison. The time column is per operation; the counters are TSC ticks and core
// cycles (cycles.h) per operation.
//
// The "s" sets sign slowly (hundreds of milliseconds), so their signing runs a fixed few
// iterations. A second group measures one SHA-256 tweakable-hash call (F) of the SHA2 sets, the
// decision of slh_dsa_hash_sha2.h: qpow's compression function (portable and SHA-NI, one call or
// four interleaved) continuing from a precomputed state, against OpenSSL's EVP interface (a
// prepared context copied per call, and a fresh digest of the whole input); and SLH-DSA-SHA2-128f
// key generation (ticks_per_op per key) done both ways.
//
// Run: build/release/bench/bench_slh_dsa --benchmark_repetitions=3
//      --benchmark_report_aggregates_only=true --benchmark_counters_tabular=true
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "crypto/slh_dsa.h"
#include "crypto/slh_dsa_hash.h"
#include "crypto/slh_dsa_hypertree.h"
#include "crypto/slh_dsa_params.h"
#include "crypto/slh_dsa_sha2_block.h"
#include "cycles.h"

namespace {

namespace slh = qpow::crypto::slhdsa;
using qpow::crypto::CpuPath;

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 167 + seed);
  return out;
}

struct Keys {
  std::vector<std::uint8_t> pk, sk;
};

Keys make_keys(slh::ParameterSet set, CpuPath path) {
  const slh::Sizes s = slh::sizes(set);
  Keys k{std::vector<std::uint8_t>(s.public_key), std::vector<std::uint8_t>(s.secret_key)};
  slh::keygen_internal(set, bytes(s.n, 1), bytes(s.n, 2), bytes(s.n, 3), k.pk, k.sk, path);
  return k;
}

bool skip_unsupported(benchmark::State& state, CpuPath path) {
  if (qpow::crypto::cpu_supports(path)) return false;
  state.SkipWithError("path not supported by this CPU");
  return true;
}

void report(benchmark::State& state, const CostMeter& meter) {
  meter.report(state);
}

void BM_KeyGen(benchmark::State& state, slh::ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const slh::Sizes s = slh::sizes(set);
  const auto sk_seed = bytes(s.n, 1), sk_prf = bytes(s.n, 2), pk_seed = bytes(s.n, 3);
  std::vector<std::uint8_t> pk(s.public_key), sk(s.secret_key);
  const CostMeter meter;
  for (auto _ : state) {
    slh::keygen_internal(set, sk_seed, sk_prf, pk_seed, pk, sk, path);
    benchmark::DoNotOptimize(pk.data());
  }
  report(state, meter);
}

void BM_Sign(benchmark::State& state, slh::ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const Keys keys = make_keys(set, path);
  const auto msg = bytes(32, 9);
  const auto opt_rand = bytes(slh::sizes(set).n, 5);
  std::vector<std::uint8_t> sig(slh::sizes(set).signature);
  const CostMeter meter;
  for (auto _ : state) {
    if (!slh::sign(set, keys.sk, msg, {}, opt_rand, sig, path).is_ok()) {
      state.SkipWithError("sign failed");
      return;
    }
    benchmark::DoNotOptimize(sig.data());
  }
  report(state, meter);
}

void BM_Verify(benchmark::State& state, slh::ParameterSet set, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const Keys keys = make_keys(set, path);
  const auto msg = bytes(32, 9);
  std::vector<std::uint8_t> sig(slh::sizes(set).signature);
  if (!slh::sign(set, keys.sk, msg, {}, bytes(slh::sizes(set).n, 5), sig, path).is_ok()) {
    state.SkipWithError("sign failed");
    return;
  }
  const CostMeter meter;
  for (auto _ : state) {
    if (!slh::verify(set, keys.pk, msg, sig, {}, path)) {
      state.SkipWithError("verify failed");
      return;
    }
  }
  report(state, meter);
}

// Few iterations for the slow signing of the "s" sets keep the whole binary to a few minutes.
constexpr int kSlowSignIterations = 3;

void register_set(slh::ParameterSet set, CpuPath path) {
  const std::string prefix = "slh_dsa/" + std::string(slh::name(set)).substr(8) + "/" +
                             std::string(qpow::crypto::cpu_path_name(path)) + "/";
  const bool small = slh::name(set).back() == 's';
  benchmark::RegisterBenchmark((prefix + "keygen").c_str(), BM_KeyGen, set, path)
      ->Unit(benchmark::kMillisecond);
  auto* sign = benchmark::RegisterBenchmark((prefix + "sign").c_str(), BM_Sign, set, path)
                   ->Unit(benchmark::kMillisecond);
  if (small) sign->Iterations(kSlowSignIterations);
  benchmark::RegisterBenchmark((prefix + "verify").c_str(), BM_Verify, set, path)
      ->Unit(benchmark::kMicrosecond);
}

// ---- the SHA-2 decision: one F call of SLH-DSA-SHA2-128f -------------------------------------

constexpr std::size_t kN = 16;

// qpow's F through the SHA2 TweakableHash (state after PK.seed || 0^48 precomputed per key).
void BM_Sha2F_Qpow(benchmark::State& state, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const auto& p = slh::internal::params(slh::ParameterSet::kSha2_128f);
  const auto pk_seed = bytes(kN, 3);
  const auto hash = slh::internal::make_hash(p, pk_seed, {}, path);
  slh::internal::Address adrs;
  std::uint8_t value[kN] = {1, 2, 3};
  const CostMeter meter;
  std::uint32_t i = 0;
  for (auto _ : state) {
    adrs.set_hash(i++ & 15);
    hash->thash(adrs, value, 1, value);
    benchmark::DoNotOptimize(value);
  }
  report(state, meter);
}

// OpenSSL: a context holding SHA-256 after PK.seed || 0^48, copied for every call, then ADRS^c
// and the n-byte input.
void BM_Sha2F_OpenSslCopyCtx(benchmark::State& state) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  EVP_MD_CTX* prepared = EVP_MD_CTX_new();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::uint8_t block[64] = {};
  std::memcpy(block, bytes(kN, 3).data(), kN);
  EVP_DigestInit_ex2(prepared, md, nullptr);
  EVP_DigestUpdate(prepared, block, sizeof block);
  std::uint8_t adrsc[22] = {};
  std::uint8_t value[32] = {1, 2, 3};
  unsigned int len = 0;
  const CostMeter meter;
  for (auto _ : state) {
    EVP_MD_CTX_copy_ex(ctx, prepared);
    EVP_DigestUpdate(ctx, adrsc, sizeof adrsc);
    EVP_DigestUpdate(ctx, value, kN);
    EVP_DigestFinal_ex(ctx, value, &len);
    benchmark::DoNotOptimize(value);
  }
  report(state, meter);
  EVP_MD_CTX_free(ctx);
  EVP_MD_CTX_free(prepared);
  EVP_MD_free(md);
}

// OpenSSL without a precomputed state: the whole 102-byte input (two compressions) per call.
void BM_Sha2F_OpenSslFull(benchmark::State& state) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::uint8_t input[64 + 22 + kN] = {};
  std::memcpy(input, bytes(kN, 3).data(), kN);
  std::uint8_t value[32] = {};
  unsigned int len = 0;
  const CostMeter meter;
  for (auto _ : state) {
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, input, sizeof input);
    EVP_DigestFinal_ex(ctx, value, &len);
    std::memcpy(input + 64 + 22, value, kN);
    benchmark::DoNotOptimize(value);
  }
  report(state, meter);
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
}

// The bare compression functions, one 64-byte block.
void BM_Sha256Compress(benchmark::State& state, bool shani) {
  if (shani && !slh::internal::sha256_shani_supported()) {
    state.SkipWithError("no SHA-NI");
    return;
  }
  slh::internal::Sha256State s = slh::internal::kSha256Init;
  const auto block = bytes(64, 4);
  const CostMeter meter;
  for (auto _ : state) {
    if (shani) {
      slh::internal::sha256_compress_shani(s, block.data(), 1);
    } else {
      slh::internal::sha256_compress_portable(s, block.data(), 1);
    }
    benchmark::DoNotOptimize(s);
  }
  report(state, meter);
}

// Four F calls at once (thash_x4), as the tree and chain code issues them: on the SHA-NI path
// these run as four interleaved SHA-256 streams. ticks_per_op is per F call.
void BM_Sha2F_QpowX4(benchmark::State& state, CpuPath path) {
  if (skip_unsupported(state, path)) return;
  const auto& p = slh::internal::params(slh::ParameterSet::kSha2_128f);
  const auto pk_seed = bytes(kN, 3);
  const auto hash = slh::internal::make_hash(p, pk_seed, {}, path);
  slh::internal::AddressLanes adrs;
  std::uint8_t values[4][kN] = {{1}, {2}, {3}, {4}};
  const slh::internal::OutLanes out = {values[0], values[1], values[2], values[3]};
  const slh::internal::InLanes in = {values[0], values[1], values[2], values[3]};
  const CostMeter meter;
  for (auto _ : state) {
    hash->thash_x4(adrs, in, 1, out, 4);
    benchmark::DoNotOptimize(values);
  }
  meter.report(state, 4.0);
}

// SLH-DSA-SHA2-128f's F, H, T_l and PRF through OpenSSL: SHA-256 continued from a prepared
// EVP_MD_CTX (after PK.seed || 0^48) copied for every call. Only what key generation needs.
class OpenSslSha2Hash final : public slh::internal::TweakableHash {
 public:
  OpenSslSha2Hash(const slh::internal::Params& p, std::span<const std::uint8_t> pk_seed,
                  std::span<const std::uint8_t> sk_seed)
      : TweakableHash(p), sk_seed_(sk_seed.begin(), sk_seed.end()) {
    md_ = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    prepared_ = EVP_MD_CTX_new();
    ctx_ = EVP_MD_CTX_new();
    std::uint8_t block[64] = {};
    std::memcpy(block, pk_seed.data(), p.n);
    EVP_DigestInit_ex2(prepared_, md_, nullptr);
    EVP_DigestUpdate(prepared_, block, sizeof block);
  }
  ~OpenSslSha2Hash() override {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_CTX_free(prepared_);
    EVP_MD_free(md_);
  }
  void prf(const slh::internal::Address& adrs, std::uint8_t* out) const override {
    finish(adrs, sk_seed_.data(), sk_seed_.size(), out);
  }
  void thash(const slh::internal::Address& adrs, const std::uint8_t* in, std::size_t blocks,
             std::uint8_t* out) const override {
    finish(adrs, in, blocks * params().n, out);
  }
  void prf_msg(std::span<const std::uint8_t>, std::span<const std::uint8_t>,
               slh::internal::MessageParts, std::uint8_t*) const override {}
  void h_msg(std::span<const std::uint8_t>, std::span<const std::uint8_t>,
             std::span<const std::uint8_t>, slh::internal::MessageParts,
             std::uint8_t*) const override {}

 private:
  void finish(const slh::internal::Address& adrs, const std::uint8_t* data, std::size_t len,
              std::uint8_t* out) const {
    std::uint8_t adrsc[slh::internal::Address::kCompressedBytes];
    adrs.compress(adrsc);
    std::uint8_t digest[32];
    unsigned int digest_len = 0;
    EVP_MD_CTX_copy_ex(ctx_, prepared_);
    EVP_DigestUpdate(ctx_, adrsc, sizeof adrsc);
    EVP_DigestUpdate(ctx_, data, len);
    EVP_DigestFinal_ex(ctx_, digest, &digest_len);
    std::memcpy(out, digest, params().n);
  }

  std::vector<std::uint8_t> sk_seed_;
  EVP_MD* md_;
  EVP_MD_CTX* prepared_;
  EVP_MD_CTX* ctx_;
};

// SLH-DSA-SHA2-128f key generation (the top XMSS tree: 8 WOTS+ keys, about 4,600 hash calls)
// with qpow's SHA-2 on `path`, or with OpenSSL's EVP (openssl = true).
void BM_Sha2KeyGen(benchmark::State& state, CpuPath path, bool openssl) {
  if (skip_unsupported(state, path)) return;
  const auto& p = slh::internal::params(slh::ParameterSet::kSha2_128f);
  const auto pk_seed = bytes(kN, 3), sk_seed = bytes(kN, 1);
  std::unique_ptr<slh::internal::TweakableHash> hash;
  if (openssl) {
    hash = std::make_unique<OpenSslSha2Hash>(p, pk_seed, sk_seed);
  } else {
    hash = slh::internal::make_hash(p, pk_seed, sk_seed, path);
  }
  std::uint8_t root[kN];
  slh::internal::ht_root(*hash, root);
  std::uint8_t reference[kN];
  slh::internal::ht_root(*slh::internal::make_hash(p, pk_seed, sk_seed, CpuPath::kPortable),
                         reference);
  if (std::memcmp(root, reference, kN) != 0) {
    state.SkipWithError("roots differ");
    return;
  }
  const CostMeter meter;
  for (auto _ : state) {
    slh::internal::ht_root(*hash, root);
    benchmark::DoNotOptimize(root);
  }
  report(state, meter);
}

int register_all() {
  const CpuPath best = slh::default_path();
  for (int i = 0; i < 12; ++i) register_set(static_cast<slh::ParameterSet>(i), best);
  register_set(slh::ParameterSet::kShake_128f, CpuPath::kPortable);
  register_set(slh::ParameterSet::kShake_128s, CpuPath::kPortable);
  benchmark::RegisterBenchmark("sha2_f/qpow_portable", BM_Sha2F_Qpow, CpuPath::kPortable);
  benchmark::RegisterBenchmark("sha2_f/qpow_shani", BM_Sha2F_Qpow, CpuPath::kAvx2);
  benchmark::RegisterBenchmark("sha2_f/qpow_shani_x4", BM_Sha2F_QpowX4, CpuPath::kAvx2);
  benchmark::RegisterBenchmark("sha2_f/openssl_copy_ctx", BM_Sha2F_OpenSslCopyCtx);
  benchmark::RegisterBenchmark("sha2_f/openssl_full_input", BM_Sha2F_OpenSslFull);
  benchmark::RegisterBenchmark("sha2_keygen_128f/qpow_portable", BM_Sha2KeyGen, CpuPath::kPortable,
                               false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("sha2_keygen_128f/qpow_shani", BM_Sha2KeyGen, CpuPath::kAvx2, false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("sha2_keygen_128f/openssl_copy_ctx", BM_Sha2KeyGen,
                               CpuPath::kPortable, true)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("sha256_compress/portable", BM_Sha256Compress, false);
  benchmark::RegisterBenchmark("sha256_compress/shani", BM_Sha256Compress, true);
  return 0;
}

const int kRegistered = register_all();

}  // namespace
