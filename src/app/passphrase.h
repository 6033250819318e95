// Where `qpow wallet` gets the keystore passphrase, first match wins:
//   1. --passphrase-file F: the first line of F, without its line break ("\n" or "\r\n");
//   2. the environment variable QPOW_WALLET_PASSPHRASE;
//   3. a prompt without echo, when standard input is a terminal (a new passphrase is asked for
//      twice and must match).
// The passphrase is held in wiped-on-destruction memory; the caller passes it on and lets it go.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "crypto/secure_memory.h"
#include "util/result.h"

namespace qpow::app {

inline constexpr const char* kPassphraseEnvVar = "QPOW_WALLET_PASSPHRASE";

enum class PassphrasePurpose : std::uint8_t {
  kUnlock,  // open an existing keystore
  kNew,     // encrypt a new keystore: a prompt asks twice
};

struct PassphraseSource {
  std::string file;         // --passphrase-file, empty when not given
  bool may_prompt = false;  // standard input is the process's terminal
};

// The passphrase, or an error that names the source and what is wrong with it (unreadable file,
// empty first line, too long, no source at all).
util::Result<crypto::SecretBytes> read_passphrase(const PassphraseSource& source,
                                                  PassphrasePurpose purpose,
                                                  std::ostream& prompt_out);

// A view of the passphrase bytes as text, valid while `secret` lives.
std::string_view passphrase_text(const crypto::SecretBytes& secret);

}  // namespace qpow::app
