// `qpow crypto keygen | sign | verify | schemes`: the signature schemes of
// crypto/signature_scheme.h from the command line. Every binary argument is hex; keys and
// signatures print as hex.
//
//   qpow crypto keygen --scheme NAME [--seed HEX]                 -> "pk=HEX" and "sk=HEX" lines
//   qpow crypto sign --scheme NAME --sk HEX --msg HEX [--ctx HEX] [--deterministic | --rnd HEX]
//   qpow crypto verify --scheme NAME --pk HEX --msg HEX --sig HEX [--ctx HEX]
//                                  -> "valid" (exit 0) or "invalid" (exit 1)
//   qpow crypto schemes                                           -> the table of schemes
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
#include "crypto/secure_memory.h"
#include "crypto/signature_scheme.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using util::Bytes;
using util::Result;
using util::Status;

// Decodes a hex argument, naming the option in the error.
Result<Bytes> hex_arg(std::string_view option, const std::string& text) {
  Result<Bytes> bytes = util::from_hex(text);
  if (!bytes.is_ok()) return bytes.status().with_context(option);
  return bytes;
}

// Decodes a secret hex argument into wiped-on-destruction memory, wiping the temporary copy.
Result<crypto::SecretBytes> secret_hex_arg(std::string_view option, const std::string& text) {
  QPOW_ASSIGN_OR_RETURN(Bytes bytes, hex_arg(option, text));
  crypto::SecretBytes secret(bytes);
  crypto::secure_wipe(bytes.data(), bytes.size());
  return secret;
}

Result<crypto::SchemeId> scheme_arg(const std::string& name) {
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeInfo* info,
                        crypto::find_scheme(std::string_view(name)));
  return info->id;
}

struct KeygenOptions {
  std::string scheme;
  std::string seed;
  CLI::Option* seed_opt = nullptr;
};

Result<crypto::KeyPair> generate(crypto::SchemeId id, const KeygenOptions& o) {
  if (o.seed_opt->count() == 0) return crypto::keygen(id);
  QPOW_ASSIGN_OR_RETURN(const crypto::SecretBytes seed, secret_hex_arg("--seed", o.seed));
  return crypto::keygen(id, seed);
}

Status run_keygen(const KeygenOptions& o, std::ostream& out) {
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeId id, scheme_arg(o.scheme));
  QPOW_ASSIGN_OR_RETURN(const crypto::KeyPair keys, generate(id, o));
  out << "pk=" << util::to_hex(keys.public_key) << '\n';
  out << "sk=" << util::to_hex(keys.secret_key) << '\n';
  return Status::ok();
}

struct SignOptions {
  std::string scheme, sk, msg, ctx, rnd;
  bool deterministic = false;
  CLI::Option* rnd_opt = nullptr;
};

Status run_sign(const SignOptions& o, std::ostream& out) {
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeId id, scheme_arg(o.scheme));
  QPOW_ASSIGN_OR_RETURN(const crypto::SecretBytes sk, secret_hex_arg("--sk", o.sk));
  QPOW_ASSIGN_OR_RETURN(const Bytes msg, hex_arg("--msg", o.msg));
  QPOW_ASSIGN_OR_RETURN(const Bytes ctx, hex_arg("--ctx", o.ctx));
  QPOW_ASSIGN_OR_RETURN(const Bytes rnd, hex_arg("--rnd", o.rnd));
  crypto::SignOptions options{
      .ctx = ctx,
      .mode = o.deterministic ? crypto::SigningMode::kDeterministic : crypto::SigningMode::kHedged,
      .rnd = std::nullopt};
  if (o.rnd_opt->count() > 0) options.rnd = util::ByteSpan(rnd);
  QPOW_ASSIGN_OR_RETURN(const Bytes sig, crypto::sign(id, sk, msg, options));
  out << util::to_hex(sig) << '\n';
  return Status::ok();
}

struct VerifyOptions {
  std::string scheme, pk, msg, sig, ctx;
};

Result<bool> run_verify(const VerifyOptions& o) {
  QPOW_ASSIGN_OR_RETURN(const crypto::SchemeId id, scheme_arg(o.scheme));
  QPOW_ASSIGN_OR_RETURN(const Bytes pk, hex_arg("--pk", o.pk));
  QPOW_ASSIGN_OR_RETURN(const Bytes msg, hex_arg("--msg", o.msg));
  QPOW_ASSIGN_OR_RETURN(const Bytes sig, hex_arg("--sig", o.sig));
  QPOW_ASSIGN_OR_RETURN(const Bytes ctx, hex_arg("--ctx", o.ctx));
  return crypto::verify(id, pk, msg, sig, ctx);
}

void print_schemes(std::ostream& out) {
  out << fmt::format("{:<4}  {:<26} {:>10} {:>10} {:>10}\n", "id", "scheme", "public key",
                     "secret key", "signature");
  for (const crypto::SchemeInfo& s : crypto::all_schemes()) {
    out << fmt::format("0x{:02x}  {:<26} {:>10} {:>10} {:>10}\n", static_cast<unsigned>(s.id),
                       s.name, s.public_key_bytes, s.secret_key_bytes, s.signature_bytes);
  }
  out << "sizes in bytes; the default for accounts is "
      << crypto::scheme_info(crypto::kDefaultScheme).name << '\n';
}

void add_keygen(CLI::App& crypto, CommandContext& ctx) {
  auto o = std::make_shared<KeygenOptions>();
  CLI::App* cmd = crypto.add_subcommand("keygen", "Generate a key pair; prints pk= and sk= lines");
  cmd->add_option("--scheme", o->scheme, "Signature scheme (see `qpow crypto schemes`)")
      ->required();
  o->seed_opt = cmd->add_option(
      "--seed", o->seed,
      "Seed as hex (ML-DSA: xi, 32 bytes; SLH-DSA: SK.seed||SK.prf||PK.seed; hybrid: 64 bytes)");
  cmd->callback([o, &ctx] {
    const Status s = run_keygen(*o, ctx.io.out);
    ctx.exit_code = s.is_ok() ? kExitOk : fail_usage(ctx, s);
  });
}

void add_sign(CLI::App& crypto, CommandContext& ctx) {
  auto o = std::make_shared<SignOptions>();
  CLI::App* cmd = crypto.add_subcommand("sign", "Sign a message; prints the signature as hex");
  cmd->add_option("--scheme", o->scheme, "Signature scheme")->required();
  cmd->add_option("--sk", o->sk, "Secret key as hex")->required();
  cmd->add_option("--msg", o->msg, "Message as hex")->required();
  cmd->add_option("--ctx", o->ctx, "Context string as hex (0..255 bytes; default empty)");
  CLI::Option* det = cmd->add_flag("--deterministic", o->deterministic,
                                   "Deterministic signing instead of hedged (random) signing");
  o->rnd_opt = cmd->add_option("--rnd", o->rnd, "Explicit signing randomness as hex");
  det->excludes(o->rnd_opt);
  cmd->callback([o, &ctx] {
    const Status s = run_sign(*o, ctx.io.out);
    ctx.exit_code = s.is_ok() ? kExitOk : fail_usage(ctx, s);
  });
}

void add_verify(CLI::App& crypto, CommandContext& ctx) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = crypto.add_subcommand(
      "verify", "Verify a signature; prints valid (exit 0) or invalid (exit 1)");
  cmd->add_option("--scheme", o->scheme, "Signature scheme")->required();
  cmd->add_option("--pk", o->pk, "Public key as hex")->required();
  cmd->add_option("--msg", o->msg, "Message as hex")->required();
  cmd->add_option("--sig", o->sig, "Signature as hex")->required();
  cmd->add_option("--ctx", o->ctx, "Context string as hex (0..255 bytes; default empty)");
  cmd->callback([o, &ctx] {
    const Result<bool> valid = run_verify(*o);
    if (!valid.is_ok()) {
      ctx.exit_code = fail_usage(ctx, valid.status());
      return;
    }
    ctx.io.out << (*valid ? "valid" : "invalid") << '\n';
    ctx.exit_code = *valid ? kExitOk : kExitNegative;
  });
}

}  // namespace

void add_crypto_signature_commands(CLI::App& crypto, CommandContext& ctx) {
  add_keygen(crypto, ctx);
  add_sign(crypto, ctx);
  add_verify(crypto, ctx);
  CLI::App* schemes =
      crypto.add_subcommand("schemes", "List the signature schemes and their sizes");
  schemes->callback([&ctx] { print_schemes(ctx.io.out); });
}

}  // namespace qpow::app
