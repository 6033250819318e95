#include "crypto/hybrid.h"

#include <fmt/format.h>

#include "crypto/ed25519.h"
#include "crypto/prehash.h"
#include "crypto/secure_memory.h"
#include "util/assert.h"

namespace qpow::crypto::hybrid {
namespace {

using util::Bytes;
using util::ByteSpan;
using util::Status;

constexpr mldsa::ParameterSet kSet = mldsa::ParameterSet::kMlDsa65;

ByteSpan label_bytes() {
  return util::as_bytes(kLabel);
}

}  // namespace

util::Result<Bytes> message_representative(ByteSpan message, ByteSpan ctx) {
  if (ctx.size() > kMaxContextBytes) {
    return Status::invalid_argument(
        fmt::format("hybrid: context is {} bytes, the limit is {}", ctx.size(), kMaxContextBytes));
  }
  const Bytes digest = prehash_digest(PreHash::kSha2_512, message);
  Bytes m;
  m.reserve(kPrefix.size() + kLabel.size() + 1 + ctx.size() + digest.size());
  const ByteSpan prefix = util::as_bytes(kPrefix);
  m.insert(m.end(), prefix.begin(), prefix.end());
  m.insert(m.end(), label_bytes().begin(), label_bytes().end());
  m.push_back(static_cast<std::uint8_t>(ctx.size()));
  m.insert(m.end(), ctx.begin(), ctx.end());
  m.insert(m.end(), digest.begin(), digest.end());
  return m;
}

void public_key(std::span<const std::uint8_t, kSecretKeyBytes> sk, util::MutableByteSpan pk,
                CpuPath path) {
  QPOW_ASSERT(pk.size() == kPublicKeyBytes);
  SecretBytes mldsa_sk(mldsa::sizes(kSet).secret_key);
  mldsa::keygen_internal(kSet, sk.first<mldsa::kSeedBytes>(), pk.first(kMlDsaPublicKeyBytes),
                         mldsa_sk.mutable_span(), path);
  ed25519::public_key(sk.last<ed25519::kSeedBytes>(),
                      pk.subspan(kMlDsaPublicKeyBytes).first<ed25519::kPublicKeyBytes>());
}

Status sign(ByteSpan sk, ByteSpan message, ByteSpan ctx, mldsa::Rnd rnd, util::MutableByteSpan sig,
            CpuPath path) {
  if (sk.size() != kSecretKeyBytes) {
    return Status::invalid_argument(
        fmt::format("hybrid: secret key is {} bytes, expected {}", sk.size(), kSecretKeyBytes));
  }
  QPOW_ASSERT(sig.size() == kSignatureBytes);
  QPOW_ASSIGN_OR_RETURN(const Bytes m_prime, message_representative(message, ctx));
  // Re-derive the expanded ML-DSA key from its seed (draft §4.2 step 3).
  SecretBytes mldsa_sk(mldsa::sizes(kSet).secret_key);
  Bytes mldsa_pk(kMlDsaPublicKeyBytes);
  mldsa::keygen_internal(kSet, sk.first<mldsa::kSeedBytes>(), mldsa_pk, mldsa_sk.mutable_span(),
                         path);
  QPOW_RETURN_IF_ERROR(mldsa::sign(kSet, mldsa_sk, m_prime, label_bytes(), rnd,
                                   sig.first(kMlDsaSignatureBytes), path));
  ed25519::sign(sk.last<ed25519::kSeedBytes>(), m_prime,
                sig.subspan(kMlDsaSignatureBytes).first<ed25519::kSignatureBytes>());
  return Status::ok();
}

bool verify(ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx, CpuPath path) {
  if (pk.size() != kPublicKeyBytes || sig.size() != kSignatureBytes) return false;
  const util::Result<Bytes> m_prime = message_representative(message, ctx);
  if (!m_prime.is_ok()) return false;
  // Both components are always checked, so timing does not tell which one failed.
  const bool mldsa_ok = mldsa::verify(kSet, pk.first(kMlDsaPublicKeyBytes), *m_prime,
                                      sig.first(kMlDsaSignatureBytes), label_bytes(), path);
  const bool ed_ok =
      ed25519::verify(pk.subspan(kMlDsaPublicKeyBytes).first<ed25519::kPublicKeyBytes>(), *m_prime,
                      sig.subspan(kMlDsaSignatureBytes));
  return mldsa_ok && ed_ok;
}

}  // namespace qpow::crypto::hybrid
