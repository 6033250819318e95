#!/usr/bin/env python3
"""A peer that sends garbage: a raw TCP connection from 127.0.0.2 to node0's P2P port sends random
bytes; node0 bans 127.0.0.2 (listbanned) and closes the socket; a second connection from that
host is closed at once. The three real nodes (0-1-2, on 127.0.0.1) keep their links and stay in
sync while node1 mines."""

import random
import socket
import time

import framework

BAD_HOST = "127.0.0.2"
# The regtest frame magic (src/net/frame.h): garbage must not start with it by chance.
REGTEST_MAGIC = b"qpwr"
SEED = 20240601


def connect_from_bad_host(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((BAD_HOST, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def closed_by_peer(s, timeout):
    """True if the peer closes `s` (EOF or reset) within timeout seconds; data is discarded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            data = s.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        if not data:
            return True
    return False


class GarbagePeer(framework.FunctionalTest):
    num_nodes = 3

    def links(self, node):
        """The node's links to the other test nodes, as (peer id, address)."""
        return sorted((p.get("id"), framework.peer_addr(p)) for p in node.peers()
                      if not framework.peer_addr(p).startswith(BAD_HOST + ":"))

    def run_test(self):
        node0, node1, node2 = self.nodes
        miner = self.wallet.new_address("miner")
        node1.generate(2, miner)
        self.sync_blocks(height=2)
        links_before = {n.name: self.links(n) for n in self.nodes}
        self.log("links before: {}".format(links_before))
        self.check_equal(framework.banned_hosts(node0.rpc("listbanned")), [],
                         "node0 banned hosts at the start")

        garbage = random.Random(SEED).randbytes(512)
        self.check(not garbage.startswith(REGTEST_MAGIC), "the seed makes a valid magic")
        self.log("connecting from {} to node0 and sending {} random bytes".format(
            BAD_HOST, len(garbage)))
        bad = connect_from_bad_host(node0.p2p_port)
        try:
            try:
                bad.sendall(garbage)
            except (ConnectionResetError, BrokenPipeError):
                pass  # closed while we were still writing: fine
            node1.generate(3, miner)
            framework.wait_until(
                lambda: BAD_HOST in framework.banned_hosts(node0.rpc("listbanned")),
                timeout=20, what="node0 to ban {}".format(BAD_HOST),
                describe=lambda: "listbanned {}".format(node0.rpc("listbanned")))
            self.log("node0 listbanned: {}".format(node0.rpc("listbanned")))
            self.check(closed_by_peer(bad, timeout=10),
                       "node0 did not close the garbage connection")
        finally:
            bad.close()
        for n in (node1, node2):
            self.check_equal(framework.banned_hosts(n.rpc("listbanned")), [],
                             "{} banned hosts".format(n.name))

        self.log("a second connection from {} is closed at once".format(BAD_HOST))
        again = connect_from_bad_host(node0.p2p_port)
        try:
            self.check(closed_by_peer(again, timeout=5),
                       "node0 kept a connection from the banned host open")
        finally:
            again.close()
        peers0 = [framework.peer_addr(p) for p in node0.rpc("getpeerinfo")]
        self.check(not any(a.startswith(BAD_HOST + ":") for a in peers0),
                   "node0 still lists a peer from the banned host", peers0)

        self.log("node1 keeps mining; everyone stays in sync with the same links")
        node1.generate(3, miner)
        self.sync_blocks(height=8)
        links_after = {n.name: self.links(n) for n in self.nodes}
        self.check_equal(links_after, links_before, "links between the nodes")
        self.check(BAD_HOST in framework.banned_hosts(node0.rpc("listbanned")),
                   "the ban on node0 did not last", node0.rpc("listbanned"))


if __name__ == "__main__":
    framework.run(GarbagePeer)
