// FIPS 204 Algorithm 7, ML-DSA.Sign_internal: the rejection loop of "Fiat-Shamir with aborts".
#include <cstring>
#include <string>

#include "crypto/ml_dsa_encoding.h"
#include "crypto/ml_dsa_internal.h"
#include "crypto/ml_dsa_sampling.h"
#include "crypto/secure_memory.h"
#include "crypto/sha3.h"

namespace qpow::crypto::mldsa {
namespace {

using util::Status;

// The loop bound. FIPS 204 Appendix C lets an implementation stop after a number of iterations
// that a valid key exceeds with negligible probability; its Table 3 sets the minimum for
// Sign_internal at 814 (NIST's list of planned updates raises it to 821). κ stays below 2^16.
constexpr std::size_t kMaxSignAttempts = 1000;
static_assert(kMaxSignAttempts * kMaxL < 65536, "κ + r fits IntegerToBytes(·, 2)");
constexpr std::size_t kMaxW1Bytes = kMaxK * kN * 6 / 8;  // w1Encode: at most k = 8 at 6 bits

// Everything derived from the secret key or from y, wiped as one block when signing ends.
struct SignSecrets {
  std::uint8_t mu[kMuBytes];
  std::uint8_t rho_prime_prime[kRhoPrimePrimeBytes];
  Poly s1_hat[kMaxL];
  Poly s2_hat[kMaxK];
  Poly t0_hat[kMaxK];
  MaskStream mask;  // y's source across attempts
  Poly y[kMaxL];
  Poly z[kMaxL];  // NTT(y), then z
  Poly w[kMaxK];  // w, then r = w - cs2
  Poly r1[kMaxK];
  HintBits h[kMaxK];
  Poly c_hat;
  Poly tmp;
  std::uint8_t w1_bytes[kMaxW1Bytes];
  std::uint8_t ctilde[kMaxCTildeBytes];
};

struct SignWorkspace {
  Poly a[kMaxK * kMaxL];  // Â: public (from ρ)
  SignSecrets s;
  ~SignWorkspace() { secure_wipe(&s, sizeof s); }
};

// Lines 11-15: y = ExpandMask(ρ'', κ), w = NTT^-1(Â ∘ NTT(y)) in [0, q), w1 = HighBits(w),
// c̃ = H(μ || w1Encode(w1), λ/4).
void commit(const Params& p, const PolyKernels& kernels, SignWorkspace& ws) {
  SignSecrets& s = ws.s;
  expand_mask_next(p, s.rho_prime_prime, s.mask, s.y, kernels.path);
  for (std::size_t j = 0; j < p.l; ++j) {
    s.z[j] = s.y[j];
    kernels.ntt(s.z[j]);
  }
  for (std::size_t i = 0; i < p.k; ++i) {
    kernels.dot_mont(s.w[i], &ws.a[i * p.l], s.z, p.l);
    kernels.intt_mont(s.w[i]);
    kernels.freeze(s.w[i]);
    kernels.decompose(s.r1[i], s.tmp, s.w[i], p.gamma2);
    w1_encode(p, s.r1[i], s.w1_bytes + i * p.w1_poly_bytes());
  }
  Shake256 h;
  h.absorb(util::ByteSpan(s.mu, kMuBytes))
      .absorb(util::ByteSpan(s.w1_bytes, p.k * p.w1_poly_bytes()));
  h.squeeze(util::MutableByteSpan(s.ctilde, p.ctilde_bytes()));
  secure_wipe(&h, sizeof h);  // holds w1, which stays secret unless this attempt succeeds
}

// Lines 16-23: c = SampleInBall(c̃); z = y + <<c s1>>; r = w - <<c s2>> and (r1, r0) =
// Decompose(r). False when ||z|| >= γ1 - β or ||r0|| >= γ2 - β. Both norms are computed before
// either is tested, as in the standard.
bool respond(const Params& p, const PolyKernels& kernels, SignSecrets& s) {
  sample_in_ball(p, s.ctilde, s.c_hat);
  kernels.ntt(s.c_hat);
  bool reject = false;
  for (std::size_t j = 0; j < p.l; ++j) {
    kernels.pointwise_mont(s.tmp, s.c_hat, s.s1_hat[j]);
    kernels.intt_mont(s.tmp);
    kernels.centre(s.tmp);
    kernels.add(s.z[j], s.y[j], s.tmp);
    reject |= kernels.norm_at_least(s.z[j], p.gamma1 - p.beta);
  }
  for (std::size_t i = 0; i < p.k; ++i) {
    kernels.pointwise_mont(s.tmp, s.c_hat, s.s2_hat[i]);
    kernels.intt_mont(s.tmp);
    kernels.centre(s.tmp);
    kernels.sub(s.w[i], s.w[i], s.tmp);
    kernels.freeze(s.w[i]);
    kernels.decompose(s.r1[i], s.tmp, s.w[i], p.gamma2);
    reject |= kernels.norm_at_least(s.tmp, p.gamma2 - p.beta);
  }
  return !reject;
}

// Lines 25-28: <<c t0>> = NTT^-1(ĉ ∘ t̂0) and h = MakeHint(-<<c t0>>, w - <<c s2>> + <<c t0>>),
// that is h_i = [HighBits(r) != HighBits(r + <<c t0>>)] with r = w - <<c s2>>. False when
// ||<<c t0>>|| >= γ2 or h has more than ω ones.
bool make_hints(const Params& p, const PolyKernels& kernels, SignSecrets& s) {
  bool reject = false;
  std::size_t ones = 0;
  for (std::size_t i = 0; i < p.k; ++i) {
    kernels.pointwise_mont(s.tmp, s.c_hat, s.t0_hat[i]);
    kernels.intt_mont(s.tmp);
    kernels.centre(s.tmp);
    reject |= kernels.norm_at_least(s.tmp, p.gamma2);
    ones += kernels.make_hint(s.h[i], s.w[i], s.r1[i], s.tmp, p.gamma2);
  }
  return !reject && ones <= p.omega;
}

// Lines 1-5 after decoding: μ (unless given) and ρ'' = H(K || rnd || μ, 64); then NTT(s1),
// NTT(s2), NTT(t0) and Â.
void prepare(const Params& p, const PolyKernels& kernels, const SecretKeyParts& parts,
             const MessageInput& message, const std::uint8_t* rnd, SignWorkspace& ws) {
  SignSecrets& s = ws.s;
  if (message.mu != nullptr) {
    std::memcpy(s.mu, message.mu, kMuBytes);
  } else {
    message_representative(util::ByteSpan(parts.tr, kTrBytes), message.m_prime, s.mu);
  }
  Shake256 h;
  h.absorb(util::ByteSpan(parts.key, kKeyBytes))
      .absorb(util::ByteSpan(rnd, kRndBytes))
      .absorb(util::ByteSpan(s.mu, kMuBytes));
  h.squeeze(s.rho_prime_prime);
  secure_wipe(&h, sizeof h);
  for (std::size_t j = 0; j < p.l; ++j) kernels.ntt(s.s1_hat[j]);
  for (std::size_t i = 0; i < p.k; ++i) {
    kernels.ntt(s.s2_hat[i]);
    kernels.ntt(s.t0_hat[i]);
  }
  expand_a(p, parts.rho, ws.a, kernels);
}

}  // namespace

Status sign_core(const Params& p, util::ByteSpan sk, const MessageInput& message,
                 const std::uint8_t* rnd, std::uint8_t* sig, const PolyKernels& kernels) {
  if (sk.size() != p.sk_bytes()) {
    return Status::invalid_argument("ml-dsa sign: secret key must be " +
                                    std::to_string(p.sk_bytes()) + " bytes, got " +
                                    std::to_string(sk.size()));
  }
  SignWorkspace ws;
  SignSecrets& s = ws.s;
  SecretKeyParts parts{};
  if (!sk_decode(p, sk.data(), parts, s.s1_hat, s.s2_hat, s.t0_hat)) {
    return Status::invalid_argument(
        "ml-dsa sign: secret key has an s1 or s2 coefficient outside "
        "[-eta, eta]");
  }
  prepare(p, kernels, parts, message, rnd, ws);
  for (std::size_t attempt = 0; attempt < kMaxSignAttempts; ++attempt) {
    commit(p, kernels, ws);  // κ = attempt · l (line 32: κ += l)
    if (respond(p, kernels, s) && make_hints(p, kernels, s)) {
      sig_encode(p, s.ctilde, s.z, s.h, sig);  // line 33
      return Status::ok();
    }
  }
  return Status::error(util::StatusCode::kInternal, "ml-dsa sign: no signature after " +
                                                        std::to_string(kMaxSignAttempts) +
                                                        " attempts (FIPS 204 Appendix C bound)");
}

}  // namespace qpow::crypto::mldsa
