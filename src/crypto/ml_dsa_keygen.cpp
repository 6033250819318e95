// FIPS 204 Algorithm 6, ML-DSA.KeyGen_internal, and the message representative μ shared by
// signing and verification.
#include <cstring>

#include "crypto/ml_dsa_encoding.h"
#include "crypto/ml_dsa_internal.h"
#include "crypto/ml_dsa_sampling.h"
#include "crypto/secure_memory.h"
#include "crypto/sha3.h"

namespace qpow::crypto::mldsa {
namespace {

constexpr std::size_t kKeygenSeedBytes = kRhoBytes + kRhoPrimeBytes + kKeyBytes;  // 128

// Everything secret that key generation computes, wiped as one block.
struct KeygenSecrets {
  std::uint8_t seeds[kKeygenSeedBytes];  // ρ || ρ' || K
  Poly s1[kMaxL];
  Poly s2[kMaxK];
  Poly s1_hat[kMaxL];
  Poly t0[kMaxK];
  Poly t;
};

struct KeygenWorkspace {
  Poly a[kMaxK * kMaxL];
  Poly t1[kMaxK];
  KeygenSecrets secrets;
  ~KeygenWorkspace() { secure_wipe(&secrets, sizeof secrets); }
};

}  // namespace

void message_representative(util::ByteSpan tr, MessageParts m_prime, std::uint8_t* mu) {
  Shake256 h;
  h.absorb(tr);
  for (const util::ByteSpan part : m_prime) h.absorb(part);
  h.squeeze(util::MutableByteSpan(mu, kMuBytes));
}

void keygen_core(const Params& p, const std::uint8_t* xi, std::uint8_t* pk, std::uint8_t* sk,
                 const PolyKernels& kernels) {
  KeygenWorkspace ws;
  KeygenSecrets& s = ws.secrets;
  // Line 1: (ρ, ρ', K) = H(ξ || k || l, 128).
  Shake256 h;
  const std::uint8_t dims[2] = {static_cast<std::uint8_t>(p.k), static_cast<std::uint8_t>(p.l)};
  h.absorb(util::ByteSpan(xi, kSeedBytes)).absorb(dims);
  h.squeeze(s.seeds);
  secure_wipe(&h, sizeof h);
  const std::uint8_t* rho = s.seeds;
  const std::uint8_t* rho_prime = s.seeds + kRhoBytes;
  const std::uint8_t* key = rho_prime + kRhoPrimeBytes;

  expand_a(p, rho, ws.a, kernels);              // line 3
  expand_s(p, rho_prime, s.s1, s.s2, kernels);  // line 4
  for (std::size_t j = 0; j < p.l; ++j) {
    s.s1_hat[j] = s.s1[j];
    kernels.ntt(s.s1_hat[j]);
  }
  for (std::size_t i = 0; i < p.k; ++i) {
    // Line 5: t = NTT^-1(Â ∘ NTT(s1)) + s2; line 6: (t1, t0) = Power2Round(t).
    kernels.dot_mont(s.t, &ws.a[i * p.l], s.s1_hat, p.l);
    kernels.intt_mont(s.t);
    kernels.add(s.t, s.t, s.s2[i]);
    kernels.freeze(s.t);
    kernels.power2round(ws.t1[i], s.t0[i], s.t);
  }
  pk_encode(p, rho, ws.t1, pk);  // line 8
  std::uint8_t tr[kTrBytes];     // line 9: tr = H(pk, 64)
  Shake256().absorb(util::ByteSpan(pk, p.pk_bytes())).squeeze(tr);
  sk_encode(p, rho, key, tr, s.s1, s.s2, s.t0, sk);  // line 10
}

}  // namespace qpow::crypto::mldsa
