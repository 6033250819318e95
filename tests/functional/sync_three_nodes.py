#!/usr/bin/env python3
"""Three nodes sync: node0 mines 20 blocks alone, then node1 connects to node0 and node2 to node1;
all three reach node0's best block, and a block mined at the far end travels back."""

import framework


class SyncThreeNodes(framework.FunctionalTest):
    num_nodes = 3

    def setup_network(self):
        self.add_nodes(3)
        self.nodes[0].start()

    def run_test(self):
        node0, node1, node2 = self.nodes
        miner = self.wallet.new_address("miner")

        self.log("node0 mines 20 blocks on its own")
        hashes = node0.generate(20, miner)
        height, best = node0.tip()
        self.check_equal(height, 20, "node0 height after generatetoaddress(20)")
        self.check_equal(best, hashes[-1], "node0 best block vs the last generated hash")
        self.check_equal(node0.rpc("getblockcount"), 20, "node0 getblockcount")
        self.check_equal(node0.rpc("getbestblockhash"), best, "node0 getbestblockhash")

        self.log("node1 connects to node0, node2 to node1")
        node1.launch(connect=[node0.p2p_addr])
        node2.launch(connect=[node1.p2p_addr])
        node1.wait_ready()
        node2.wait_ready()
        self.wait_for_link(node1, node0)
        self.wait_for_link(node2, node1)

        self.sync_blocks(height=20)
        self.log("all three at height 20, best {}".format(best))
        for h in (0, 1, 10, 19, 20):
            answers = [n.rpc("getblockhash", h) for n in self.nodes]
            self.check(len(set(answers)) == 1, "getblockhash({}) differs".format(h), answers)
        self.check_equal(node2.rpc("getblockhash", 20), best, "node2 getblockhash(20)")
        for i, h in enumerate(hashes, start=1):
            self.check_equal(node2.rpc("getblockhash", i), h, "node2 block at height {}".format(i))

        self.log("node2 mines one block; it reaches node0 through node1")
        tip = node2.generate(1, miner)[0]
        self.sync_blocks(height=21)
        self.check_equal(node0.rpc("getbestblockhash"), tip, "node0 best after node2 mined")

        self.log("every node stops cleanly")
        for n in self.nodes:
            n.stop()


if __name__ == "__main__":
    framework.run(SyncThreeNodes)
