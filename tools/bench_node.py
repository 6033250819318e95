#!/usr/bin/env python3
"""The node's performance figures (docs/benchmarks.md, "Node").

  1. `qpow bench make-chain`: a regtest chain of --blocks blocks with --txs-per-block ML-DSA-65
     transfers each (kept in --cache-dir between runs when given);
  2. `qpow bench validate-chain`: the baseline, block validation alone with no network;
  3. initial sync over loopback: node A serves a copy of the chain, node B starts empty with
     --connect A; the time from B's start until its getblockcount reaches the tip gives blocks/s
     and MB/s, compared with the baseline; B's peak VmRSS during the sync and A's VmRSS when idle;
  4. RPC: wrk with --connections connections posting getblockcount to A: requests/s and latency
     percentiles (tools/bench_rpc.lua).

Prints one JSON object, then a Markdown table for docs/benchmarks.md. Python 3 standard library
and wrk (Debian package "wrk"; installed with apt-get when missing and running as root).

  tools/bench_node.py --qpow build/release/src/app/qpow [--blocks 5000] [--txs-per-block 10]
                      [--cache-dir DIR] [--json-out FILE]
"""

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

POLL_S = 0.2
IDLE_S = 5.0
NODE_START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
RPC_TIMEOUT_S = 10.0
BYTES_PER_MB = 1e6
LATENCY_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))


def log(message):
    print(f"bench_node: {message}", file=sys.stderr, flush=True)


def run_json(cmd, env=None):
    """Runs a qpow command with --json and returns its JSON object."""
    log(" ".join(cmd))
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_rss_kib(pid):
    """VmRSS of a running process in KiB, or None once it has gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def mib(kib):
    return None if kib is None else round(kib / 1024.0, 1)


# ---- the chain -------------------------------------------------------------------------------


def make_chain(args, work_dir):
    """The datadir holding the chain, made now or found in the cache; and make-chain's report."""
    name = f"chain-b{args.blocks}-k{args.txs_per_block}-s{args.seed}"
    base = args.cache_dir or work_dir
    datadir = os.path.join(base, name)
    report_path = os.path.join(datadir, "make-chain.json")
    if os.path.exists(report_path):
        log(f"using the cached chain in {datadir}")
        with open(report_path, encoding="utf-8") as f:
            return datadir, json.load(f)
    partial = datadir + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    report = run_json([args.qpow, "bench", "make-chain", "--datadir", partial,
                       "--blocks", str(args.blocks), "--txs-per-block", str(args.txs_per_block),
                       "--seed", str(args.seed), "--json"])
    shutil.rmtree(datadir, ignore_errors=True)
    os.rename(partial, datadir)
    report["chain_dir"] = os.path.join(datadir, "regtest", "chain")
    with open(report_path, "w", encoding="utf-8") as f:  # last: it marks the chain complete
        json.dump(report, f, indent=2)
    return datadir, report


# ---- RPC and nodes ----------------------------------------------------------------------------


class Node:
    """A `qpow node` process on loopback and an RPC client for it."""

    def __init__(self, args, name, datadir, extra):
        self.name = name
        self.datadir = datadir
        self.rpc_port = free_port()
        self.p2p_port = free_port()
        self.auth = None
        cmd = [args.qpow, "node", "--network", "regtest", "--datadir", datadir,
               "--listen", f"127.0.0.1:{self.p2p_port}", "--rpc-port", str(self.rpc_port),
               "--outbound", "0", "--block-relay-only", "0",
               "--validation-threads", str(args.threads), "--log-level", args.log_level] + extra
        self.log_path = os.path.join(os.path.dirname(datadir), f"{name}.log")
        self.log_file = open(self.log_path, "w", encoding="utf-8")
        log(f"node {name}: {' '.join(cmd)}")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT)

    def call(self, method, params=None):
        """One JSON-RPC call; None while the server is not up yet."""
        if self.auth is None:
            try:
                with open(os.path.join(self.datadir, ".cookie"), encoding="ascii") as f:
                    cookie = f.read().strip()
            except OSError:
                return None
            self.auth = base64.b64encode(cookie.encode("ascii")).decode("ascii")
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
        conn = http.client.HTTPConnection("127.0.0.1", self.rpc_port, timeout=RPC_TIMEOUT_S)
        try:
            conn.request("POST", "/", body, {"Content-Type": "application/json",
                                              "Authorization": f"Basic {self.auth}"})
            response = conn.getresponse()
            payload = response.read()
        except OSError:
            return None
        finally:
            conn.close()
        if response.status == 401:
            self.auth = None  # a cookie from an earlier start: read it again
            return None
        if response.status != 200:
            raise RuntimeError(f"node {self.name}: {method}: HTTP {response.status}: "
                               f"{payload[:200].decode('utf-8', 'replace').strip()}")
        reply = json.loads(payload)
        if reply.get("error"):
            raise RuntimeError(f"node {self.name}: {method}: {reply['error']}")
        return reply["result"]

    def check_alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"node {self.name} exited {self.proc.returncode}; see {self.log_path}")

    def wait_for_height(self, height, timeout_s, on_poll=None):
        """Seconds from the process start until getblockcount >= height."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.check_alive()
            if on_poll:
                on_poll()
            count = self.call("getblockcount")
            if count is not None and count >= height:
                return time.monotonic() - self.started
            time.sleep(POLL_S)
        raise RuntimeError(f"node {self.name} did not reach height {height} in {timeout_s} s")

    def rss_kib(self):
        return vm_rss_kib(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                log(f"node {self.name} ignored SIGTERM for {STOP_TIMEOUT_S} s; killing it")
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


def measure_sync(args, chain_datadir, chain_report, work_dir):
    """Starts A on a copy of the chain and B empty, and times B's sync from A."""
    height = chain_report["height"]
    a_dir = os.path.join(work_dir, "node-a", "data")
    b_dir = os.path.join(work_dir, "node-b", "data")
    shutil.rmtree(os.path.dirname(a_dir), ignore_errors=True)
    shutil.rmtree(os.path.dirname(b_dir), ignore_errors=True)
    shutil.copytree(os.path.join(chain_datadir, "regtest"), os.path.join(a_dir, "regtest"))
    os.makedirs(b_dir)
    a = Node(args, "A", a_dir, [])
    b = None
    try:
        a_ready_s = a.wait_for_height(height, NODE_START_TIMEOUT_S)
        time.sleep(IDLE_S)
        a_idle_kib = a.rss_kib()
        b = Node(args, "B", b_dir, ["--connect", f"127.0.0.1:{a.p2p_port}"])
        peak = {"kib": 0}

        def sample():
            peak["kib"] = max(peak["kib"], b.rss_kib() or 0)

        sync_s = b.wait_for_height(height, args.sync_timeout, sample)
        sample()
        if b.call("getbestblockhash") != chain_report["hash"]:
            raise RuntimeError("node B's tip is not the chain's tip")
        time.sleep(IDLE_S)
        sync = {
            "node_a_ready_seconds": round(a_ready_s, 3),
            "seconds": round(sync_s, 3),
            "blocks_per_second": height / sync_s,
            "mb_per_second": chain_report["bytes"] / BYTES_PER_MB / sync_s,
            "txs_per_second": chain_report["txs"] / sync_s,
            "rss_idle_node_a_mib": mib(a_idle_kib),
            "rss_node_a_after_serving_mib": mib(a.rss_kib()),
            "rss_syncing_node_b_peak_mib": mib(peak["kib"]),
            "rss_node_b_after_sync_mib": mib(b.rss_kib()),
        }
        rpc = measure_rpc(args, a)
        return sync, rpc
    finally:
        if b is not None:
            b.stop()
        a.stop()


# ---- wrk ---------------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise RuntimeError("wrk is missing: apt-get install wrk")
    log("installing wrk (apt-get install wrk)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def latency_ms(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not match:
        raise RuntimeError(f"cannot read the wrk latency '{text}'")
    return float(match.group(1)) * LATENCY_UNITS_MS[match.group(2)]


def parse_wrk(output):
    result = {"errors": 0, "non_2xx": 0}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(line.split()[1])
        elif re.match(r"^(50|75|90|99)%\s", line):
            pct, value = line.split()
            result[f"p{pct[:-1]}_ms"] = latency_ms(value)
        elif line.startswith("Socket errors:"):
            result["errors"] = sum(int(n) for n in re.findall(r"\d+", line))
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["non_2xx"] = int(line.split(":")[1])
        elif re.match(r"^\d+ requests in", line):
            result["requests"] = int(line.split()[0])
    if "requests_per_second" not in result or "p99_ms" not in result:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    return result


def measure_rpc(args, node):
    ensure_wrk()
    if node.call("getblockcount") is None:
        raise RuntimeError("node A does not answer getblockcount")
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{args.wrk_seconds}s",
           "--latency", "-s", os.path.join(TOOLS_DIR, "bench_rpc.lua"),
           f"http://127.0.0.1:{node.rpc_port}/"]
    log(" ".join(cmd))
    env = dict(os.environ, QPOW_RPC_AUTH=node.auth, QPOW_RPC_METHOD="getblockcount")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited {done.returncode}: {done.stderr.strip()}")
    result = parse_wrk(done.stdout)
    result.update(method="getblockcount", connections=args.connections,
                  wrk_threads=args.wrk_threads, seconds=args.wrk_seconds,
                  rss_node_a_after_mib=mib(node.rss_kib()))
    return result


# ---- report ------------------------------------------------------------------------------------


def markdown(summary):
    chain, base = summary["chain"], summary["validate"]
    sync, rpc = summary["sync"], summary["rpc"]
    mb = chain["bytes"] / BYTES_PER_MB
    rows = [
        ("Chain", f"{chain['height']:,} regtest blocks, {chain['txs']:,} ML-DSA-65 transfers, "
                  f"{mb:,.1f} MB"),
        ("Block validation alone (`qpow bench validate-chain`, "
         f"{base['threads']} threads)",
         f"{base['blocks_per_second']:,.0f} blocks/s, {base['mb_per_second']:,.1f} MB/s, "
         f"{base['txs_per_second']:,.0f} txs/s ({base['cpu_seconds']:,.1f} s CPU in "
         f"{base['seconds']:,.1f} s: the rest waits on synced writes)"),
        ("Initial sync over loopback (B from A)",
         f"{sync['blocks_per_second']:,.0f} blocks/s, {sync['mb_per_second']:,.1f} MB/s "
         f"({sync['seconds']:,.1f} s)"),
        ("Sync / validation alone (target >= 70%)", f"{summary['sync_ratio'] * 100:.0f}%"),
        (f"RPC getblockcount, {rpc['connections']} connections (wrk)",
         f"{rpc['requests_per_second']:,.0f} requests/s"),
        ("RPC latency p50 / p99", f"{rpc['p50_ms']:.2f} ms / {rpc['p99_ms']:.2f} ms"),
        ("Memory (VmRSS), idle node with the chain", f"{sync['rss_idle_node_a_mib']} MiB"),
        ("Memory (VmRSS), syncing node, peak", f"{sync['rss_syncing_node_b_peak_mib']} MiB"),
    ]
    lines = ["| Measure | Result |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--qpow", default=os.path.join("build", "release", "src", "app", "qpow"),
                   help="the qpow binary")
    p.add_argument("--blocks", type=int, default=5000)
    p.add_argument("--txs-per-block", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache-dir", help="keep the generated chain here and reuse it")
    p.add_argument("--work-dir", help="node data directories (default: a temporary directory)")
    p.add_argument("--threads", type=int, default=0,
                   help="validation threads for validate-chain and both nodes (0: one per core)")
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--wrk-seconds", type=int, default=10)
    p.add_argument("--sync-timeout", type=float, default=3600.0)
    p.add_argument("--log-level", default="info")
    p.add_argument("--json-out", help="also write the JSON summary here")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    return p.parse_args()


def main():
    args = parse_args()
    args.qpow = os.path.abspath(args.qpow)
    if args.cache_dir:
        args.cache_dir = os.path.abspath(args.cache_dir)
        os.makedirs(args.cache_dir, exist_ok=True)
    work_dir = os.path.abspath(args.work_dir) if args.work_dir else tempfile.mkdtemp(
        prefix="qpow-bench-node-")
    os.makedirs(work_dir, exist_ok=True)
    try:
        chain_datadir, chain = make_chain(args, work_dir)
        # The scratch database goes in the work directory, on the disk the nodes write to.
        validate = run_json([args.qpow, "bench", "validate-chain", "--datadir", chain_datadir,
                             "--threads", str(args.threads), "--json"],
                            env=dict(os.environ, TMPDIR=work_dir))
        sync, rpc = measure_sync(args, chain_datadir, chain, work_dir)
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)
    summary = {
        "chain": chain,
        "validate": validate,
        "sync": sync,
        "sync_ratio": sync["blocks_per_second"] / validate["blocks_per_second"],
        "rpc": rpc,
        "cpus": os.cpu_count(),
    }
    text = json.dumps(summary, indent=2)
    print(text)
    print()
    print(markdown(summary))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"bench_node: error: {e}", file=sys.stderr)
        sys.exit(1)
