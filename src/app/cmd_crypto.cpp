// `qpow crypto ...`: the cryptographic primitives from the command line.
//
//   qpow crypto hash --alg ALG [--hex HEX | --file PATH] [--out-len N] [--custom S] [--key HEX]
//
// reads the message from --hex, --file or standard input, and prints the digest as lower-case
// hex and a newline. Streaming algorithms read input in chunks of kReadChunkBytes, so a file of
// any size is hashed in constant memory; swifft and qhash take a bounded input.
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command.h"
#include "crypto/qhash.h"
#include "crypto/sha3.h"
#include "crypto/sp800_185.h"
#include "crypto/swifft.h"
#include "util/hex.h"

namespace qpow::app {
namespace {

using util::Bytes;
using util::ByteSpan;
using util::Result;
using util::Status;

constexpr std::size_t kReadChunkBytes = 64 * 1024;
constexpr std::size_t kOutLenMaxBytes = 1024 * 1024;
constexpr std::size_t kKeyMaxBytes = 4096;
constexpr std::size_t kCustomMaxBytes = 4096;

const std::vector<std::string> kAlgorithms = {"sha3-224", "sha3-256", "sha3-384",  "sha3-512",
                                              "shake128", "shake256", "cshake128", "cshake256",
                                              "kmac128",  "kmac256",  "swifft",    "qhash"};

struct HashOptions {
  std::string alg;
  std::string hex;
  std::string file;
  std::size_t out_len = 0;
  std::string custom;
  std::string key;
  CLI::Option* hex_opt = nullptr;
  CLI::Option* file_opt = nullptr;
  CLI::Option* out_len_opt = nullptr;
  CLI::Option* custom_opt = nullptr;
  CLI::Option* key_opt = nullptr;
};

bool is_xof(std::string_view alg) {
  return alg.starts_with("shake") || alg.starts_with("cshake") || alg.starts_with("kmac");
}
bool takes_custom(std::string_view alg) {
  return alg.starts_with("cshake") || alg.starts_with("kmac");
}
bool is_bounded(std::string_view alg) {
  return alg == "swifft" || alg == "qhash";
}
std::size_t default_out_len(std::string_view alg) {
  return alg.ends_with("128") ? 32 : 64;
}

// A message consumer: absorb() is called per chunk, finish() once.
struct Hasher {
  std::function<void(ByteSpan)> absorb;
  std::function<Result<Bytes>()> finish;
};

template <class Sha3Type>
Hasher make_sha3() {
  auto h = std::make_shared<Sha3Type>();
  return {[h](ByteSpan d) { h->absorb(d); },
          [h]() -> Result<Bytes> {
            const auto digest = h->finalize();
            return Bytes(digest.begin(), digest.end());
          }};
}

template <class Xof>
Hasher make_xof(std::shared_ptr<Xof> x, std::size_t out_len) {
  return {[x](ByteSpan d) { x->absorb(d); },
          [x, out_len]() -> Result<Bytes> {
            Bytes out(out_len);
            x->squeeze(out);
            return out;
          }};
}

template <class KmacType>
Hasher make_kmac(ByteSpan key, ByteSpan custom, std::size_t out_len) {
  auto k = std::make_shared<KmacType>(key, custom);
  return {[k](ByteSpan d) { k->absorb(d); },
          [k, out_len]() -> Result<Bytes> {
            Bytes out(out_len);
            k->finalize(out);
            return out;
          }};
}

// swifft and qhash see the whole (bounded) input at once.
Hasher make_bounded(const std::string& alg) {
  auto buffer = std::make_shared<Bytes>();
  const std::size_t limit = alg == "qhash" ? crypto::kQhashHeaderBytes
                                           : crypto::kSwifftMaxBlocks * crypto::kSwifftBlockBytes;
  return {[buffer, limit](ByteSpan d) {
            // Keep at most one byte past the limit: enough to report "too long".
            const std::size_t room = limit + 1 - std::min(buffer->size(), limit + 1);
            buffer->insert(buffer->end(), d.begin(),
                           d.begin() + static_cast<std::ptrdiff_t>(std::min(room, d.size())));
          },
          [buffer, alg]() -> Result<Bytes> {
            if (alg == "qhash") {
              QPOW_ASSIGN_OR_RETURN(const crypto::Hash256 h, crypto::qhash_checked(*buffer));
              return Bytes(h.begin(), h.end());
            }
            QPOW_ASSIGN_OR_RETURN(const crypto::SwifftPoly z, crypto::swifft(*buffer));
            const crypto::SwifftPacked packed = crypto::swifft_pack(z);
            return Bytes(packed.begin(), packed.end());
          }};
}

Result<Hasher> make_hasher(const HashOptions& o, ByteSpan key) {
  const std::size_t out_len = o.out_len_opt->count() > 0 ? o.out_len : default_out_len(o.alg);
  const ByteSpan custom = util::as_bytes(o.custom);
  if (o.alg == "sha3-224") return make_sha3<crypto::Sha3_224>();
  if (o.alg == "sha3-256") return make_sha3<crypto::Sha3_256>();
  if (o.alg == "sha3-384") return make_sha3<crypto::Sha3_384>();
  if (o.alg == "sha3-512") return make_sha3<crypto::Sha3_512>();
  if (o.alg == "shake128") return make_xof(std::make_shared<crypto::Shake128>(), out_len);
  if (o.alg == "shake256") return make_xof(std::make_shared<crypto::Shake256>(), out_len);
  if (o.alg == "cshake128") {
    return make_xof(std::make_shared<crypto::CShake128>(ByteSpan{}, custom), out_len);
  }
  if (o.alg == "cshake256") {
    return make_xof(std::make_shared<crypto::CShake256>(ByteSpan{}, custom), out_len);
  }
  if (o.alg == "kmac128") return make_kmac<crypto::Kmac128>(key, custom, out_len);
  if (o.alg == "kmac256") return make_kmac<crypto::Kmac256>(key, custom, out_len);
  if (is_bounded(o.alg)) return make_bounded(o.alg);
  return Status::invalid_argument("unknown algorithm '" + o.alg + "'");
}

// Which options make sense for which algorithm; everything else is an error, not ignored.
Status check_combination(const HashOptions& o) {
  if (o.out_len_opt->count() > 0) {
    if (!is_xof(o.alg))
      return Status::invalid_argument("--out-len applies only to shake, cshake and kmac");
    if (o.out_len == 0 || o.out_len > kOutLenMaxBytes) {
      return Status::out_of_range(
          fmt::format("--out-len must be 1 to {} bytes, got {}", kOutLenMaxBytes, o.out_len));
    }
  }
  if (o.custom_opt->count() > 0) {
    if (!takes_custom(o.alg))
      return Status::invalid_argument("--custom applies only to cshake and kmac");
    if (o.custom.size() > kCustomMaxBytes) {
      return Status::out_of_range(fmt::format("--custom is longer than {} bytes", kCustomMaxBytes));
    }
  }
  const bool is_kmac = o.alg.starts_with("kmac");
  if (is_kmac && o.key_opt->count() == 0) return Status::invalid_argument("kmac needs --key HEX");
  if (!is_kmac && o.key_opt->count() > 0)
    return Status::invalid_argument("--key applies only to kmac");
  return Status::ok();
}

Status read_stream(std::istream& in, const std::string& what, const Hasher& hasher) {
  std::vector<char> chunk(kReadChunkBytes);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) hasher.absorb({reinterpret_cast<const std::uint8_t*>(chunk.data()), got});
  }
  if (in.bad()) return Status::io_error("cannot read " + what);
  return Status::ok();
}

Status feed_input(const HashOptions& o, std::istream& stdin_stream, const Hasher& hasher) {
  if (o.hex_opt->count() > 0) {
    QPOW_ASSIGN_OR_RETURN(const Bytes data, util::from_hex(o.hex));
    hasher.absorb(data);
    return Status::ok();
  }
  if (o.file_opt->count() > 0) {
    std::ifstream file(o.file, std::ios::binary);
    if (!file) return Status::io_error("cannot open '" + o.file + "'");
    return read_stream(file, "'" + o.file + "'", hasher);
  }
  return read_stream(stdin_stream, "standard input", hasher);
}

int run_hash(const HashOptions& o, const CommandContext& ctx) {
  if (const Status s = check_combination(o); !s.is_ok()) return fail_usage(ctx, s);
  Bytes key;
  if (o.key_opt->count() > 0) {
    Result<Bytes> decoded = util::from_hex(o.key);
    if (!decoded.is_ok()) return fail_usage(ctx, decoded.status().with_context("--key"));
    key = std::move(decoded).value();
    if (key.size() > kKeyMaxBytes) {
      return fail_usage(ctx, fmt::format("--key is longer than {} bytes", kKeyMaxBytes));
    }
  }
  Result<Hasher> hasher = make_hasher(o, key);
  if (!hasher.is_ok()) return fail_usage(ctx, hasher.status());
  const Status fed = feed_input(o, ctx.io.in, *hasher);
  if (!fed.is_ok()) {
    return fail_usage(ctx, o.hex_opt->count() > 0 ? fed.with_context("--hex") : fed);
  }
  Result<Bytes> digest = hasher->finish();
  if (!digest.is_ok()) return fail_usage(ctx, digest.status());
  ctx.io.out << util::to_hex(*digest) << '\n';
  return kExitOk;
}

void add_hash_command(CLI::App& crypto, CommandContext& ctx) {
  auto opts = std::make_shared<HashOptions>();
  CLI::App* hash = crypto.add_subcommand(
      "hash", "Hash a message (from --hex, --file or standard input) and print lower-case hex");
  hash->add_option("--alg", opts->alg, "Algorithm")->required()->check(CLI::IsMember(kAlgorithms));
  opts->hex_opt = hash->add_option("--hex", opts->hex, "Message as hex");
  opts->file_opt = hash->add_option("--file", opts->file, "Read the message from this file");
  opts->hex_opt->excludes(opts->file_opt);
  opts->out_len_opt = hash->add_option(
      "--out-len", opts->out_len,
      "Output bytes for shake/cshake/kmac (default 32 for the 128 variants, 64 for 256)");
  opts->custom_opt =
      hash->add_option("--custom", opts->custom, "Customization string S (cshake, kmac)");
  opts->key_opt = hash->add_option("--key", opts->key, "Key as hex (kmac)");
  hash->callback([opts, &ctx] { ctx.exit_code = run_hash(*opts, ctx); });
}

}  // namespace

void add_crypto_command(CLI::App& app, CommandContext& ctx) {
  CLI::App* crypto = app.add_subcommand("crypto", "Cryptographic primitives");
  crypto->require_subcommand(1);
  add_hash_command(*crypto, ctx);
  add_crypto_signature_commands(*crypto, ctx);
}

}  // namespace qpow::app
