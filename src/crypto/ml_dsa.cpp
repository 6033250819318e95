// The public interface of ML-DSA (ml_dsa.h): argument checks, and the message formatting of pure
// ML-DSA (FIPS 204 Algorithms 2-3) and HashML-DSA (Algorithms 4-5) around the internal
// algorithms of ml_dsa_internal.h.
#include "crypto/ml_dsa.h"

#include <array>
#include <string>

#include "crypto/ml_dsa_internal.h"
#include "crypto/ml_dsa_kernels.h"
#include "crypto/ml_dsa_params.h"
#include "util/assert.h"

namespace qpow::crypto::mldsa {
namespace {

using util::ByteSpan;
using util::MutableByteSpan;
using util::Status;

// The domain separator of M' (Algorithms 2-5, line 23 / 10): 0 for pure ML-DSA, 1 for
// HashML-DSA.
constexpr std::uint8_t kPureDomain = 0;
constexpr std::uint8_t kPreHashDomain = 1;

Status context_too_long(std::size_t size) {
  return Status::out_of_range("ml-dsa: context is " + std::to_string(size) + " bytes; at most " +
                              std::to_string(kMaxContextBytes) + " are allowed");
}

void check_signature_buffer(const Params& p, MutableByteSpan sig) {
  QPOW_ASSERT_MSG(sig.size() == p.sig_bytes(), "ml-dsa: signature buffer of the wrong size");
}

Status sign_parts(ParameterSet set, ByteSpan sk, MessageInput message, Rnd rnd, MutableByteSpan sig,
                  CpuPath path) {
  const Params& p = params(set);
  check_signature_buffer(p, sig);
  return sign_core(p, sk, message, rnd.data(), sig.data(), poly_kernels(path));
}

bool verify_parts(ParameterSet set, ByteSpan pk, MessageInput message, ByteSpan sig, CpuPath path) {
  return verify_core(params(set), pk, message, sig, poly_kernels(path));
}

// M' = domain || |ctx| || ctx || rest..., as the parts of MessageInput.
struct FormattedMessage {
  std::array<std::uint8_t, 2> header;
  std::array<ByteSpan, 4> parts;
  std::size_t count;

  FormattedMessage(std::uint8_t domain, ByteSpan ctx, ByteSpan a, ByteSpan b = {})
      : header{domain, static_cast<std::uint8_t>(ctx.size())},
        parts{ByteSpan(header), ctx, a, b},
        count(b.empty() ? 3 : 4) {}
  FormattedMessage(const FormattedMessage&) = delete;
  FormattedMessage& operator=(const FormattedMessage&) = delete;

  MessageInput input() const { return {nullptr, MessageParts(parts.data(), count)}; }
};

// OID(PH) || PH(M), the tail of HashML-DSA's M' (Algorithm 4, lines 10-22).
util::Bytes prehash_tail(PreHash ph, ByteSpan message) {
  const auto oid = prehash_oid(ph);
  util::Bytes tail(oid.begin(), oid.end());
  const util::Bytes digest = prehash_digest(ph, message);
  tail.insert(tail.end(), digest.begin(), digest.end());
  return tail;
}

}  // namespace

Sizes sizes(ParameterSet set) {
  const Params& p = params(set);
  return {p.pk_bytes(), p.sk_bytes(), p.sig_bytes()};
}

CpuPath default_path() {
  return active_cpu_selection().path;
}

void keygen_internal(ParameterSet set, Seed xi, MutableByteSpan pk, MutableByteSpan sk,
                     CpuPath path) {
  const Params& p = params(set);
  QPOW_ASSERT_MSG(pk.size() == p.pk_bytes(), "ml-dsa: public key buffer of the wrong size");
  QPOW_ASSERT_MSG(sk.size() == p.sk_bytes(), "ml-dsa: secret key buffer of the wrong size");
  keygen_core(p, xi.data(), pk.data(), sk.data(), poly_kernels(path));
}

Status sign_internal(ParameterSet set, ByteSpan sk, ByteSpan message_prime, Rnd rnd,
                     MutableByteSpan sig, CpuPath path) {
  const ByteSpan parts[1] = {message_prime};
  return sign_parts(set, sk, {nullptr, parts}, rnd, sig, path);
}

Status sign_mu(ParameterSet set, ByteSpan sk, Mu mu, Rnd rnd, MutableByteSpan sig, CpuPath path) {
  return sign_parts(set, sk, {mu.data(), {}}, rnd, sig, path);
}

bool verify_internal(ParameterSet set, ByteSpan pk, ByteSpan message_prime, ByteSpan sig,
                     CpuPath path) {
  const ByteSpan parts[1] = {message_prime};
  return verify_parts(set, pk, {nullptr, parts}, sig, path);
}

bool verify_mu(ParameterSet set, ByteSpan pk, Mu mu, ByteSpan sig, CpuPath path) {
  return verify_parts(set, pk, {mu.data(), {}}, sig, path);
}

// Algorithm 2, ML-DSA.Sign (rnd chosen by the caller).
Status sign(ParameterSet set, ByteSpan sk, ByteSpan message, ByteSpan ctx, Rnd rnd,
            MutableByteSpan sig, CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return context_too_long(ctx.size());
  const FormattedMessage m(kPureDomain, ctx, message);
  return sign_parts(set, sk, m.input(), rnd, sig, path);
}

// Algorithm 3, ML-DSA.Verify.
bool verify(ParameterSet set, ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx,
            CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return false;
  const FormattedMessage m(kPureDomain, ctx, message);
  return verify_parts(set, pk, m.input(), sig, path);
}

// Algorithm 4, HashML-DSA.Sign.
Status hash_sign(ParameterSet set, ByteSpan sk, ByteSpan message, ByteSpan ctx, PreHash ph, Rnd rnd,
                 MutableByteSpan sig, CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return context_too_long(ctx.size());
  const util::Bytes tail = prehash_tail(ph, message);
  const FormattedMessage m(kPreHashDomain, ctx, tail);
  return sign_parts(set, sk, m.input(), rnd, sig, path);
}

// Algorithm 5, HashML-DSA.Verify.
bool hash_verify(ParameterSet set, ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx,
                 PreHash ph, CpuPath path) {
  if (ctx.size() > kMaxContextBytes) return false;
  const util::Bytes tail = prehash_tail(ph, message);
  const FormattedMessage m(kPreHashDomain, ctx, tail);
  return verify_parts(set, pk, m.input(), sig, path);
}

}  // namespace qpow::crypto::mldsa
