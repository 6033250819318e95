// `qpow wallet ...`: the keystore from the command line.
//
//   qpow wallet [--wallet-dir D] [--network main|test|regtest] [--passphrase-file F] <command>
//     create [--scheme NAME] [--label L] [--kdf-cost interactive|moderate|sensitive]
//         adds a key (creating the keystore if there is none) and prints its address
//     address [--label L]
//         the address of the first key, or of the labelled one
//     list
//         one line per key: address, scheme, next-key=yes|no (a next key is committed), label
//     export-pubkey ADDRESS
//         the current key as hex: scheme id byte || public key
//     rotate-key ADDRESS
//         makes the pre-committed next key current and commits to a new next key; prints
//         address=, new-key= (hex as export-pubkey) and next-key-commitment= lines
//     balance [--address A | --label L] [node options]
//         asks the node: one line per key (or for A, which need not be in the keystore):
//         address= balance=<QPOW> balance_units=<base units> nonce= pending= [label=]
//     send --to ADDR --amount X [--fee Y] [--from A] [--memo M] [node options]
//         signs a transfer from A (default: the first key) with the nonce the node gives, as
//         sign-tx does, submits it with sendrawtransaction and prints the txid
//
// Node options (cmd_wallet_rpc.cpp): --datadir D (the node's; its RPC cookie is D/.cookie),
// --rpc-host, --rpc-port (default per --network), --rpc-user/--rpc-password instead of the cookie.
// The keystore is <wallet dir>/keystore.dat; the directory is --wallet-dir, else
// $QPOW_DATADIR/wallet, else ~/.qpow/wallet. Addresses print in the network's bech32m form. Exit
// codes: 0 success, 1 the operation failed (no keystore, wrong passphrase, unknown address),
// 2 a malformed argument or passphrase source; errors are one line on the error stream.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "app/cmd_wallet_rpc.h"
#include "app/command.h"
#include "app/passphrase.h"
#include "crypto/signature_scheme.h"
#include "primitives/address.h"
#include "primitives/amount.h"
#include "primitives/network.h"
#include "primitives/transaction.h"
#include "util/hex.h"
#include "wallet/keystore.h"
#include "wallet/tx_builder.h"

namespace qpow::app {
namespace {

using util::Result;
using util::Status;

constexpr const char* kKeystoreFileName = "keystore.dat";

const std::vector<std::string> kNetworks = {"main", "test", "regtest"};
const std::vector<std::string> kKdfCosts = {"interactive", "moderate", "sensitive"};

struct WalletOptions {
  std::string wallet_dir;
  std::string network = "main";
  std::string passphrase_file;
};

// What every wallet command resolves first; failures here are usage errors (exit 2).
struct Session {
  std::string dir;
  std::string keystore_path;
  primitives::Network network = primitives::Network::kMain;
  PassphraseSource passphrase;
};

Result<std::string> default_wallet_dir() {
  if (const char* datadir = std::getenv("QPOW_DATADIR"); datadir != nullptr && *datadir != '\0') {
    return (std::filesystem::path(datadir) / "wallet").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".qpow" / "wallet").string();
  }
  return Status::invalid_argument(
      "no wallet directory: give --wallet-dir, or set QPOW_DATADIR or HOME");
}

Result<Session> start_session(const WalletOptions& o, const CommandContext& ctx) {
  Session s;
  if (o.wallet_dir.empty()) {
    QPOW_ASSIGN_OR_RETURN(s.dir, default_wallet_dir());
  } else {
    s.dir = o.wallet_dir;
  }
  s.keystore_path = (std::filesystem::path(s.dir) / kKeystoreFileName).string();
  QPOW_ASSIGN_OR_RETURN(s.network, primitives::parse_network(o.network));
  s.passphrase.file = o.passphrase_file;
  // Prompt only when this command reads the process's own terminal (never in-process tests).
  s.passphrase.may_prompt = &ctx.io.in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  return s;
}

// A failed step of a wallet command: what to print and with which exit code.
struct Failure {
  int exit_code = kExitUsage;
  Status status;
};
Failure usage(Status status) {
  return {kExitUsage, std::move(status)};
}
Failure operation(Status status) {
  return {kExitNegative, std::move(status)};
}
int report(const CommandContext& ctx, const Failure& failure) {
  return failure.exit_code == kExitUsage ? fail_usage(ctx, failure.status)
                                         : fail_operation(ctx, failure.status);
}

// A step's value or its failure.
template <class T>
using Outcome = std::variant<T, Failure>;

// Opens the session's keystore. A missing keystore is reported before a passphrase is asked for.
Outcome<wallet::Keystore> open_keystore(const Session& s, const CommandContext& ctx) {
  if (!wallet::path_exists(s.keystore_path)) {
    return operation(Status::not_found(
        fmt::format("no keystore at '{}'; create one with 'qpow wallet create'", s.keystore_path)));
  }
  Result<crypto::SecretBytes> passphrase =
      read_passphrase(s.passphrase, PassphrasePurpose::kUnlock, ctx.io.err);
  if (!passphrase.is_ok()) return usage(passphrase.status());
  Result<wallet::Keystore> keystore =
      wallet::Keystore::open(s.keystore_path, passphrase_text(*passphrase));
  if (!keystore.is_ok()) return operation(keystore.status());
  return std::move(keystore).value();
}

// What export-pubkey and rotate-key start from: the session, the open keystore and ADDRESS,
// which is known to be one of its accounts.
struct AccountCommand {
  Session session;
  wallet::Keystore keystore;
  primitives::Address address;
};

Outcome<AccountCommand> start_account_command(const WalletOptions& w,
                                              const std::string& address_text,
                                              const CommandContext& ctx) {
  Result<Session> s = start_session(w, ctx);
  if (!s.is_ok()) return usage(s.status());
  const Result<primitives::Address> address = primitives::parse_address(address_text, s->network);
  if (!address.is_ok()) return usage(address.status());
  Outcome<wallet::Keystore> keystore = open_keystore(*s, ctx);
  if (auto* failure = std::get_if<Failure>(&keystore)) return std::move(*failure);
  auto& opened = std::get<wallet::Keystore>(keystore);
  if (opened.find(*address) == nullptr) {
    return operation(Status::not_found(fmt::format(
        "{} is not in the keystore '{}'", address->to_string(s->network), s->keystore_path)));
  }
  return AccountCommand{std::move(s).value(), std::move(opened), *address};
}

struct CreateOptions {
  std::string scheme{crypto::scheme_info(crypto::kDefaultScheme).name};
  std::string label;
  std::string kdf_cost = "moderate";
  CLI::Option* kdf_cost_opt = nullptr;
};

wallet::KdfParams kdf_params_for(const std::string& cost) {
  if (cost == "interactive") return wallet::kKdfInteractive;
  if (cost == "sensitive") return wallet::kKdfSensitive;
  return wallet::kKdfModerate;
}

// Creates the wallet directory (owner-only) if it does not exist yet.
Status ensure_directory(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::ok();
  std::filesystem::create_directories(dir, ec);
  if (!ec) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (ec) {
    return Status::io_error(
        fmt::format("cannot create the wallet directory '{}': {}", dir, ec.message()));
  }
  return Status::ok();
}

Outcome<wallet::Keystore> create_keystore(const Session& s, const CreateOptions& o,
                                          const CommandContext& ctx) {
  Result<crypto::SecretBytes> passphrase =
      read_passphrase(s.passphrase, PassphrasePurpose::kNew, ctx.io.err);
  if (!passphrase.is_ok()) return usage(passphrase.status());
  if (const Status made = ensure_directory(s.dir); !made.is_ok()) return operation(made);
  Result<wallet::Keystore> keystore = wallet::Keystore::create(
      s.keystore_path, passphrase_text(*passphrase), {.kdf = kdf_params_for(o.kdf_cost)});
  if (!keystore.is_ok()) return operation(keystore.status());
  return std::move(keystore).value();
}

// Validates the arguments, then opens the keystore or creates it.
Outcome<wallet::Keystore> keystore_for_create(const Session& s, const CreateOptions& o,
                                              const CommandContext& ctx) {
  if (const Status label = wallet::check_label(o.label); !label.is_ok()) {
    return usage(label.with_context("--label"));
  }
  if (!wallet::path_exists(s.keystore_path)) return create_keystore(s, o, ctx);
  if (o.kdf_cost_opt->count() > 0) {
    return usage(Status::invalid_argument(fmt::format(
        "--kdf-cost applies only to a new keystore, and '{}' exists", s.keystore_path)));
  }
  return open_keystore(s, ctx);
}

int run_create(const WalletOptions& w, const CreateOptions& o, const CommandContext& ctx) {
  const Result<Session> s = start_session(w, ctx);
  if (!s.is_ok()) return fail_usage(ctx, s.status());
  const Result<const crypto::SchemeInfo*> scheme = crypto::find_scheme(std::string_view(o.scheme));
  if (!scheme.is_ok()) return fail_usage(ctx, scheme.status().with_context("--scheme"));
  Outcome<wallet::Keystore> opened = keystore_for_create(*s, o, ctx);
  if (const auto* failure = std::get_if<Failure>(&opened)) return report(ctx, *failure);
  wallet::Keystore& keystore = std::get<wallet::Keystore>(opened);
  const Result<primitives::Address> address = keystore.add_key((*scheme)->id, o.label);
  if (!address.is_ok()) return fail_operation(ctx, address.status());
  if (const Status saved = keystore.save(); !saved.is_ok()) return fail_operation(ctx, saved);
  ctx.io.out << address->to_string(s->network) << '\n';
  return kExitOk;
}

// The first account, or the one labelled `label`.
Outcome<const wallet::KeyEntry*> select_account(const wallet::Keystore& keystore,
                                                const std::string& label) {
  if (!label.empty()) {
    const wallet::KeyEntry* entry = keystore.find_label(label);
    if (entry == nullptr) {
      return operation(Status::not_found(fmt::format("no key labelled '{}'", label)));
    }
    return entry;
  }
  if (keystore.keys().empty()) {
    return operation(
        Status::not_found("the keystore has no keys; add one with 'qpow wallet create'"));
  }
  return &keystore.keys().front();
}

int run_address(const WalletOptions& w, const std::string& label, const CommandContext& ctx) {
  const Result<Session> s = start_session(w, ctx);
  if (!s.is_ok()) return fail_usage(ctx, s.status());
  const Outcome<wallet::Keystore> opened = open_keystore(*s, ctx);
  if (const auto* failure = std::get_if<Failure>(&opened)) return report(ctx, *failure);
  const Outcome<const wallet::KeyEntry*> entry =
      select_account(std::get<wallet::Keystore>(opened), label);
  if (const auto* failure = std::get_if<Failure>(&entry)) return report(ctx, *failure);
  ctx.io.out << std::get<const wallet::KeyEntry*>(entry)->address.to_string(s->network) << '\n';
  return kExitOk;
}

int run_list(const WalletOptions& w, const CommandContext& ctx) {
  const Result<Session> s = start_session(w, ctx);
  if (!s.is_ok()) return fail_usage(ctx, s.status());
  const Outcome<wallet::Keystore> opened = open_keystore(*s, ctx);
  if (const auto* failure = std::get_if<Failure>(&opened)) return report(ctx, *failure);
  for (const wallet::KeyEntry& e : std::get<wallet::Keystore>(opened).keys()) {
    std::string line =
        fmt::format("{}  {:<24}  next-key={:<3}  {}", e.address.to_string(s->network),
                    crypto::scheme_info(e.current.scheme).name, e.next ? "yes" : "no", e.label);
    while (line.back() == ' ') line.pop_back();
    ctx.io.out << line << '\n';
  }
  return kExitOk;
}

int run_export_pubkey(const WalletOptions& w, const std::string& address,
                      const CommandContext& ctx) {
  const Outcome<AccountCommand> started = start_account_command(w, address, ctx);
  if (const auto* failure = std::get_if<Failure>(&started)) return report(ctx, *failure);
  const AccountCommand& c = std::get<AccountCommand>(started);
  ctx.io.out << util::to_hex(c.keystore.find(c.address)->current.tagged_public_key()) << '\n';
  return kExitOk;
}

// Fee, nonce and memo of a transaction the wallet signs, as typed.
struct TxOptions {
  std::string fee = "0.0001";
  std::uint64_t nonce = 0;
  std::string memo;
  CLI::Option* nonce_opt = nullptr;
};

Outcome<wallet::TxTerms> tx_terms(const TxOptions& o, primitives::Network network) {
  const Result<std::uint64_t> fee = primitives::parse_amount(o.fee);
  if (!fee.is_ok()) return usage(fee.status().with_context("--fee"));
  if (o.memo.size() > primitives::kTxMemoBytesMax) {
    return usage(Status::out_of_range(fmt::format("--memo: {} bytes, the limit is {}",
                                                  o.memo.size(), primitives::kTxMemoBytesMax)));
  }
  return wallet::TxTerms{.chain_id = primitives::chain_id(network),
                         .nonce = o.nonce,
                         .fee = *fee,
                         .memo = util::to_bytes(util::as_bytes(o.memo))};
}

struct RotateOptions {
  std::string address;
  TxOptions tx;
  bool on_chain_commitment = false;
};

int run_rotate_key(const WalletOptions& w, const RotateOptions& o, const CommandContext& ctx) {
  Outcome<AccountCommand> started = start_account_command(w, o.address, ctx);
  if (const auto* failure = std::get_if<Failure>(&started)) return report(ctx, *failure);
  AccountCommand& c = std::get<AccountCommand>(started);
  const Outcome<wallet::TxTerms> terms = tx_terms(o.tx, c.session.network);
  if (const auto* failure = std::get_if<Failure>(&terms)) return report(ctx, *failure);
  const Result<wallet::Rotation> rotation = c.keystore.rotate(c.address);
  if (!rotation.is_ok()) return fail_operation(ctx, rotation.status());
  // With --nonce, the announcing transaction is signed before anything is saved, so a failure
  // leaves the keystore as it was.
  std::optional<primitives::Transaction> tx;
  if (*o.tx.nonce_opt) {
    const auto signer = o.on_chain_commitment ? wallet::RotationSigner::kCommittedKey
                                              : wallet::RotationSigner::kOldKey;
    Result<primitives::Transaction> built =
        wallet::build_rotation(*rotation, signer, std::get<wallet::TxTerms>(terms));
    if (!built.is_ok()) return fail_usage(ctx, built.status());
    tx = std::move(built).value();
  }
  // The new keys are on disk before anything about them leaves the process.
  if (const Status saved = c.keystore.save(); !saved.is_ok()) return fail_operation(ctx, saved);
  ctx.io.out << "address=" << rotation->address.to_string(c.session.network) << '\n';
  ctx.io.out << "new-key=" << util::to_hex(rotation->new_key.tagged_public_key()) << '\n';
  ctx.io.out << "next-key-commitment=" << util::to_hex(rotation->next_commitment) << '\n';
  if (tx) ctx.io.out << "tx=" << util::to_hex(primitives::encode_tx(*tx)) << '\n';
  return kExitOk;
}

struct SignTxOptions {
  std::string from;
  std::string to;
  std::string amount;
  TxOptions tx;
};

int run_sign_tx(const WalletOptions& w, const SignTxOptions& o, const CommandContext& ctx) {
  Outcome<AccountCommand> started = start_account_command(w, o.from, ctx);
  if (const auto* failure = std::get_if<Failure>(&started)) return report(ctx, *failure);
  const AccountCommand& c = std::get<AccountCommand>(started);
  const Result<primitives::Address> to = primitives::parse_address(o.to, c.session.network);
  if (!to.is_ok()) return fail_usage(ctx, to.status().with_context("--to"));
  const Result<std::uint64_t> amount = primitives::parse_amount(o.amount);
  if (!amount.is_ok()) return fail_usage(ctx, amount.status().with_context("--amount"));
  const Outcome<wallet::TxTerms> terms = tx_terms(o.tx, c.session.network);
  if (const auto* failure = std::get_if<Failure>(&terms)) return report(ctx, *failure);
  const Result<primitives::Transaction> tx = wallet::build_transfer(
      *c.keystore.find(c.address), *to, *amount, std::get<wallet::TxTerms>(terms));
  if (!tx.is_ok()) return fail_usage(ctx, tx.status());
  ctx.io.out << util::to_hex(primitives::encode_tx(*tx)) << '\n';
  return kExitOk;
}

void add_tx_options(CLI::App& cmd, TxOptions& o) {
  cmd.add_option("--fee", o.fee, "Fee in QPOW (8 decimals)")->capture_default_str();
  o.nonce_opt = cmd.add_option("--nonce", o.nonce,
                               "The account's next nonce (its count of sent transactions)");
  cmd.add_option("--memo", o.memo, "Up to 256 bytes of text carried with the transaction");
}

void add_transaction_commands(CLI::App& wallet, std::shared_ptr<WalletOptions> w,
                              CommandContext& ctx) {
  auto sign = std::make_shared<SignTxOptions>();
  CLI::App* sign_cmd = wallet.add_subcommand(
      "sign-tx", "Build and sign a transfer offline; prints the transaction as hex");
  sign_cmd->add_option("--from", sign->from, "The sending address (in this keystore)")->required();
  sign_cmd->add_option("--to", sign->to, "The recipient's address")->required();
  sign_cmd->add_option("--amount", sign->amount, "Amount in QPOW (8 decimals)")->required();
  add_tx_options(*sign_cmd, sign->tx);
  sign->tx.nonce_opt->required();
  sign_cmd->fallthrough();
  sign_cmd->callback([w, sign, &ctx] { ctx.exit_code = run_sign_tx(*w, *sign, ctx); });

  auto rotate = std::make_shared<RotateOptions>();
  CLI::App* rotate_cmd = wallet.add_subcommand(
      "rotate-key",
      "Make the pre-committed next key of ADDRESS current and commit to a new next key; prints "
      "the new key (hex, as export-pubkey) and the new commitment, and with --nonce the signed "
      "rotation transaction (tx=<hex>)");
  rotate_cmd->add_option("ADDRESS", rotate->address, "An address in this keystore")->required();
  add_tx_options(*rotate_cmd, rotate->tx);
  rotate_cmd->add_flag("--on-chain-commitment", rotate->on_chain_commitment,
                       "The account's commitment is on chain (a rotation of this wallet was "
                       "included before): sign with the committed key, not the old one");
  rotate_cmd->fallthrough();
  rotate_cmd->callback([w, rotate, &ctx] { ctx.exit_code = run_rotate_key(*w, *rotate, ctx); });
}

void add_create(CLI::App& wallet, std::shared_ptr<WalletOptions> w, CommandContext& ctx) {
  auto o = std::make_shared<CreateOptions>();
  CLI::App* cmd = wallet.add_subcommand(
      "create",
      "Add a new key (and its pre-committed next key); creates the keystore if needed "
      "and prints the key's address");
  cmd->add_option("--scheme", o->scheme, "Signature scheme (see `qpow crypto schemes`)")
      ->capture_default_str();
  cmd->add_option("--label", o->label, "A name for the key, unique in the keystore");
  o->kdf_cost_opt =
      cmd->add_option("--kdf-cost", o->kdf_cost,
                      "Argon2id cost of a new keystore: interactive (64 MiB), moderate (256 MiB) "
                      "or sensitive (1 GiB)")
          ->capture_default_str()
          ->check(CLI::IsMember(kKdfCosts));
  cmd->fallthrough();
  cmd->callback([w, o, &ctx] { ctx.exit_code = run_create(*w, *o, ctx); });
}

void add_query_commands(CLI::App& wallet, std::shared_ptr<WalletOptions> w, CommandContext& ctx) {
  auto label = std::make_shared<std::string>();
  CLI::App* address =
      wallet.add_subcommand("address", "Print the address of the first key, or of --label's");
  address->add_option("--label", *label, "The key's label");
  address->fallthrough();
  address->callback([w, label, &ctx] { ctx.exit_code = run_address(*w, *label, ctx); });

  CLI::App* list = wallet.add_subcommand(
      "list", "One line per key: address, scheme, whether a next key is committed, label");
  list->fallthrough();
  list->callback([w, &ctx] { ctx.exit_code = run_list(*w, ctx); });

  auto pubkey_target = std::make_shared<std::string>();
  CLI::App* pubkey = wallet.add_subcommand(
      "export-pubkey", "Print the key of ADDRESS as hex: scheme id byte, then the public key");
  pubkey->add_option("ADDRESS", *pubkey_target, "An address in this keystore")->required();
  pubkey->fallthrough();
  pubkey->callback(
      [w, pubkey_target, &ctx] { ctx.exit_code = run_export_pubkey(*w, *pubkey_target, ctx); });
}

// The session handling the node commands share with the offline ones (cmd_wallet_rpc.h).
WalletAccess wallet_access(std::shared_ptr<WalletOptions> w, CommandContext& ctx) {
  WalletAccess access;
  access.network = [w] { return primitives::parse_network(w->network); };
  access.open = [w, &ctx]() -> std::variant<OpenedWallet, int> {
    Result<Session> s = start_session(*w, ctx);
    if (!s.is_ok()) return fail_usage(ctx, s.status());
    Outcome<wallet::Keystore> opened = open_keystore(*s, ctx);
    if (const auto* failure = std::get_if<Failure>(&opened)) return report(ctx, *failure);
    return OpenedWallet{s->network, std::move(std::get<wallet::Keystore>(opened))};
  };
  return access;
}

}  // namespace

void add_wallet_command(CLI::App& app, CommandContext& ctx) {
  auto w = std::make_shared<WalletOptions>();
  CLI::App* wallet = app.add_subcommand("wallet", "Keys and addresses in an encrypted keystore");
  wallet->require_subcommand(1);
  wallet->add_option("--wallet-dir", w->wallet_dir,
                     "Wallet directory (default: $QPOW_DATADIR/wallet if QPOW_DATADIR is set, "
                     "else ~/.qpow/wallet); the keystore is its keystore.dat");
  wallet->add_option("--network", w->network, "Network of the addresses shown and accepted")
      ->capture_default_str()
      ->check(CLI::IsMember(kNetworks));
  wallet->add_option("--passphrase-file", w->passphrase_file,
                     "Read the passphrase from the first line of this file");
  wallet->footer(fmt::format(
      "The passphrase comes from --passphrase-file, else ${}, else a prompt on the terminal.\n"
      "Exit codes: 0 success, 1 the operation failed, 2 a malformed argument.",
      kPassphraseEnvVar));
  add_create(*wallet, w, ctx);
  add_query_commands(*wallet, w, ctx);
  add_transaction_commands(*wallet, w, ctx);
  add_wallet_node_commands(*wallet, wallet_access(w, ctx), ctx);
}

}  // namespace qpow::app
