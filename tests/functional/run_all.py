#!/usr/bin/env python3
"""Runs the functional scenarios one after another and prints PASS/FAIL with times.

    python3 tests/functional/run_all.py --qpow build/src/app/qpow [--only NAME]... [--verbose]

A failing scenario's output (its steps, the error, the nodes' log tails) is printed in full;
a passing one's only with --verbose. Exits 1 if any scenario failed."""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

SCENARIOS = [
    "sync_three_nodes",
    "tx_relay",
    "partition_heal",
    "restart_after_kill",
    "garbage_peer",
    "wallet_and_miner",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--qpow", default=os.environ.get("QPOW"),
                        help="path of the qpow binary (default $QPOW)")
    parser.add_argument("--only", action="append", choices=SCENARIOS, metavar="NAME",
                        help="run only this scenario (repeatable): " + ", ".join(SCENARIOS))
    parser.add_argument("--verbose", action="store_true", help="print passing scenarios' output")
    parser.add_argument("--timeout", type=float, default=180,
                        help="seconds per scenario before it is killed (default 180)")
    options = parser.parse_args()
    if not options.qpow:
        parser.error("give --qpow PATH (or set $QPOW)")
    names = options.only or SCENARIOS
    results = []
    for name in names:
        cmd = [sys.executable, os.path.join(HERE, name + ".py"), "--qpow", options.qpow,
               "--timeout", str(max(10.0, options.timeout - 20))]
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=options.timeout)
            ok, output = proc.returncode == 0, proc.stdout
        except subprocess.TimeoutExpired as e:
            ok = False
            output = (e.stdout or b"").decode(errors="replace") if isinstance(
                e.stdout, bytes) else (e.stdout or "")
            output += "\n(killed after {:.0f} s)\n".format(options.timeout)
        elapsed = time.monotonic() - t0
        results.append((name, ok, elapsed))
        print("{} {:<22} {:6.1f} s".format("PASS" if ok else "FAIL", name, elapsed), flush=True)
        if not ok or options.verbose:
            print(output.rstrip())
            print(flush=True)
    failed = [name for name, ok, _ in results if not ok]
    total = sum(t for _, _, t in results)
    print("{} of {} passed in {:.1f} s{}".format(
        len(results) - len(failed), len(results), total,
        "; failed: " + ", ".join(failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
