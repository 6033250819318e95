// `qpow wallet`, run in-process against a temporary wallet directory: create / address / list /
// export-pubkey / rotate-key outputs, the passphrase sources (file, environment, none), the
// default wallet directory, and the exit-code contract (1 for a failed operation, 2 for a
// malformed argument, each with exactly one line on the error stream). Keystores are created with
// --kdf-cost interactive to keep Argon2id quick.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "app/cli.h"
#include "app/passphrase.h"
#include "cli_run.h"
#include "primitives/address.h"
#include "primitives/transaction.h"
#include "support/test_bytes.h"
#include "util/hex.h"
#include "wallet/keystore.h"
#include "wallet/next_key.h"

namespace qpow::app {
namespace {

using qpow::test::CliResult;
using qpow::test::run;

constexpr const char* kPass = "wallet test passphrase";

// Sets (or unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class CliWallet : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "qpow-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = (root_ / "wallet").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  // `qpow wallet --wallet-dir <dir> <args...>`.
  CliResult run_wallet(std::vector<std::string> args) const {
    std::vector<std::string> full = {"wallet", "--wallet-dir", dir_};
    full.insert(full.end(), args.begin(), args.end());
    return run(full);
  }
  std::string first_key(const std::string& label = "first") const {
    const CliResult r = run_wallet({"create", "--kdf-cost", "interactive", "--label", label});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    return line_of(r.out);
  }
  std::string write_file(const std::string& name, const std::string& text) const {
    const std::string path = (root_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string line_of(const std::string& out) {
    EXPECT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    return out.substr(0, out.find('\n'));
  }

  std::string keystore_path() const { return dir_ + "/keystore.dat"; }

  std::filesystem::path root_;
  std::string dir_;
  ScopedEnv pass_{kPassphraseEnvVar, kPass};
};

TEST_F(CliWallet, CreateAddressListExportAndRotate) {
  const std::string first = first_key();
  EXPECT_EQ(first.rfind("qp1", 0), 0u) << first;
  EXPECT_EQ(line_of(run_wallet({"address"}).out), first);

  const CliResult second = run_wallet({"create", "--scheme", "ml-dsa-44", "--label", "hot"});
  ASSERT_EQ(second.code, kExitOk) << second.err;
  const std::string hot = line_of(second.out);
  EXPECT_NE(hot, first);
  EXPECT_EQ(line_of(run_wallet({"address", "--label", "hot"}).out), hot);
  EXPECT_EQ(line_of(run_wallet({"address", "--label", "first"}).out), first);

  const CliResult list = run_wallet({"list"});
  ASSERT_EQ(list.code, kExitOk) << list.err;
  EXPECT_EQ(list.out, first + "  ml-dsa-65                 next-key=yes  first\n" + hot +
                          "  ml-dsa-44                 next-key=yes  hot\n");

  const CliResult pubkey = run_wallet({"export-pubkey", hot});
  ASSERT_EQ(pubkey.code, kExitOk) << pubkey.err;
  const std::string key_hex = line_of(pubkey.out);
  EXPECT_EQ(key_hex.size(), 2u * (1 + 1312));
  EXPECT_EQ(key_hex.substr(0, 2), "01");  // ML-DSA-44's scheme id
  const util::Bytes key = *util::from_hex(key_hex);
  EXPECT_EQ(primitives::Address::from_public_key(crypto::SchemeId::kMlDsa44,
                                                 util::ByteSpan(key).subspan(1))
                .to_string(primitives::Network::kMain),
            hot);

  const CliResult rotated = run_wallet({"rotate-key", hot});
  ASSERT_EQ(rotated.code, kExitOk) << rotated.err;
  const std::string new_key = line_of(run_wallet({"export-pubkey", hot}).out);
  EXPECT_NE(new_key, key_hex);
  // The printed commitment is that of the next key now in the keystore.
  const util::Result<wallet::Keystore> ks = wallet::Keystore::open(keystore_path(), kPass);
  ASSERT_TRUE(ks.is_ok()) << ks.status().to_string();
  const wallet::KeyEntry& entry = ks->keys()[1];
  EXPECT_EQ(rotated.out, "address=" + hot + "\nnew-key=" + new_key + "\nnext-key-commitment=" +
                             util::to_hex(wallet::next_key_commitment(entry.next->scheme,
                                                                      entry.next->public_key)) +
                             "\n");
  EXPECT_EQ(util::to_hex(entry.retired->tagged_public_key()), key_hex);
  EXPECT_EQ(ks->kdf_params(), wallet::kKdfInteractive);
}

TEST_F(CliWallet, KeystoreAndDirectoryAreOwnerOnly) {
  first_key();
  struct stat st {};
  ASSERT_EQ(::stat(keystore_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST_F(CliWallet, NetworkSelectsTheAddressPrefix) {
  const std::string main_address = first_key();
  const CliResult test_net = run_wallet({"--network", "test", "address"});
  ASSERT_EQ(test_net.code, kExitOk) << test_net.err;
  EXPECT_EQ(test_net.out.rfind("tq1", 0), 0u) << test_net.out;
  EXPECT_EQ(run_wallet({"--network", "regtest", "list"}).out.rfind("rq1", 0), 0u);
  // A main-network address is malformed on the test network: a usage error.
  expect_error(run_wallet({"--network", "test", "export-pubkey", main_address}), kExitUsage,
               "prefix 'qp' is not test's 'tq'");
  expect_error(run_wallet({"--network", "nope", "list"}), kExitUsage, "--network");
}

TEST_F(CliWallet, PassphraseFileFirstLineWithoutItsLineBreak) {
  ScopedEnv no_env(kPassphraseEnvVar, nullptr);
  const std::string lf = write_file("lf", std::string(kPass) + "\nsecond line is ignored\n");
  const std::string crlf = write_file("crlf", std::string(kPass) + "\r\n");
  const std::string bare = write_file("bare", kPass);
  const CliResult created =
      run_wallet({"--passphrase-file", lf, "create", "--kdf-cost", "interactive"});
  ASSERT_EQ(created.code, kExitOk) << created.err;
  EXPECT_EQ(run_wallet({"--passphrase-file", crlf, "address"}).out, created.out);
  EXPECT_EQ(run_wallet({"--passphrase-file", bare, "address"}).out, created.out);
  // The option also works after the command name.
  EXPECT_EQ(run_wallet({"address", "--passphrase-file", bare}).out, created.out);
  {
    ScopedEnv env(kPassphraseEnvVar, kPass);
    EXPECT_EQ(run_wallet({"address"}).out, created.out) << "file and environment agree";
  }
  const std::string wrong = write_file("wrong", std::string(kPass) + " \n");
  expect_error(run_wallet({"--passphrase-file", wrong, "list"}), kExitNegative,
               "wrong passphrase or corrupted keystore");
  expect_error(run_wallet({"--passphrase-file", write_file("empty", "\n"), "list"}), kExitUsage,
               "the passphrase is empty");
  expect_error(run_wallet({"--passphrase-file", (root_ / "absent").string(), "list"}), kExitUsage,
               "cannot open --passphrase-file");
  expect_error(run_wallet({"list"}), kExitUsage, "no passphrase: use --passphrase-file");
}

TEST_F(CliWallet, PassphraseLengthAtTheLimitAndOnePast) {
  ScopedEnv no_env(kPassphraseEnvVar, nullptr);
  const std::string longest(wallet::kPassphraseMaxBytes, 'p');
  const CliResult ok = run_wallet({"--passphrase-file", write_file("long", longest + "\n"),
                                   "create", "--kdf-cost", "interactive"});
  EXPECT_EQ(ok.code, kExitOk) << ok.err;
  expect_error(run_wallet({"--passphrase-file", write_file("longer", longest + "p\n"), "list"}),
               kExitUsage, "longer than 1024 bytes");
  ScopedEnv env(kPassphraseEnvVar, (longest + "p").c_str());
  expect_error(run_wallet({"list"}), kExitUsage, "longer than 1024 bytes");
}

TEST_F(CliWallet, WrongEnvironmentPassphraseIsAnOperationalFailure) {
  first_key();
  ScopedEnv env(kPassphraseEnvVar, "not it");
  expect_error(run_wallet({"address"}), kExitNegative, "wrong passphrase or corrupted keystore");
  ScopedEnv empty(kPassphraseEnvVar, "");
  expect_error(run_wallet({"address"}), kExitUsage, "QPOW_WALLET_PASSPHRASE is set but empty");
}

TEST_F(CliWallet, OperationalFailuresExit1) {
  expect_error(run_wallet({"list"}), kExitNegative, "no keystore at");
  expect_error(run_wallet({"address"}), kExitNegative, "create one with 'qpow wallet create'");
  const std::string first = first_key();
  expect_error(run_wallet({"create", "--label", "first"}), kExitNegative,
               "label 'first' is already in use");
  expect_error(run_wallet({"address", "--label", "nope"}), kExitNegative, "no key labelled 'nope'");
  // A well-formed address that the keystore does not hold.
  const std::string other = primitives::Address{}.to_string(primitives::Network::kMain);
  expect_error(run_wallet({"export-pubkey", other}), kExitNegative, "is not in the keystore");
  expect_error(run_wallet({"rotate-key", other}), kExitNegative, "is not in the keystore");
}

TEST_F(CliWallet, MalformedArgumentsExit2) {
  expect_error(run_wallet({"create", "--scheme", "rsa-2048"}), kExitUsage, "--scheme");
  expect_error(run_wallet({"create", "--label", "two\nlines"}), kExitUsage,
               "--label: label: control character 0x0a");
  expect_error(run_wallet({"create", "--label", std::string(wallet::kLabelMaxBytes + 1, 'x')}),
               kExitUsage, "label is 65 bytes, at most 64");
  expect_error(run_wallet({"create", "--kdf-cost", "extreme"}), kExitUsage, "--kdf-cost");
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "nothing is created for a rejected command";
  first_key();
  expect_error(run_wallet({"create", "--kdf-cost", "sensitive"}), kExitUsage,
               "--kdf-cost applies only to a new keystore");
  expect_error(run_wallet({"export-pubkey", "qp1notanaddress"}), kExitUsage, "address");
  expect_error(run_wallet({"rotate-key"}), kExitUsage, "ADDRESS");
  expect_error(run({"wallet"}), kExitUsage, "subcommand");
}

TEST_F(CliWallet, DefaultDirectoryIsDatadirWalletElseHome) {
  {
    ScopedEnv datadir("QPOW_DATADIR", root_.c_str());
    const CliResult r = run({"wallet", "create", "--kdf-cost", "interactive"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    EXPECT_TRUE(std::filesystem::exists(root_ / "wallet" / "keystore.dat"));
  }
  ScopedEnv no_datadir("QPOW_DATADIR", nullptr);
  ScopedEnv home("HOME", (root_ / "home").c_str());
  const CliResult r = run({"wallet", "create", "--kdf-cost", "interactive"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(std::filesystem::exists(root_ / "home" / ".qpow" / "wallet" / "keystore.dat"));
}

TEST_F(CliWallet, HelpDocumentsTheDefaultsAndSources) {
  const CliResult r = run({"help", "wallet"});
  ASSERT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("$QPOW_DATADIR/wallet"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("~/.qpow/wallet"), std::string::npos);
  EXPECT_NE(r.out.find("QPOW_WALLET_PASSPHRASE"), std::string::npos);
  const CliResult create = run({"help", "wallet", "create"});
  EXPECT_NE(create.out.find("interactive"), std::string::npos) << create.out;
}

}  // namespace
}  // namespace qpow::app

namespace qpow::app {
namespace {

TEST_F(CliWallet, SignTxPrintsATransactionSignedByTheKey) {
  const std::string from = first_key();
  const std::string to = line_of(run_wallet({"create", "--label", "to"}).out);
  const CliResult r = run_wallet({"sign-tx", "--from", from, "--to", to, "--amount", "1.5", "--fee",
                                  "0.0002", "--nonce", "0", "--memo", "rent"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto tx = primitives::decode_tx(test::unhex(line_of(r.out)));
  ASSERT_TRUE(tx.is_ok()) << tx.status().to_string();
  EXPECT_EQ(tx->amount, 150'000'000u);
  EXPECT_EQ(tx->fee, 20'000u);
  EXPECT_EQ(tx->chain_id, primitives::chain_id(primitives::Network::kMain));
  EXPECT_EQ(tx->sender, *primitives::parse_address(from, primitives::Network::kMain));
  // Nonce 0: the key travels in the witness, and it is the key the address commits to.
  ASSERT_FALSE(tx->witness.public_key.empty());
  EXPECT_EQ(primitives::Address::from_public_key(tx->witness.scheme, tx->witness.public_key),
            tx->sender);
  EXPECT_TRUE(primitives::verify_tx_signature(*tx, tx->witness.scheme, tx->witness.public_key));

  const CliResult later =
      run_wallet({"sign-tx", "--from", from, "--to", to, "--amount", "1", "--nonce", "7"});
  ASSERT_EQ(later.code, kExitOk) << later.err;
  auto tx7 = primitives::decode_tx(test::unhex(line_of(later.out)));
  ASSERT_TRUE(tx7.is_ok());
  EXPECT_EQ(tx7->nonce, 7u);
  EXPECT_TRUE(tx7->witness.public_key.empty());
}

TEST_F(CliWallet, SignTxRejectsBadArguments) {
  const std::string from = first_key();
  expect_error(run_wallet({"sign-tx", "--from", from, "--to", from, "--amount", "1.000000001",
                           "--nonce", "0"}),
               kExitUsage, "--amount");
  expect_error(run_wallet({"sign-tx", "--from", from, "--to", "qp1nothing", "--amount", "1",
                           "--nonce", "0"}),
               kExitUsage, "--to");
  expect_error(run_wallet({"sign-tx", "--from", from, "--to", from, "--amount", "1", "--nonce", "0",
                           "--memo", std::string(257, 'm')}),
               kExitUsage, "--memo");
  EXPECT_EQ(run_wallet({"sign-tx", "--from", from, "--to", from, "--amount", "1"}).code,
            kExitUsage);
}

TEST_F(CliWallet, RotateKeyWithANonceSignsTheRotation) {
  const std::string address = first_key();
  const CliResult r = run_wallet({"rotate-key", address, "--nonce", "3"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::string marker = "tx=";
  const auto at = r.out.find(marker);
  ASSERT_NE(at, std::string::npos) << r.out;
  auto tx = primitives::decode_tx(
      test::unhex(r.out.substr(at + marker.size(), r.out.find('\n', at) - at - marker.size())));
  ASSERT_TRUE(tx.is_ok()) << tx.status().to_string();
  EXPECT_EQ(tx->kind, primitives::TxKind::kKeyRotation);
  EXPECT_EQ(tx->nonce, 3u);
  ASSERT_TRUE(tx->rotation->next_key_commitment.has_value());
  // --on-chain-commitment at nonce 0 cannot be right: refused, and the keystore is unchanged.
  const std::string before = line_of(run_wallet({"export-pubkey", address}).out);
  expect_error(run_wallet({"rotate-key", address, "--nonce", "0", "--on-chain-commitment"}),
               kExitUsage, "no commitment on chain");
  EXPECT_EQ(line_of(run_wallet({"export-pubkey", address}).out), before);
}

}  // namespace
}  // namespace qpow::app
