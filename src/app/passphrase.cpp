#include "app/passphrase.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include <fcntl.h>
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include "wallet/keystore_cipher.h"

namespace qpow::app {
namespace {

using util::Result;
using util::Status;

// Room for the longest passphrase plus "\r\n", so a longer first line can be told apart.
constexpr std::size_t kLineBufferBytes = wallet::kPassphraseMaxBytes + 2;

// The bytes up to the first '\n' (a '\r' before it is dropped), or all bytes when there is none.
Result<crypto::SecretBytes> first_line(const crypto::SecretBytes& buffer, std::size_t filled,
                                       std::string_view source) {
  std::size_t end = 0;
  while (end < filled && buffer.data()[end] != '\n') ++end;
  const bool has_newline = end < filled;
  if (!has_newline && filled == buffer.size()) {
    return Status::out_of_range(fmt::format("{}: the passphrase is longer than {} bytes", source,
                                            wallet::kPassphraseMaxBytes));
  }
  if (end > 0 && buffer.data()[end - 1] == '\r') --end;
  if (end == 0) return Status::invalid_argument(fmt::format("{}: the passphrase is empty", source));
  if (end > wallet::kPassphraseMaxBytes) {
    return Status::out_of_range(fmt::format("{}: the passphrase is longer than {} bytes", source,
                                            wallet::kPassphraseMaxBytes));
  }
  return crypto::SecretBytes(buffer.span().first(end));
}

// Reads from fd until end of file, a newline, or a full buffer.
Result<std::size_t> read_line_bytes(int fd, crypto::SecretBytes& buffer, std::string_view source) {
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + filled, 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(fmt::format("cannot read {}: {}", source, std::strerror(errno)));
    }
    if (n == 0) break;
    if (buffer.data()[filled++] == '\n') break;
  }
  return filled;
}

Result<crypto::SecretBytes> from_file(const std::string& path) {
  const std::string source = fmt::format("--passphrase-file '{}'", path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::io_error(fmt::format("cannot open {}: {}", source, std::strerror(errno)));
  }
  crypto::SecretBytes buffer(kLineBufferBytes);
  const Result<std::size_t> filled = read_line_bytes(fd, buffer, source);
  ::close(fd);
  if (!filled.is_ok()) return filled.status();
  return first_line(buffer, *filled, source);
}

Result<crypto::SecretBytes> from_environment(const char* value) {
  const std::string_view text(value);
  const std::string source = fmt::format("${}", kPassphraseEnvVar);
  if (text.empty()) return Status::invalid_argument(source + " is set but empty");
  if (text.size() > wallet::kPassphraseMaxBytes) {
    return Status::out_of_range(fmt::format("{}: the passphrase is longer than {} bytes", source,
                                            wallet::kPassphraseMaxBytes));
  }
  return crypto::SecretBytes(util::as_bytes(text));
}

// One line from the terminal with echo off (the newline is still echoed, so the cursor moves on).
Result<crypto::SecretBytes> prompt_once(std::ostream& out, std::string_view prompt) {
  termios saved{};
  if (::tcgetattr(STDIN_FILENO, &saved) != 0) {
    return Status::io_error(fmt::format("cannot read the terminal: {}", std::strerror(errno)));
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  out << prompt << std::flush;
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  crypto::SecretBytes buffer(kLineBufferBytes);
  const Result<std::size_t> filled = read_line_bytes(STDIN_FILENO, buffer, "the terminal");
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!filled.is_ok()) return filled.status();
  return first_line(buffer, *filled, "the terminal");
}

Result<crypto::SecretBytes> from_terminal(std::ostream& out, PassphrasePurpose purpose) {
  if (purpose == PassphrasePurpose::kUnlock) return prompt_once(out, "Keystore passphrase: ");
  QPOW_ASSIGN_OR_RETURN(crypto::SecretBytes first, prompt_once(out, "New keystore passphrase: "));
  QPOW_ASSIGN_OR_RETURN(const crypto::SecretBytes again, prompt_once(out, "Repeat it: "));
  if (!crypto::constant_time_equal(first, again)) {
    return Status::invalid_argument("the two passphrases differ");
  }
  return first;
}

}  // namespace

Result<crypto::SecretBytes> read_passphrase(const PassphraseSource& source,
                                            PassphrasePurpose purpose, std::ostream& prompt_out) {
  if (!source.file.empty()) return from_file(source.file);
  if (const char* value = std::getenv(kPassphraseEnvVar)) return from_environment(value);
  if (source.may_prompt) return from_terminal(prompt_out, purpose);
  return Status::invalid_argument(fmt::format(
      "no passphrase: use --passphrase-file, set {}, or run on a terminal", kPassphraseEnvVar));
}

std::string_view passphrase_text(const crypto::SecretBytes& secret) {
  return {reinterpret_cast<const char*>(secret.data()), secret.size()};
}

}  // namespace qpow::app
