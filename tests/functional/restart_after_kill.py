#!/usr/bin/env python3
"""Crash and restart: node1 syncs 10 blocks from node0 and is killed with SIGKILL; node0 mines 5
more; node1 restarts on the same data directory with no repair step, first on its own (its 10
blocks are all there, the same hashes and readable), then stopped cleanly and started with its
--connect again, and resyncs to node0's tip."""

import framework


class RestartAfterKill(framework.FunctionalTest):
    num_nodes = 2

    def run_test(self):
        node0, node1 = self.nodes
        miner = self.wallet.new_address("miner")

        self.log("node0 mines 10 blocks; node1 follows")
        node0.generate(10, miner)
        self.sync_blocks(height=10)
        hashes = [node1.rpc("getblockhash", h) for h in range(11)]
        blocks = {h: node1.rpc("getblock", hashes[h]) for h in (1, 5, 10)}
        balance = node1.balance(miner)

        self.log("SIGKILL node1")
        node1.kill()
        self.log("node1 exited with {}".format(node1.process.returncode))

        self.log("node0 mines 5 more")
        node0.generate(5, miner)
        self.check_equal(node0.tip()[0], 15, "node0 height")

        self.log("node1 restarts alone on the same data directory")
        node1.start(connect=[])
        self.check_equal(node1.tip(), (10, hashes[10]), "node1 tip right after the restart")
        for h in range(11):
            self.check_equal(node1.rpc("getblockhash", h), hashes[h],
                             "node1 block hash at height {} after the crash".format(h))
        for h, before in blocks.items():
            self.check_equal(node1.rpc("getblock", hashes[h]), before,
                             "node1 getblock at height {} after the crash".format(h))
        self.check_equal(node1.balance(miner), balance, "node1 miner balance after the crash")

        self.log("node1 restarts with --connect node0 and resyncs")
        node1.restart(connect=[node0.p2p_addr])
        self.wait_for_link(node1, node0)
        self.sync_blocks(height=15)
        for h in range(11):
            self.check_equal(node1.rpc("getblockhash", h), hashes[h],
                             "node1 block hash at height {} after resync".format(h))
        self.check_equal(node1.balance(miner), node0.balance(miner), "miner balance")
        node1.stop()
        node0.stop()


if __name__ == "__main__":
    framework.run(RestartAfterKill)
