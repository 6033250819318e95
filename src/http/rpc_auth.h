// Who may call the JSON-RPC methods: HTTP Basic authentication (RFC 7617) against either the
// cookie (a random secret written to a file only the node's user can read, as Bitcoin Core's
// .cookie) or one configured rpc_auth user.
//
// rpc_auth format: "<user>:<salt>$<hash>" where hash is the lower-case hex of
// SHA3-256(salt || password) (the salt's and the password's bytes as given, no separator).
// `make_rpc_auth` computes such a line; the node's config stores it, never the password.
//
// Secrets are compared in constant time (crypto::constant_time_equal): an attacker who can time
// responses learns nothing about how much of a guess was right.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/sha3.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::http {

// The user name the cookie authenticates as.
inline constexpr std::string_view kCookieUser = "__cookie__";
// Random bytes in the cookie secret (shown as twice as many hex digits).
inline constexpr std::size_t kCookieSecretBytes = 32;
// The longest Authorization header value looked at; longer ones fail without being decoded.
inline constexpr std::size_t kAuthorizationBytesMax = 1024;
// The longest rpc_auth user name and salt.
inline constexpr std::size_t kRpcAuthFieldBytesMax = 256;

struct RpcAuthEntry {
  std::string user;
  std::string salt;
  crypto::Hash256 hash{};  // SHA3-256(salt || password)
};

// Parses "<user>:<salt>$<64 hex digits>". Errors name the part that is wrong. The user is
// non-empty and has no ':'; the salt is non-empty; neither is longer than kRpcAuthFieldBytesMax.
util::Result<RpcAuthEntry> parse_rpc_auth(std::string_view text);
// The rpc_auth line for this user, salt and password.
std::string make_rpc_auth(std::string_view user, std::string_view salt, std::string_view password);

// A fresh cookie secret from the OS: kCookieSecretBytes as lower-case hex.
util::Result<std::string> make_cookie_secret();

// Standard base64 (RFC 4648 §4) with '=' padding, strictly: the length is a multiple of 4, only
// the alphabet, padding only at the end, and the unused bits of the last symbol zero.
util::Result<util::Bytes> base64_decode(std::string_view text);
std::string base64_encode(util::ByteSpan data);

class RpcCredentials {
 public:
  // cookie_secret: the password of kCookieUser (non-empty). rpc_auth: an optional second user.
  RpcCredentials(std::string cookie_secret, std::optional<RpcAuthEntry> rpc_auth);

  // True if `authorization` (the Authorization header's value, "Basic <base64 of user:password>",
  // the scheme name in any case) names the cookie user with the cookie secret or the rpc_auth
  // user with its password.
  bool check(std::string_view authorization) const;

 private:
  std::string cookie_credentials_;  // "__cookie__:<secret>"
  std::optional<RpcAuthEntry> rpc_auth_;
};

}  // namespace qpow::http
