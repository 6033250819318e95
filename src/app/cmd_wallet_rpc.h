// Internal to the app layer: `qpow wallet balance` and `qpow wallet send`, the wallet commands
// that ask a running node (over its RPC, rpc_client.h) what the keystore cannot know: balances,
// nonces, the key the chain holds. cmd_wallet.cpp registers them and lends them its own session
// handling, so the wallet directory, network and passphrase resolve exactly as for the offline
// commands.
#pragma once

#include <functional>
#include <variant>

#include "app/command.h"
#include "primitives/network.h"
#include "util/result.h"
#include "wallet/keystore.h"

namespace qpow::app {

struct OpenedWallet {
  primitives::Network network = primitives::Network::kMain;
  wallet::Keystore keystore;
};

// What `qpow wallet`'s own options (--wallet-dir, --network, --passphrase-file) give the node
// commands; both functions are called while the command runs, after parsing.
struct WalletAccess {
  // The wallet's --network.
  std::function<util::Result<primitives::Network>()> network;
  // Opens the keystore, reading the passphrase as every wallet command does. On failure the
  // error line is already printed and the exit code is returned instead.
  std::function<std::variant<OpenedWallet, int>()> open;
};

// Adds `balance` and `send` under `wallet`.
void add_wallet_node_commands(CLI::App& wallet, WalletAccess access, CommandContext& ctx);

}  // namespace qpow::app
