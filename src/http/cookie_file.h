// The cookie file: where a local client (the wallet, the CLI) reads the RPC cookie from, as
// Bitcoin Core's .cookie. Whoever can read it may call every RPC method, so it is created with
// mode 0600 (owner only), and written atomically (a temporary file in the same folder, synced,
// then renamed over the target), so a client never reads half a cookie.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace qpow::http {

// Writes `contents` to `path` atomically with mode 0600. Errors name the path and the system
// call that failed.
util::Status write_cookie_file(const std::string& path, std::string_view contents);

// Removes the file; a file that is already gone is not an error.
util::Status remove_cookie_file(const std::string& path);

}  // namespace qpow::http
