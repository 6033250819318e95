#include "crypto/signature_scheme.h"

#include <array>
#include <string>

#include <fmt/format.h>

#include "crypto/hybrid.h"
#include "crypto/ml_dsa.h"
#include "crypto/os_random.h"
#include "crypto/slh_dsa.h"
#include "util/assert.h"

namespace qpow::crypto {
namespace {

using util::Bytes;
using util::ByteSpan;
using util::Result;
using util::Status;

enum class Family : std::uint8_t { kMlDsa, kSlhDsa, kHybrid };

struct Entry {
  SchemeInfo info;
  Family family;
  mldsa::ParameterSet mldsa_set;    // kMlDsa only
  slhdsa::ParameterSet slhdsa_set;  // kSlhDsa only
};

Entry mldsa_entry(SchemeId id, std::string_view name, mldsa::ParameterSet set) {
  const mldsa::Sizes s = mldsa::sizes(set);
  return {{id, name, s.public_key, s.secret_key, s.signature, mldsa::kSeedBytes, mldsa::kRndBytes},
          Family::kMlDsa,
          set,
          {}};
}

Entry slhdsa_entry(SchemeId id, std::string_view name, slhdsa::ParameterSet set) {
  const slhdsa::Sizes s = slhdsa::sizes(set);
  return {
      {id, name, s.public_key, s.secret_key, s.signature, 3 * s.n, s.n}, Family::kSlhDsa, {}, set};
}

Entry hybrid_entry() {
  return {{SchemeId::kHybridMlDsa65Ed25519, "hybrid-ml-dsa-65-ed25519", hybrid::kPublicKeyBytes,
           hybrid::kSecretKeyBytes, hybrid::kSignatureBytes, hybrid::kSeedBytes, mldsa::kRndBytes},
          Family::kHybrid,
          {},
          {}};
}

const std::array<Entry, 16>& entries() {
  using S = slhdsa::ParameterSet;
  static const std::array<Entry, 16> table = {
      mldsa_entry(SchemeId::kMlDsa44, "ml-dsa-44", mldsa::ParameterSet::kMlDsa44),
      mldsa_entry(SchemeId::kMlDsa65, "ml-dsa-65", mldsa::ParameterSet::kMlDsa65),
      mldsa_entry(SchemeId::kMlDsa87, "ml-dsa-87", mldsa::ParameterSet::kMlDsa87),
      slhdsa_entry(SchemeId::kSlhDsaSha2_128s, "slh-dsa-sha2-128s", S::kSha2_128s),
      slhdsa_entry(SchemeId::kSlhDsaShake_128s, "slh-dsa-shake-128s", S::kShake_128s),
      slhdsa_entry(SchemeId::kSlhDsaSha2_128f, "slh-dsa-sha2-128f", S::kSha2_128f),
      slhdsa_entry(SchemeId::kSlhDsaShake_128f, "slh-dsa-shake-128f", S::kShake_128f),
      slhdsa_entry(SchemeId::kSlhDsaSha2_192s, "slh-dsa-sha2-192s", S::kSha2_192s),
      slhdsa_entry(SchemeId::kSlhDsaShake_192s, "slh-dsa-shake-192s", S::kShake_192s),
      slhdsa_entry(SchemeId::kSlhDsaSha2_192f, "slh-dsa-sha2-192f", S::kSha2_192f),
      slhdsa_entry(SchemeId::kSlhDsaShake_192f, "slh-dsa-shake-192f", S::kShake_192f),
      slhdsa_entry(SchemeId::kSlhDsaSha2_256s, "slh-dsa-sha2-256s", S::kSha2_256s),
      slhdsa_entry(SchemeId::kSlhDsaShake_256s, "slh-dsa-shake-256s", S::kShake_256s),
      slhdsa_entry(SchemeId::kSlhDsaSha2_256f, "slh-dsa-sha2-256f", S::kSha2_256f),
      slhdsa_entry(SchemeId::kSlhDsaShake_256f, "slh-dsa-shake-256f", S::kShake_256f),
      hybrid_entry(),
  };
  return table;
}

const Entry& entry(SchemeId id) {
  for (const Entry& e : entries()) {
    if (e.info.id == id) return e;
  }
  QPOW_UNREACHABLE();
}

std::string scheme_names() {
  std::string names;
  for (const Entry& e : entries()) {
    if (!names.empty()) names += ", ";
    names += e.info.name;
  }
  return names;
}

Status check_size(std::string_view what, const SchemeInfo& info, std::size_t got,
                  std::size_t want) {
  if (got == want) return Status::ok();
  return Status::invalid_argument(
      fmt::format("{}: {} must be {} bytes, got {}", info.name, what, want, got));
}

Status check_context(ByteSpan ctx) {
  if (ctx.size() <= kMaxContextBytes) return Status::ok();
  return Status::invalid_argument(
      fmt::format("context is {} bytes, the limit is {}", ctx.size(), kMaxContextBytes));
}

// The signing randomness: explicit, deterministic (the scheme's fixed value), or fresh.
Result<SecretBytes> signing_randomness(const Entry& e, ByteSpan sk, const SignOptions& options) {
  SecretBytes rnd(e.info.rnd_bytes);
  if (options.rnd.has_value()) {
    QPOW_RETURN_IF_ERROR(check_size("rnd", e.info, options.rnd->size(), e.info.rnd_bytes));
    std::copy(options.rnd->begin(), options.rnd->end(), rnd.data());
  } else if (options.mode == SigningMode::kDeterministic) {
    // FIPS 204: rnd = 0^32. FIPS 205: opt_rand = PK.seed, bytes 2n..3n of the secret key.
    if (e.family == Family::kSlhDsa) {
      std::copy(sk.begin() + 2 * static_cast<std::ptrdiff_t>(e.info.rnd_bytes),
                sk.begin() + 3 * static_cast<std::ptrdiff_t>(e.info.rnd_bytes), rnd.data());
    }
  } else {
    QPOW_RETURN_IF_ERROR(os_random(rnd.mutable_span()));
  }
  return rnd;
}

}  // namespace

std::span<const SchemeInfo> all_schemes() {
  static const auto infos = [] {
    std::array<SchemeInfo, 16> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = entries()[i].info;
    return out;
  }();
  return infos;
}

const SchemeInfo& scheme_info(SchemeId id) {
  return entry(id).info;
}

Result<const SchemeInfo*> find_scheme(std::uint8_t id) {
  for (const SchemeInfo& info : all_schemes()) {
    if (static_cast<std::uint8_t>(info.id) == id) return &info;
  }
  return Status::not_found(fmt::format("unknown signature scheme id 0x{:02x}", id));
}

Result<const SchemeInfo*> find_scheme(std::string_view name) {
  for (const SchemeInfo& info : all_schemes()) {
    if (info.name == name) return &info;
  }
  return Status::not_found(
      fmt::format("unknown signature scheme '{}'; known: {}", name, scheme_names()));
}

Result<KeyPair> keygen(SchemeId id, ByteSpan seed) {
  const Entry& e = entry(id);
  QPOW_RETURN_IF_ERROR(check_size("seed", e.info, seed.size(), e.info.seed_bytes));
  KeyPair keys{Bytes(e.info.public_key_bytes), SecretBytes(e.info.secret_key_bytes)};
  switch (e.family) {
    case Family::kMlDsa:
      mldsa::keygen_internal(e.mldsa_set, seed.first<mldsa::kSeedBytes>(), keys.public_key,
                             keys.secret_key.mutable_span());
      break;
    case Family::kSlhDsa: {
      const std::size_t n = e.info.rnd_bytes;
      slhdsa::keygen_internal(e.slhdsa_set, seed.first(n), seed.subspan(n, n),
                              seed.subspan(2 * n, n), keys.public_key,
                              keys.secret_key.mutable_span());
      break;
    }
    case Family::kHybrid:
      std::copy(seed.begin(), seed.end(), keys.secret_key.data());
      hybrid::public_key(seed.first<hybrid::kSecretKeyBytes>(), keys.public_key);
      break;
  }
  return keys;
}

Result<KeyPair> keygen(SchemeId id) {
  SecretBytes seed(entry(id).info.seed_bytes);
  QPOW_RETURN_IF_ERROR(os_random(seed.mutable_span()));
  return keygen(id, seed);
}

Result<Bytes> sign(SchemeId id, ByteSpan sk, ByteSpan message, const SignOptions& options) {
  const Entry& e = entry(id);
  QPOW_RETURN_IF_ERROR(check_size("secret key", e.info, sk.size(), e.info.secret_key_bytes));
  QPOW_RETURN_IF_ERROR(check_context(options.ctx));
  QPOW_ASSIGN_OR_RETURN(const SecretBytes rnd, signing_randomness(e, sk, options));
  Bytes sig(e.info.signature_bytes);
  switch (e.family) {
    case Family::kMlDsa:
      QPOW_RETURN_IF_ERROR(mldsa::sign(e.mldsa_set, sk, message, options.ctx,
                                       rnd.span().first<mldsa::kRndBytes>(), sig));
      break;
    case Family::kSlhDsa:
      QPOW_RETURN_IF_ERROR(slhdsa::sign(e.slhdsa_set, sk, message, options.ctx, rnd, sig));
      break;
    case Family::kHybrid:
      QPOW_RETURN_IF_ERROR(
          hybrid::sign(sk, message, options.ctx, rnd.span().first<mldsa::kRndBytes>(), sig));
      break;
  }
  return sig;
}

Result<bool> verify(SchemeId id, ByteSpan pk, ByteSpan message, ByteSpan sig, ByteSpan ctx) {
  const Entry& e = entry(id);
  QPOW_RETURN_IF_ERROR(check_size("public key", e.info, pk.size(), e.info.public_key_bytes));
  QPOW_RETURN_IF_ERROR(check_context(ctx));
  switch (e.family) {
    case Family::kMlDsa:
      return mldsa::verify(e.mldsa_set, pk, message, sig, ctx);
    case Family::kSlhDsa:
      return slhdsa::verify(e.slhdsa_set, pk, message, sig, ctx);
    case Family::kHybrid:
      return hybrid::verify(pk, message, sig, ctx);
  }
  QPOW_UNREACHABLE();
}

}  // namespace qpow::crypto
