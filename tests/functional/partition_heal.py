#!/usr/bin/env python3
"""Partition and heal: four nodes in a line 0-1-2-3 share 3 blocks; the link 1-2 is cut with
disconnectnode (and node3 goes offline and back with setnetworkactive while split); side A (0, 1)
mines 2 blocks, side B (2, 3) mines 5 carrying a transfer; after addnode 2->1 every node ends on
side B's tip (the most work) and the balances agree everywhere, side A's rewards gone."""

import framework
from framework import COIN


class PartitionHeal(framework.FunctionalTest):
    num_nodes = 4

    def run_test(self):
        node0, node1, node2, node3 = self.nodes
        side_a, side_b = [node0, node1], [node2, node3]
        sender = self.wallet.new_address("sender")
        recipient = self.wallet.new_address("recipient")
        miner_a = self.wallet.new_address("miner-a")
        miner_b = self.wallet.new_address("miner-b")
        watched = [sender, recipient, miner_a, miner_b]

        self.log("3 shared blocks")
        node0.generate(3, sender)
        self.sync_blocks(height=3)
        shared_tip = node0.tip()[1]
        funds = node0.balance(sender)

        self.log("split: node2 disconnects node1")
        node2.rpc("disconnectnode", node1.p2p_addr)
        framework.wait_until(
            lambda: node1.p2p_addr not in node2.peer_addrs() and len(node1.peers()) == 1
            and len(node2.peers()) == 1,
            timeout=20, what="nodes 1 and 2 to drop each other",
            describe=lambda: "node1 peers {}; node2 peers {}".format(
                node1.rpc("getpeerinfo"), node2.rpc("getpeerinfo")))
        self.check_equal(node1.peer_addrs(), [node0.p2p_addr], "node1's peers while split")
        self.check(framework.peer_inbound(node2.peers()[0]),
                   "node2's only peer should be node3's inbound link", node2.rpc("getpeerinfo"))

        self.log("node3 turns its network off and on again")
        node3.rpc("setnetworkactive", False)
        self.wait_for_peer_count(node3, 0)
        self.wait_for_peer_count(node2, 0)
        node3.rpc("setnetworkactive", True)
        self.wait_for_link(node3, node2)
        self.wait_for_peer_count(node2, 1)

        self.log("side A (0, 1) mines 2 blocks")
        node0.generate(2, miner_a)
        tip_a = self.sync_blocks(side_a, height=5)[1]

        self.log("side B (2, 3) gets a transfer and mines 5 blocks")
        amount = 7 * COIN
        fee = COIN // 1000
        nonce = node3.next_nonce(sender)
        tx_hex = self.wallet.sign_transfer(sender, recipient, amount, nonce, fee)
        txid = node3.rpc("sendrawtransaction", tx_hex)
        framework.wait_until(lambda: txid in node2.mempool(), timeout=20,
                             what="node2 to receive the transfer from node3")
        node2.generate(5, miner_b)
        tip_b = self.sync_blocks(side_b, height=8)[1]
        for n in side_b:
            framework.wait_until(lambda n=n: n.mempool() == [], timeout=20,
                                 what="{}'s mempool to empty".format(n.name))
        self.check(tip_a != tip_b, "the two sides should have different tips")
        for n in side_a:
            self.check_equal(n.tip(), (5, tip_a), "{} tip while split".format(n.name))
            self.check(txid not in n.mempool(),
                       "{} got side B's transaction across the partition".format(n.name))
            self.check_equal(n.balance(recipient), 0, "{} recipient balance on side A".format(
                n.name))
        self.check_equal(node0.rpc("getblockhash", 3), shared_tip, "node0 shared block 3")
        self.check_equal(node3.rpc("getblockhash", 3), shared_tip, "node3 shared block 3")

        self.log("heal: node2 adds node1 back")
        node2.rpc("addnode", node1.p2p_addr, "add")
        self.wait_for_link(node2, node1)
        self.sync_blocks(height=8, timeout=30)
        for n in self.nodes:
            self.check_equal(n.tip(), (8, tip_b), "{} tip after healing".format(n.name))
        for n in self.nodes:
            framework.wait_until(lambda n=n: n.mempool() == [], timeout=20,
                                 what="{}'s mempool to empty after the reorg".format(n.name),
                                 describe=lambda n=n: str(n.rpc("getrawmempool")))

        balances = {n.name: {a: n.balance(a) for a in watched} for n in self.nodes}
        self.check(all(b == balances["node0"] for b in balances.values()),
                   "balances differ between nodes", balances)
        b = balances["node0"]
        self.check_equal(b[miner_a], 0, "side A miner's balance after the reorg")
        self.check_equal(b[recipient], amount, "recipient balance")
        self.check_equal(b[sender], funds - amount - fee, "sender balance")
        self.check(b[miner_b] > 0, "side B miner has no rewards", balances)
        self.check_equal(node0.nonce(sender), 1, "sender nonce on node0")


if __name__ == "__main__":
    framework.run(PartitionHeal)
