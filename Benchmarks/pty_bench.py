#!/usr/bin/env python3
"""Terminal figures through a real pseudo-terminal: the release binary at 120x40 with
TERM=xterm-256color, driven as a user would. Prints figure, budget and pass/fail; exits 1 when a
budget is missed.

    swift build -c release --product paramcount && python3 Benchmarks/pty_bench.py
"""
import json
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import time
import fcntl
import termios
import signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "paramcount")
COLS, ROWS = 120, 40
failures = []


def report(name, value, unit, budget=None):
    ok = budget is None or value <= budget
    if not ok:
        failures.append(name)
    b = f"< {budget} {unit}" if budget is not None else "(no budget)"
    print(f"{name:<64} {value:>10.3f} {unit:<6} {b:<18} {'' if budget is None else ('PASS' if ok else 'FAIL')}")


class Session:
    def __init__(self, args):
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
            env.pop("NO_COLOR", None)
            os.execve(BIN, [BIN] + args, env)
        self.pid, self.fd = pid, fd
        self.buffer = b""

    def read_until(self, marker, timeout=10.0):
        """Reads until `marker` has arrived; returns the time of the chunk that completed it."""
        deadline = time.perf_counter() + timeout
        while marker not in self.buffer:
            r, _, _ = select.select([self.fd], [], [], max(0, deadline - time.perf_counter()))
            if not r:
                raise TimeoutError(f"no {marker!r} within {timeout}s")
            self.buffer += os.read(self.fd, 65536)
        return time.perf_counter()

    def settle(self, quiet=0.05, timeout=5.0):
        """Reads until nothing arrives for `quiet` seconds. Returns (bytes, time of the last byte)."""
        total, last = 0, None
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            r, _, _ = select.select([self.fd], [], [], quiet)
            if not r:
                break
            data = os.read(self.fd, 65536)
            if not data:
                break
            total += len(data)
            last = time.perf_counter()
        return total, last

    def send(self, data):
        os.write(self.fd, data)

    def peak_rss_mib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def generated_model(n):
    cycle = [{"kind": "dense", "out": 512}, {"kind": "layernorm"}, {"kind": "attention", "heads": 8},
             {"kind": "lstm", "hidden": 256, "bidirectional": True}, {"kind": "conv", "out": 512, "kernel": 3},
             {"kind": "batchnorm"}, {"kind": "encoder", "heads": 8, "ff": 2048}, {"kind": "custom", "params": 10}]
    layers = [{"kind": "embedding", "vocab": 32000, "dim": 512}]
    while len(layers) < n:
        layers.append(cycle[(len(layers) - 1) % len(cycle)])
    return {"name": f"generated {n}", "convention": "pytorch", "layers": layers}


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit(f"build it first: swift build -c release --product paramcount ({BIN})")
    print(f"paramcount terminal figures — {os.cpu_count()} cores, {COLS}x{ROWS}, TERM=xterm-256color")
    print("─" * 100)

    # Time to the first complete frame: the hint row is the last one drawn.
    firsts = []
    for _ in range(15):
        s = Session([])
        firsts.append((s.read_until(b"quit") - s.t0) * 1000)
        s.close()
    report("terminal: time to first complete frame, median", statistics.median(firsts), "ms", 50)

    # Keystrokes while editing a width: latency to the end of the screen update, and bytes sent.
    s = Session([])
    s.read_until(b"quit")
    s.settle()
    # The LSTM, the form, its hidden size, edit. Then type a width as a user does: clear the field
    # (Ctrl-U, not measured) and type three digits, each one measured; 100 widths in all.
    for key in [b"j", b"\t", b"j", b"j", b"\r"]:
        s.send(key)
        s.settle()
    latencies, sizes = [], []
    for i in range(100):
        width = str(100 + (i * 37) % 900).encode()
        for key, measured in [(b"\x15", False)] + [(width[j:j + 1], True) for j in range(3)]:
            t = time.perf_counter()
            s.send(key)
            n, last = s.settle(quiet=0.03)
            if measured and last is not None:
                latencies.append((last - t) * 1000)
                sizes.append(n)
    report("terminal: keystroke to screen updated, median", statistics.median(latencies), "ms", 5)
    report("terminal: keystroke to screen updated, p99", sorted(latencies)[int(len(latencies) * 0.99)], "ms")
    report("terminal: bytes written per digit typed, median", statistics.median(sizes), "B", 300)
    # Idle: nothing is redrawn without input.
    s.send(b"\x1b")
    s.settle()
    idle, _ = s.settle(quiet=2.0, timeout=2.5)
    report("terminal: bytes written in 2 s idle", idle, "B", 0)
    s.close()

    # Memory with a 100,000-layer model open.
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(generated_model(100_000), f)
        path = f.name
    s = Session([path])
    s.read_until(b"quit", timeout=60)
    s.settle()
    s.send(b"G")        # walk to the end, as a user would
    s.settle()
    report("memory: peak resident size, 100,000-layer model open", s.peak_rss_mib(), "MiB", 100)
    s.close()
    os.unlink(path)

    print("─" * 100)
    print("all terminal figures within budget" if not failures else f"{len(failures)} figure(s) over budget")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
