#!/usr/bin/env python3
"""Transaction relay: a transfer signed offline by `qpow wallet sign-tx` and sent to node0 reaches
the mempools of all three nodes (0-1-2 in a line); node2 mines it; every mempool empties and
every node shows the recipient's amount and the sender's new balance and nonce."""

import framework
from framework import COIN


class TxRelay(framework.FunctionalTest):
    num_nodes = 3

    def run_test(self):
        node0, node1, node2 = self.nodes
        sender = self.wallet.new_address("sender")
        recipient = self.wallet.new_address("recipient")
        other_miner = self.wallet.new_address("node2-miner")

        self.log("node0 mines 3 blocks to the sender")
        node0.generate(3, sender)
        self.sync_blocks(height=3)
        for n in self.nodes:
            self.check_equal(n.balance(recipient), 0, "{} recipient balance before".format(n.name))
        funds = node0.balance(sender)
        self.check(funds > 0, "the sender got no mining reward",
                   node0.rpc("getaccount", sender))
        for n in self.nodes:
            self.check_equal(n.balance(sender), funds, "{} sender balance".format(n.name))

        amount = 12 * COIN + COIN // 2
        fee = COIN // 1000
        nonce = node0.next_nonce(sender)
        self.log("signing {} QPOW (fee {}) with nonce {}".format(
            framework.units_to_text(amount), framework.units_to_text(fee), nonce))
        tx_hex = self.wallet.sign_transfer(sender, recipient, amount, nonce, fee)
        txid = node0.rpc("sendrawtransaction", tx_hex)
        self.log("node0 accepted {}".format(txid))

        for n in self.nodes:
            framework.wait_until(lambda n=n: txid in n.mempool(), timeout=20,
                                 what="{} to have {} in its mempool".format(n.name, txid),
                                 describe=lambda n=n: "{} mempool {}".format(
                                     n.name, n.rpc("getrawmempool")))
        info = node2.rpc("getmempoolinfo")
        self.check_equal(info["size"], 1, "node2 getmempoolinfo size")
        for n in self.nodes:
            account = n.rpc("getaccount", sender)
            self.check_equal((account["mempool_pending"], account["next_nonce"]), (1, nonce + 1),
                             "{} sender (mempool_pending, next_nonce)".format(n.name))

        self.log("node2 mines the transaction")
        block_hash = node2.generate(1, other_miner)[0]
        self.sync_blocks(height=4)
        block = node0.rpc("getblock", block_hash)
        txids = [t if isinstance(t, str) else t.get("txid", t.get("hash")) for t in block["tx"]]
        self.check(txid in txids, "the mined block does not carry the transfer", block)
        for n in self.nodes:
            framework.wait_until(lambda n=n: n.mempool() == [], timeout=20,
                                 what="{}'s mempool to empty".format(n.name),
                                 describe=lambda n=n: str(n.rpc("getrawmempool")))
        for n in self.nodes:
            self.check_equal(n.balance(recipient), amount, "{} recipient balance".format(n.name))
            self.check_equal(n.balance(sender), funds - amount - fee,
                             "{} sender balance".format(n.name))
            self.check_equal(n.nonce(sender), nonce + 1, "{} sender nonce".format(n.name))
            self.check(n.balance(other_miner) >= fee,
                       "{}: node2's miner did not collect the fee".format(n.name),
                       n.rpc("getaccount", other_miner))

        self.log("the same transaction again is refused")
        try:
            node1.rpc("sendrawtransaction", tx_hex)
        except framework.RpcError as e:
            self.log("refused as expected: code {}: {}".format(e.code, e.message))
        else:
            raise framework.TestFailure("node1 accepted a transaction already in a block")
        self.check_equal(node1.mempool(), [], "node1 mempool after the replay")


if __name__ == "__main__":
    framework.run(TxRelay)
