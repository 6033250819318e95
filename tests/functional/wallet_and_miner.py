#!/usr/bin/env python3
"""The wallet and the miner as a user runs them against a node: `qpow mine` (no --standalone)
mines 3 blocks for node0 over its RPC to a wallet address; `qpow wallet balance` shows the
rewards; `qpow wallet send` sends twice in a row (the second send takes its nonce from the
mempool's pending count); node0 mines one block and `qpow wallet balance` shows the recipient's
amount and the sender's new balance and nonce. Then the error paths a user meets first: the node
not running, and a transfer larger than the balance."""

import os
import subprocess

import framework
from framework import COIN


def fields(line):
    """A `key=value key=value` line as a dict."""
    return dict(word.split("=", 1) for word in line.split() if "=" in word)


class WalletAndMiner(framework.FunctionalTest):
    num_nodes = 1

    def qpow(self, *args, expect_code=0):
        """Runs qpow with the wallet's passphrase in the environment; returns (stdout, stderr)."""
        env = dict(os.environ, QPOW_WALLET_PASSPHRASE=framework.Wallet.PASSPHRASE)
        cmd = [self.options.qpow] + list(args)
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != expect_code:
            raise framework.TestFailure("`{}` exited with {} (expected {}):\nstdout: {}\n"
                                        "stderr: {}".format(" ".join(cmd[1:]), result.returncode,
                                                            expect_code, result.stdout.strip(),
                                                            result.stderr.strip()))
        return result.stdout, result.stderr

    def node_options(self, node):
        return ["--network", "regtest", "--datadir", node.datadir,
                "--rpc-port", str(node.rpc_port)]

    def wallet_cmd(self, node, *args, expect_code=0):
        base = ["wallet", "--wallet-dir", self.wallet.directory, "--network", "regtest"]
        # --network belongs to `qpow wallet` itself; the node options follow the subcommand.
        return self.qpow(*(base + list(args) + self.node_options(node)[2:]),
                         expect_code=expect_code)

    def balances(self, node, *args):
        """`qpow wallet balance` as {address: fields}."""
        out, _ = self.wallet_cmd(node, "balance", *args)
        lines = [fields(line) for line in out.splitlines() if line.strip()]
        return {f["address"]: f for f in lines}

    def run_test(self):
        node0 = self.nodes[0]
        miner = self.wallet.new_address("miner")
        recipient = self.wallet.new_address("recipient")

        self.log("qpow mine --blocks 3 for node0 over RPC")
        out, _ = self.qpow("mine", "--blocks", "3", "--miner-address", miner, "--threads", "2",
                           *self.node_options(node0))
        lines = [fields(line) for line in out.splitlines() if line.strip()]
        self.check_equal([int(f["height"]) for f in lines], [1, 2, 3], "mined heights")
        height, best = node0.tip()
        self.check_equal((height, best), (3, lines[-1]["hash"]), "node0 tip after mining")

        self.log("qpow wallet balance shows the rewards")
        shown = self.balances(node0)
        funds = node0.balance(miner)
        self.check(funds > 0, "the miner got no reward", node0.rpc("getaccount", miner))
        self.check_equal(int(shown[miner]["balance_units"]), funds, "miner balance_units")
        self.check_equal(shown[miner]["balance"], framework.units_to_text(funds).rstrip("0")
                         .rstrip("."), "miner balance text")
        self.check_equal(shown[miner]["label"], "miner", "miner label")
        self.check_equal(int(shown[recipient]["balance_units"]), 0, "recipient balance before")

        first, second, fee = 12 * COIN + COIN // 2, 3 * COIN, COIN // 1000
        self.log("two sends in a row from the miner to the recipient")
        txids = []
        for amount in (first, second):
            out, _ = self.wallet_cmd(node0, "send", "--from", miner, "--to", recipient,
                                     "--amount", framework.units_to_text(amount),
                                     "--fee", framework.units_to_text(fee), "--memo", "functional")
            txids.append(out.strip())
        self.check_equal(sorted(node0.mempool()), sorted(txids), "node0 mempool")
        pending = self.balances(node0, "--label", "miner")[miner]
        self.check_equal((pending["nonce"], pending["pending"]), ("0", "2"),
                         "miner nonce and pending before the block")

        self.log("node0 mines one block with both transfers")
        node0.generate(1, miner)
        framework.wait_until(lambda: node0.mempool() == [], timeout=20,
                             what="node0's mempool to empty",
                             describe=lambda: str(node0.rpc("getrawmempool")))
        after = self.balances(node0, "--address", recipient)[recipient]
        self.check_equal(int(after["balance_units"]), first + second, "recipient balance")
        self.check_equal(node0.balance(recipient), first + second, "recipient balance (RPC)")
        mined = self.balances(node0, "--label", "miner")[miner]
        self.check_equal(int(mined["nonce"]), 2, "miner nonce after the block")
        reward = node0.balance(miner) - (funds - first - second - 2 * fee)
        self.check(reward > 0, "the fourth block's reward did not reach the miner",
                   node0.rpc("getaccount", miner))

        self.log("a transfer above the balance is refused before it reaches the node")
        _, err = self.wallet_cmd(node0, "send", "--from", recipient, "--to", miner,
                                 "--amount", framework.units_to_text(first + second),
                                 expect_code=1)
        self.check("confirmed; the transfer needs" in err, "unexpected refusal", err)
        self.check_equal(node0.mempool(), [], "node0 mempool after the refusal")

        self.log("with the node stopped, mine and balance say so")
        node0.stop()
        _, err = self.qpow("mine", "--blocks", "1", "--miner-address", miner,
                           *self.node_options(node0), expect_code=1)
        self.check("no RPC cookie at" in err and "is the node running?" in err,
                   "unexpected error from qpow mine", err)
        out, err = self.wallet_cmd(node0, "balance", "--address", miner, "--rpc-user", "u",
                                   "--rpc-password", "p", expect_code=1)
        self.check("cannot reach the node's RPC at 127.0.0.1:{}: connection refused".format(
            node0.rpc_port) in err, "unexpected error from qpow wallet balance", err)


if __name__ == "__main__":
    framework.run(WalletAndMiner)
