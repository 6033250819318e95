// FIPS 204 Algorithm 8, ML-DSA.Verify_internal.
#include <cstring>

#include "crypto/ml_dsa_encoding.h"
#include "crypto/ml_dsa_internal.h"
#include "crypto/ml_dsa_sampling.h"
#include "crypto/sha3.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::size_t kMaxW1Bytes = kMaxK * kN * 6 / 8;

struct VerifyWorkspace {
  Poly a[kMaxK * kMaxL];
  Poly t1[kMaxK];
  Poly z[kMaxL];
  HintBits h[kMaxK];
  Poly c_hat;
  Poly w;
  Poly tmp;
  std::uint8_t mu[kMuBytes];
  std::uint8_t w1_bytes[kMaxW1Bytes];
  std::uint8_t ctilde[kMaxCTildeBytes];
};

// Lines 9-12: w'_Approx = NTT^-1(Â ∘ NTT(z) - NTT(c) ∘ NTT(t1 · 2^d)), w1' = UseHint(h, w'),
// encoded as w1Encode(w1').
void reconstruct_w1(const Params& p, const PolyKernels& kernels, VerifyWorkspace& ws) {
  for (std::size_t j = 0; j < p.l; ++j) kernels.ntt(ws.z[j]);
  for (std::size_t i = 0; i < p.k; ++i) {
    kernels.shift_left_d(ws.t1[i]);
    kernels.ntt(ws.t1[i]);
    kernels.dot_mont(ws.w, &ws.a[i * p.l], ws.z, p.l);
    kernels.pointwise_mont(ws.tmp, ws.c_hat, ws.t1[i]);
    kernels.sub(ws.w, ws.w, ws.tmp);
    kernels.intt_mont(ws.w);
    kernels.freeze(ws.w);
    kernels.use_hint(ws.tmp, ws.h[i], ws.w, p.gamma2);
    w1_encode(p, ws.tmp, ws.w1_bytes + i * p.w1_poly_bytes());
  }
}

}  // namespace

bool verify_core(const Params& p, util::ByteSpan pk, const MessageInput& message,
                 util::ByteSpan sig, const PolyKernels& kernels) {
  if (pk.size() != p.pk_bytes() || sig.size() != p.sig_bytes()) return false;
  VerifyWorkspace ws;
  const std::uint8_t* ctilde = nullptr;
  if (!sig_decode(p, sig.data(), &ctilde, ws.z, ws.h)) return false;  // lines 2-4
  // Line 13's norm test, done first: z is public and a large z already decides the answer.
  for (std::size_t j = 0; j < p.l; ++j) {
    if (kernels.norm_at_least(ws.z[j], p.gamma1 - p.beta)) return false;
  }
  const std::uint8_t* rho = nullptr;
  pk_decode(p, pk.data(), &rho, ws.t1);  // line 1
  if (message.mu != nullptr) {
    std::memcpy(ws.mu, message.mu, kMuBytes);
    expand_a(p, rho, ws.a, kernels);  // line 5
  } else {
    // Line 5 with line 6, tr = H(pk, 64); then line 7, μ = H(tr || M', 64).
    std::uint8_t tr[kTrBytes];
    expand_a_and_hash_pk(p, rho, ws.a, pk, tr, kernels);
    message_representative(tr, message.m_prime, ws.mu);
  }
  sample_in_ball(p, ctilde, ws.c_hat);  // line 8
  kernels.ntt(ws.c_hat);
  reconstruct_w1(p, kernels, ws);
  Shake256 h;  // line 12: c̃' = H(μ || w1Encode(w1'), λ/4)
  h.absorb(util::ByteSpan(ws.mu, kMuBytes))
      .absorb(util::ByteSpan(ws.w1_bytes, p.k * p.w1_poly_bytes()));
  h.squeeze(util::MutableByteSpan(ws.ctilde, p.ctilde_bytes()));
  return std::memcmp(ws.ctilde, ctilde, p.ctilde_bytes()) == 0;  // line 13
}

}  // namespace qpow::crypto::mldsa
