#include "http/rpc_auth.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "crypto/os_random.h"
#include "crypto/secure_memory.h"
#include "http/ascii.h"
#include "util/hex.h"

namespace qpow::http {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBasicScheme = "basic";

// The 6-bit value of a base64 symbol, or -1.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

crypto::Hash256 salted_hash(std::string_view salt, std::string_view password) {
  return crypto::Sha3_256()
      .absorb(util::as_bytes(salt))
      .absorb(util::as_bytes(password))
      .finalize();
}

// The decoded "user:password" of a Basic Authorization value, or nullopt.
std::optional<std::string> basic_credentials(std::string_view authorization) {
  if (authorization.size() > kAuthorizationBytesMax) return std::nullopt;
  const std::size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  if (!equals_ignoring_case(authorization.substr(0, space), kBasicScheme)) return std::nullopt;
  const std::string_view token = trim_whitespace(authorization.substr(space));
  auto decoded = base64_decode(token);
  if (!decoded.is_ok()) return std::nullopt;
  std::string credentials(decoded->begin(), decoded->end());
  crypto::secure_wipe(decoded->data(), decoded->size());
  return credentials;
}

}  // namespace

util::Result<RpcAuthEntry> parse_rpc_auth(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return util::Status::invalid_argument("rpc_auth: expected <user>:<salt>$<hash>, found no ':'");
  }
  const std::size_t dollar = text.rfind('$');
  if (dollar == std::string_view::npos || dollar < colon) {
    return util::Status::invalid_argument("rpc_auth: expected <user>:<salt>$<hash>, found no '$'");
  }
  RpcAuthEntry entry;
  entry.user = std::string(text.substr(0, colon));
  entry.salt = std::string(text.substr(colon + 1, dollar - colon - 1));
  if (entry.user.empty() || entry.salt.empty()) {
    return util::Status::invalid_argument("rpc_auth: the user and the salt must not be empty");
  }
  if (entry.user.size() > kRpcAuthFieldBytesMax || entry.salt.size() > kRpcAuthFieldBytesMax) {
    return util::Status::out_of_range(fmt::format(
        "rpc_auth: the user and the salt may have at most {} bytes", kRpcAuthFieldBytesMax));
  }
  const util::Status hex = util::from_hex_exact(text.substr(dollar + 1), entry.hash);
  if (!hex.is_ok()) {
    return util::Status::invalid_argument(
        fmt::format("rpc_auth: the hash must be 64 hex digits of SHA3-256: {}", hex.message()));
  }
  return entry;
}

std::string make_rpc_auth(std::string_view user, std::string_view salt, std::string_view password) {
  return fmt::format("{}:{}${}", user, salt, util::to_hex(salted_hash(salt, password)));
}

util::Result<std::string> make_cookie_secret() {
  std::array<std::uint8_t, kCookieSecretBytes> secret{};
  QPOW_RETURN_IF_ERROR(crypto::os_random(secret));
  std::string hex = util::to_hex(secret);
  crypto::secure_wipe(secret.data(), secret.size());
  return hex;
}

util::Result<util::Bytes> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return util::Status::malformed(
        fmt::format("base64: length {} is not a multiple of 4", text.size()));
  }
  util::Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    // '=' may only fill the last one or two positions of the last group.
    std::size_t padding = 0;
    if (i + 4 == text.size() && text[i + 3] == '=') padding = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const int v = j < 4 - padding ? base64_value(text[i + j]) : 0;
      if (v < 0) {
        return util::Status::malformed(fmt::format("base64: invalid character at {}", i + j));
      }
      group = (group << 6) | static_cast<std::uint32_t>(v);
    }
    // The bits under the padding must be zero (RFC 4648 §3.5: one encoding per value).
    if ((padding == 1 && (group & 0xff) != 0) || (padding == 2 && (group & 0xffff) != 0)) {
      return util::Status::malformed("base64: non-zero bits under the padding");
    }
    out.push_back(static_cast<std::uint8_t>(group >> 16));
    if (padding < 2) out.push_back(static_cast<std::uint8_t>(group >> 8));
    if (padding < 1) out.push_back(static_cast<std::uint8_t>(group));
  }
  return out;
}

std::string base64_encode(util::ByteSpan data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, data.size() - i);
    std::uint32_t group = static_cast<std::uint32_t>(data[i]) << 16;
    if (n > 1) group |= static_cast<std::uint32_t>(data[i + 1]) << 8;
    if (n > 2) group |= data[i + 2];
    out.push_back(kBase64Alphabet[(group >> 18) & 63]);
    out.push_back(kBase64Alphabet[(group >> 12) & 63]);
    out.push_back(n > 1 ? kBase64Alphabet[(group >> 6) & 63] : '=');
    out.push_back(n > 2 ? kBase64Alphabet[group & 63] : '=');
  }
  return out;
}

RpcCredentials::RpcCredentials(std::string cookie_secret, std::optional<RpcAuthEntry> rpc_auth)
    : cookie_credentials_(fmt::format("{}:{}", kCookieUser, cookie_secret)),
      rpc_auth_(std::move(rpc_auth)) {
  QPOW_ASSERT_MSG(!cookie_secret.empty(), "the cookie secret must not be empty");
}

bool RpcCredentials::check(std::string_view authorization) const {
  const std::optional<std::string> credentials = basic_credentials(authorization);
  if (!credentials) return false;
  bool ok = crypto::constant_time_equal(util::as_bytes(*credentials),
                                        util::as_bytes(cookie_credentials_));
  if (rpc_auth_) {
    const std::size_t colon = credentials->find(':');
    if (colon != std::string::npos) {
      const std::string_view user = std::string_view(*credentials).substr(0, colon);
      const std::string_view password = std::string_view(*credentials).substr(colon + 1);
      const bool user_ok =
          crypto::constant_time_equal(util::as_bytes(user), util::as_bytes(rpc_auth_->user));
      const bool hash_ok =
          crypto::constant_time_equal(salted_hash(rpc_auth_->salt, password), rpc_auth_->hash);
      ok = ok || (user_ok && hash_ok);
    }
  }
  return ok;
}

}  // namespace qpow::http
