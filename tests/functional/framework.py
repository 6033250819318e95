"""Functional test framework: real `qpow node` processes on loopback, driven over JSON-RPC.

Each scenario script subclasses FunctionalTest, sets `num_nodes` (and optionally overrides
`setup_network`), and implements `run_test`. The base class

  - parses --qpow PATH (the binary), --tmpdir, --keep-tmpdir, --timeout, --log-lines;
  - creates a temporary directory with one data directory per node and one wallet directory;
  - always kills every node process it started, whatever happened;
  - on failure prints the error (RPC errors name the method, the parameters and the node's
    answer), then the last lines of every node's log, and keeps the temporary directory;
  - exits 0 on success, 1 on failure.

Python 3 standard library only.
"""

import argparse
import base64
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

# Ports handed out by this process, so two nodes of one test never get the same one. Ports come
# from below the usual ephemeral range (32768-60999 on Linux) so that the outbound connections the
# nodes open cannot take a port between the moment it is picked and the moment a node binds it.
_PORT_RANGE = (20000, 32000)
_ports_given = set()

# The coin's base units (amounts on the wallet's command line are in QPOW with 8 decimals).
COIN = 100_000_000

# Seconds a node gets to start answering RPC, and to exit after "stop".
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 30


class TestFailure(Exception):
    """A check of the scenario did not hold."""


class RpcError(Exception):
    """A JSON-RPC error response: `code` and `message` as the node sent them."""

    def __init__(self, node_name, method, params, code, message, response=None):
        self.node_name = node_name
        self.method = method
        self.params = params
        self.code = code
        self.message = message
        self.response = response
        super().__init__(
            "{}: RPC {}({}) failed: code {}: {}".format(
                node_name, method, _short_params(params), code, message))


class RpcTransportError(Exception):
    """The RPC call got no JSON-RPC answer: connection refused, HTTP error, unreadable body."""


class RpcAuthError(RpcTransportError):
    """HTTP 401: the credentials (usually a stale cookie) were refused."""


def _short_params(params, limit=200):
    text = ", ".join(json.dumps(p) for p in params)
    return text if len(text) <= limit else text[:limit] + "...({} chars)".format(len(text))


def free_port(host="127.0.0.1"):
    """A TCP port on `host` that nothing listens on now and this process has not handed out."""
    rng = random.Random()
    for _ in range(1000):
        port = rng.randint(*_PORT_RANGE)
        if port in _ports_given:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
        _ports_given.add(port)
        return port
    raise RuntimeError("no free TCP port found in {}..{}".format(*_PORT_RANGE))


def wait_until(predicate, timeout=30.0, what="the condition", interval=0.1, describe=None):
    """Calls predicate() until it returns something truthy, and returns that value.

    On timeout raises TestFailure naming `what`, with describe() (if given) or the predicate's
    last return value, so the message says what was seen instead of only that it failed."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            seen = describe() if describe is not None else repr(last)
            raise TestFailure("timed out after {:.0f} s waiting for {}; last seen: {}".format(
                timeout, what, seen))
        time.sleep(interval)


def _die_with_parent():
    """Runs in the child before exec: SIGKILL the node if the test process dies (Linux)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except Exception:  # noqa: BLE001 - best effort; cleanup() kills the nodes anyway
        pass


class NodeProcess:
    """One `qpow node --network regtest` process with its own data directory and ports."""

    def __init__(self, index, qpow, basedir):
        self.index = index
        self.name = "node{}".format(index)
        self.qpow = qpow
        self.datadir = os.path.join(basedir, self.name)
        os.makedirs(self.datadir, exist_ok=True)
        self.log_path = os.path.join(basedir, self.name + ".log")
        self.cookie_path = os.path.join(self.datadir, ".cookie")
        self.p2p_port = free_port()
        self.rpc_port = free_port()
        self.connect = []
        self.extra_args = []
        self.process = None
        self.starts = 0
        self._auth = None

    # ---- addresses ----

    @property
    def p2p_addr(self):
        return "127.0.0.1:{}".format(self.p2p_port)

    def args(self):
        args = [self.qpow, "node", "--network", "regtest", "--datadir", self.datadir,
                "--listen", self.p2p_addr, "--rpc-port", str(self.rpc_port),
                "--outbound", "0", "--block-relay-only", "0", "--log-level", "info"]
        for addr in self.connect:
            args += ["--connect", addr]
        return args + list(self.extra_args)

    # ---- life cycle ----

    def running(self):
        return self.process is not None and self.process.poll() is None

    def launch(self, connect=None, extra_args=None):
        """Starts the process without waiting for it (see wait_ready)."""
        if self.running():
            raise RuntimeError("{} is already running".format(self.name))
        if connect is not None:
            self.connect = list(connect)
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.starts += 1
        self._auth = None
        args = self.args()
        with open(self.log_path, "ab") as f:
            f.write("==== start {} at {}: {}\n".format(
                self.starts, time.strftime("%H:%M:%S"), " ".join(args)).encode())
            f.flush()
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)

    def wait_ready(self, timeout=START_TIMEOUT_S):
        """Waits until the cookie file exists and an RPC call with it is answered.

        A cookie left behind by a killed process is refused (401) until the new process has
        rewritten it, so this reads the file again after each refusal."""
        deadline = time.monotonic() + timeout
        last_error = "no cookie file yet"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise TestFailure("{} exited with code {} while starting:\n{}".format(
                    self.name, code, self.log_tail()))
            if os.path.exists(self.cookie_path):
                try:
                    self._auth = self._read_cookie()
                    self.rpc("getblockcount", timeout=5)
                    return
                except (RpcTransportError, RpcError, OSError, ValueError) as e:
                    last_error = "{}: {}".format(type(e).__name__, e)
            time.sleep(0.05)
        raise TestFailure("{} did not answer RPC within {} s ({}):\n{}".format(
            self.name, timeout, last_error, self.log_tail()))

    def start(self, connect=None, extra_args=None, timeout=START_TIMEOUT_S):
        self.launch(connect=connect, extra_args=extra_args)
        self.wait_ready(timeout=timeout)

    def stop(self, timeout=STOP_TIMEOUT_S):
        """RPC "stop", then waits for exit code 0 and checks the cookie file is gone."""
        try:
            self.rpc("stop", timeout=timeout)
        except RpcTransportError:
            pass  # the server may close the connection as it shuts down
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise TestFailure("{} did not exit within {} s of RPC stop:\n{}".format(
                self.name, timeout, self.log_tail()))
        if code != 0:
            raise TestFailure("{} exited with code {} after RPC stop (expected 0):\n{}".format(
                self.name, code, self.log_tail()))
        if os.path.exists(self.cookie_path):
            raise TestFailure("{} left its cookie file {} after a clean stop".format(
                self.name, self.cookie_path))

    def kill(self):
        """SIGKILL: the process gets no chance to flush or clean up."""
        if self.running():
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def restart(self, connect=None, extra_args=None):
        """Stops the node cleanly if it runs, then starts it again on the same data directory."""
        if self.running():
            self.stop()
        self.start(connect=connect, extra_args=extra_args)

    # ---- RPC ----

    def _read_cookie(self):
        with open(self.cookie_path, "r", encoding="ascii") as f:
            text = f.read().strip()
        user, sep, password = text.partition(":")
        if not sep or not password:
            raise ValueError("malformed cookie file {}: {!r}".format(self.cookie_path, text))
        return base64.b64encode("{}:{}".format(user, password).encode()).decode()

    def rpc(self, method, *params, timeout=60):
        """Calls `method` and returns its result; raises RpcError for a JSON-RPC error."""
        if self._auth is None:
            self._auth = self._read_cookie()
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                           "params": list(params)})
        conn = http.client.HTTPConnection("127.0.0.1", self.rpc_port, timeout=timeout)
        try:
            conn.request("POST", "/", body=body, headers={
                "Content-Type": "application/json",
                "Authorization": "Basic " + self._auth,
            })
            resp = conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as e:
            raise RpcTransportError("{}: RPC {}({}): {}: {}".format(
                self.name, method, _short_params(params), type(e).__name__, e)) from e
        finally:
            conn.close()
        if resp.status == 401:
            self._auth = None
            raise RpcAuthError("{}: RPC {}: HTTP 401 (cookie refused)".format(self.name, method))
        if resp.status != 200:
            raise RpcTransportError("{}: RPC {}({}): HTTP {} {}: {!r}".format(
                self.name, method, _short_params(params), resp.status, resp.reason, raw[:500]))
        try:
            reply = json.loads(raw)
        except ValueError as e:
            raise RpcTransportError("{}: RPC {}: body is not JSON: {!r}".format(
                self.name, method, raw[:500])) from e
        error = reply.get("error")
        if error is not None:
            raise RpcError(self.name, method, params, error.get("code"), error.get("message"),
                           response=reply)
        if "result" not in reply:
            raise RpcTransportError("{}: RPC {}: no result in {!r}".format(
                self.name, method, reply))
        return reply["result"]

    # ---- views used by every scenario ----

    def tip(self):
        """(height, best block hash)."""
        info = self.rpc("getblockchaininfo")
        return int(info["blocks"]), info["bestblockhash"]

    def peers(self):
        """getpeerinfo, only the peers whose handshake is done."""
        return [p for p in self.rpc("getpeerinfo") if peer_handshake_done(p)]

    def peer_addrs(self):
        return sorted(peer_addr(p) for p in self.peers())

    def mempool(self):
        return sorted(self.rpc("getrawmempool"))

    def balance(self, address):
        """The address's balance in base units (0 for an account the chain has never seen)."""
        return account_balance(self.rpc("getaccount", address))

    def nonce(self, address):
        """The confirmed nonce: how many transactions of the account the chain holds."""
        return account_nonce(self.rpc("getaccount", address))

    def next_nonce(self, address):
        """The nonce for the account's next transaction (confirmed plus pending in the mempool)."""
        return int(self.rpc("getaccount", address)["next_nonce"])

    def generate(self, count, address):
        hashes = self.rpc("generatetoaddress", count, address)
        if len(hashes) != count:
            raise TestFailure("{}: generatetoaddress({}) returned {} hashes: {}".format(
                self.name, count, len(hashes), hashes))
        return hashes

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - 256 * 1024))
                text = f.read().decode("utf-8", errors="replace")
        except OSError as e:
            return "(no log: {})".format(e)
        tail = text.splitlines()[-lines:]
        return "\n".join("    " + line for line in tail)


# ---- the node's JSON shapes (src/http/rpc_json.h and rpc_methods_*.cpp), in one place ----

def peer_addr(peer):
    """getpeerinfo "addr": "host:port" (for an inbound peer, the port it connected from)."""
    return peer["addr"]


def peer_inbound(peer):
    return bool(peer["inbound"])


def peer_handshake_done(peer):
    return bool(peer["handshake_done"])


def account_balance(account):
    """getaccount "balance": an integer of base units (beside "balance_qpow", the text)."""
    balance = account["balance"]
    if not isinstance(balance, int) or isinstance(balance, bool):
        raise TestFailure("getaccount balance is not an integer: {!r}".format(account))
    return balance


def account_nonce(account):
    return int(account["nonce"])


def banned_hosts(entries):
    """The hosts of a listbanned answer ([{"address": host, "banned_until": s}, ...])."""
    return [e["address"] for e in entries]


def units_to_text(units):
    """Base units as the wallet's amount text ("12.5" -> 12.50000000)."""
    return "{}.{:08d}".format(units // COIN, units % COIN)


class Wallet:
    """`qpow wallet` on a keystore in its own directory, the passphrase in the environment."""

    PASSPHRASE = "functional-test-passphrase"

    def __init__(self, qpow, directory):
        self.qpow = qpow
        self.directory = directory
        self.addresses = {}

    def _run(self, *args):
        env = dict(os.environ, QPOW_WALLET_PASSPHRASE=self.PASSPHRASE)
        cmd = [self.qpow, "wallet", "--wallet-dir", self.directory, "--network", "regtest"]
        cmd += list(args)
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            raise TestFailure("`{}` exited with {}:\nstdout: {}\nstderr: {}".format(
                " ".join(cmd[1:]), result.returncode, result.stdout.strip(),
                result.stderr.strip()))
        return result.stdout.strip()

    def new_address(self, label):
        """Adds a key labelled `label` (creating the keystore the first time)."""
        args = ["create", "--label", label]
        if not os.path.exists(os.path.join(self.directory, "keystore.dat")):
            args += ["--kdf-cost", "interactive"]
        address = self._run(*args).splitlines()[-1].strip()
        self.addresses[label] = address
        return address

    def sign_transfer(self, sender, recipient, amount_units, nonce, fee_units):
        """A signed transfer as hex."""
        return self._run("sign-tx", "--from", sender, "--to", recipient,
                         "--amount", units_to_text(amount_units),
                         "--fee", units_to_text(fee_units),
                         "--nonce", str(nonce)).splitlines()[-1].strip()


class FunctionalTest:
    """Base of every scenario: owns the temporary directory and the node processes."""

    num_nodes = 1
    # Default topology: node i keeps a --connect to node i-1 (a line 0-1-2-...).
    chain_topology = True

    def __init__(self):
        self.nodes = []
        self.tmpdir = None
        self.options = None
        self._t0 = time.monotonic()
        self._wallet = None

    # ---- to override ----

    def setup_network(self):
        """Creates and starts the nodes. Default: num_nodes in a line, started together."""
        self.add_nodes(self.num_nodes)
        for i, node in enumerate(self.nodes):
            connect = [self.nodes[i - 1].p2p_addr] if self.chain_topology and i > 0 else []
            node.launch(connect=connect)
        for node in self.nodes:
            node.wait_ready()
        if self.chain_topology:
            for i in range(1, len(self.nodes)):
                self.wait_for_link(self.nodes[i], self.nodes[i - 1])

    def run_test(self):
        raise NotImplementedError

    # ---- helpers for scenarios ----

    def log(self, text):
        print("[{:6.2f}s] {}".format(time.monotonic() - self._t0, text), flush=True)

    def add_nodes(self, count):
        for _ in range(count):
            self.nodes.append(NodeProcess(len(self.nodes), self.options.qpow, self.tmpdir))
        return self.nodes[-count:]

    @property
    def wallet(self):
        if self._wallet is None:
            self._wallet = Wallet(self.options.qpow, os.path.join(self.tmpdir, "wallet"))
        return self._wallet

    def check(self, condition, message, *details):
        """Raises TestFailure(message) with the details (RPC answers, ...) when not condition."""
        if not condition:
            text = message
            for d in details:
                text += "\n    " + (d if isinstance(d, str) else json.dumps(d, sort_keys=True))
            raise TestFailure(text)

    def check_equal(self, actual, expected, what):
        if actual != expected:
            raise TestFailure("{}: expected {!r}, got {!r}".format(what, expected, actual))

    def tips(self, nodes=None):
        return [n.tip() for n in (nodes or self.nodes)]

    def _describe_tips(self, nodes):
        return "; ".join("{} height {} {}".format(n.name, *n.tip()) for n in nodes)

    def sync_blocks(self, nodes=None, timeout=30, height=None):
        """Waits until the nodes have the same best block (and `height`, if given)."""
        nodes = nodes or self.nodes

        def same():
            tips = self.tips(nodes)
            if len(set(tips)) != 1:
                return None
            if height is not None and tips[0][0] != height:
                return None
            return tips[0]

        what = "{} to agree on the best block{}".format(
            ", ".join(n.name for n in nodes),
            "" if height is None else " at height {}".format(height))
        return wait_until(same, timeout=timeout, what=what,
                          describe=lambda: self._describe_tips(nodes))

    def sync_mempools(self, nodes=None, timeout=30):
        nodes = nodes or self.nodes

        def same():
            pools = [n.mempool() for n in nodes]
            return all(p == pools[0] for p in pools)

        return wait_until(same, timeout=timeout,
                          what="{} to have the same mempool".format(
                              ", ".join(n.name for n in nodes)),
                          describe=lambda: "; ".join(
                              "{} {}".format(n.name, n.mempool()) for n in nodes))

    def wait_for_link(self, a, b, timeout=30):
        """Waits until `a` has an outbound link to b's listening address with the handshake done."""
        wait_until(lambda: b.p2p_addr in a.peer_addrs(), timeout=timeout,
                   what="{} to be connected to {} ({})".format(a.name, b.name, b.p2p_addr),
                   describe=lambda: "{} peers {}".format(a.name, a.rpc("getpeerinfo")))

    def wait_for_peer_count(self, node, count, timeout=30):
        wait_until(lambda: len(node.peers()) == count, timeout=timeout,
                   what="{} to have {} peer(s)".format(node.name, count),
                   describe=lambda: "{} peers {}".format(node.name, node.rpc("getpeerinfo")))

    # ---- the run ----

    def parse_args(self, argv):
        parser = argparse.ArgumentParser(description=type(self).__doc__)
        parser.add_argument("--qpow", default=os.environ.get("QPOW"),
                            help="path of the qpow binary (default $QPOW)")
        parser.add_argument("--tmpdir", help="parent of the test's temporary directory")
        parser.add_argument("--keep-tmpdir", action="store_true",
                            help="keep the temporary directory after a success too")
        parser.add_argument("--timeout", type=float, default=150,
                            help="seconds before the whole test fails (default 150)")
        parser.add_argument("--log-lines", type=int, default=40,
                            help="lines of each node's log to print on failure")
        options = parser.parse_args(argv)
        if not options.qpow:
            parser.error("give --qpow PATH (or set $QPOW)")
        options.qpow = os.path.abspath(options.qpow)
        if not os.access(options.qpow, os.X_OK):
            parser.error("--qpow {} is not an executable file".format(options.qpow))
        return options

    def main(self, argv=None):
        self.options = self.parse_args(sys.argv[1:] if argv is None else argv)
        name = type(self).__name__
        self.tmpdir = tempfile.mkdtemp(prefix="qpow-{}-".format(name), dir=self.options.tmpdir)
        self.log("{}: temporary directory {}".format(name, self.tmpdir))

        def on_alarm(signum, frame):
            raise TestFailure("the whole test ran past --timeout {:.0f} s".format(
                self.options.timeout))

        def on_term(signum, frame):
            raise TestFailure("terminated by signal {}".format(signum))

        signal.signal(signal.SIGALRM, on_alarm)
        signal.signal(signal.SIGTERM, on_term)
        signal.setitimer(signal.ITIMER_REAL, self.options.timeout)
        ok = False
        try:
            self.setup_network()
            self.run_test()
            ok = True
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            self.log("FAILED: {}: {}".format(type(e).__name__, e))
            traceback.print_exc(file=sys.stdout)
        except KeyboardInterrupt:
            self.log("interrupted")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            self._cleanup(ok)
        self.log("{}: {}".format(name, "PASSED" if ok else "FAILED"))
        return 0 if ok else 1

    def _cleanup(self, ok):
        for node in self.nodes:
            try:
                node.kill()
            except Exception as e:  # noqa: BLE001 - keep killing the others
                self.log("could not kill {}: {}".format(node.name, e))
        if not ok:
            for node in self.nodes:
                print("---- last {} lines of {} ({}) ----".format(
                    self.options.log_lines, node.name, node.log_path))
                print(node.log_tail(self.options.log_lines))
            self.log("kept {} for inspection".format(self.tmpdir))
        elif self.options.keep_tmpdir:
            self.log("kept {}".format(self.tmpdir))
        else:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
        sys.stdout.flush()


def run(test_class):
    """The entry point of a scenario script."""
    sys.exit(test_class().main())
