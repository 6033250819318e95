// Internal to the app layer: how subcommands plug into the CLI11 parser. Each cmd_<name>.cpp
// defines one add_<name>_command() that adds its subcommand to the parser and sets a callback
// that runs the command and stores its exit code in the context.
#pragma once

#include <string_view>

#include "app/cli.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace qpow::app {

struct CommandContext {
  Io io;
  int exit_code = kExitOk;
};

// Prints "qpow: error: <message>" on the error stream and returns kExitUsage.
int fail_usage(const CommandContext& ctx, std::string_view message);
int fail_usage(const CommandContext& ctx, const util::Status& status);
// Prints "qpow: error: <message>" and returns kExitNegative: for an operation that could not be
// carried out (a missing keystore, a wrong passphrase), as opposed to a malformed argument.
int fail_operation(const CommandContext& ctx, const util::Status& status);

void add_crypto_command(CLI::App& app, CommandContext& ctx);
// keygen / sign / verify / schemes under `qpow crypto` (cmd_crypto_sign.cpp).
void add_crypto_signature_commands(CLI::App& crypto, CommandContext& ctx);
// `qpow wallet` (cmd_wallet.cpp).
void add_wallet_command(CLI::App& app, CommandContext& ctx);
// `qpow mine` (cmd_mine.cpp).
void add_mine_command(CLI::App& app, CommandContext& ctx);
// `qpow node` (cmd_node.cpp).
void add_node_command(CLI::App& app, CommandContext& ctx);
// `qpow bench make-chain` and `validate-chain` (cmd_bench_chain.cpp).
void add_bench_chain_commands(CLI::App& bench, CommandContext& ctx);
// `qpow sim` (cmd_sim.cpp).
void add_sim_command(CLI::App& app, CommandContext& ctx);
// `qpow bench` (cmd_bench.cpp).
void add_bench_command(CLI::App& app, CommandContext& ctx);

}  // namespace qpow::app
