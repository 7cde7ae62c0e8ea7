#!/usr/bin/env python3
"""Pub/sub beside redis-server, from one run: fan-out and a slow subscriber.

    scripts/bench-pubsub.py [--messages N] [--rounds R] [--fanout 20,100,1000]

Builds the release binary, starts mini-redis and redis-server (both with
persistence off) on free ports, and for each fan-out (1 publisher to S subscribers):

- the subscribers, raw sockets spread over a few worker processes, count
  the bytes of the `message` frames they receive;
- the publisher sends N PUBLISHes one at a time (each waits for its reply)
  and times each one;
- delivered/s is N x S over the time from the first PUBLISH to the last
  frame received; p99 is the publisher's latency, nearest rank.

The servers take turns, round by round (interleaved), and the table gives
each figure's median over the rounds and the ratio mini-redis / Redis.

Then, on fresh servers: one subscriber that never reads while 64 MiB is
published to it (1,024 messages of 64 KiB, pipelined 64 at a time); the
table gives each server's RSS growth (VmRSS, peak sampled while
publishing, minus before), whether the subscriber was dropped (PUBLISH
answering 0 at the end), and the ratio. Only the standard library is used.
"""

import argparse
import multiprocessing
import os
import selectors
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHANNEL = b"bench"


def encode(*args):
    out = b"*%d\r\n" % len(args)
    for arg in args:
        out += b"$%d\r\n%s\r\n" % (len(arg), arg)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(kind):
    port = free_port()
    if kind == "mini-redis":
        cmd = [os.path.join(ROOT, "target/release/mini-redis"), "--port", str(port),
               "--save", "", "--appendonly", "no"]
    else:
        cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return proc, port
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"{kind} did not start")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read_reply(sock, buf):
    """One simple reply line (+OK, :N, ...) from a socket, with its buffer."""
    while b"\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    line, _, rest = buf.partition(b"\r\n")
    return line, rest


def subscriber_worker(port, count, frame_len, expected, ready, results):
    """Subscribes `count` sockets, then counts frames until each got
    `expected` of them (or 60 s pass); reports when the last one arrived."""
    sel = selectors.DefaultSelector()
    got = {}
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(encode(b"SUBSCRIBE", CHANNEL))
        socks.append(s)
    # The confirmation: *3 $9 subscribe $5 bench :1 (the count is 1 digit).
    confirm = len(b"*3\r\n$9\r\nsubscribe\r\n$5\r\nbench\r\n:1\r\n")
    for s in socks:
        need = confirm
        while need > 0:
            need -= len(s.recv(need))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        got[s] = 0
    ready.put(True)
    total = expected * frame_len
    done = 0
    last = time.perf_counter()
    deadline = time.time() + 120
    while done < count and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            s = key.fileobj
            try:
                data = s.recv(1 << 20)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(s)
                done += 1
                continue
            got[s] += len(data)
            last = time.perf_counter()
            if got[s] >= total:
                sel.unregister(s)
                done += 1
    results.put((sum(min(g, total) for g in got.values()) // frame_len, last))
    for s in socks:
        s.close()


def fanout_round(port, subscribers, messages, payload):
    frame = encode(b"message", CHANNEL, payload)
    workers = min(4, subscribers)
    ready, results = multiprocessing.Queue(), multiprocessing.Queue()
    procs = []
    for w in range(workers):
        share = subscribers // workers + (1 if w < subscribers % workers else 0)
        p = multiprocessing.Process(
            target=subscriber_worker,
            args=(port, share, len(frame), messages, ready, results))
        p.start()
        procs.append(p)
    for _ in procs:
        ready.get(timeout=120)
    pub = socket.create_connection(("127.0.0.1", port))
    pub.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = encode(b"PUBLISH", CHANNEL, payload)
    latencies = []
    buf = b""
    short = 0
    start = time.perf_counter()
    for _ in range(messages):
        t = time.perf_counter()
        pub.sendall(request)
        line, buf = read_reply(pub, buf)
        latencies.append(time.perf_counter() - t)
        short += line != b":%d" % subscribers
    delivered, last = 0, start
    for _ in procs:
        n, t = results.get(timeout=180)
        delivered += n
        last = max(last, t)
    for p in procs:
        p.join()
    pub.close()
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99 + 0.5) - 1)]
    if short:
        print(f"  ({short} PUBLISHes counted fewer than {subscribers} receivers)")
    return delivered / (last - start), p99 * 1000, delivered == messages * subscribers


def slow_subscriber(proc, port):
    """RSS growth while 64 MiB is published to a subscriber that never reads."""
    sub = socket.create_connection(("127.0.0.1", port))
    sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sub.sendall(encode(b"SUBSCRIBE", CHANNEL))
    time.sleep(0.2)
    before = rss_kib(proc.pid)
    peak = before
    pub = socket.create_connection(("127.0.0.1", port))
    one = encode(b"PUBLISH", CHANNEL, b"m" * 65536)
    buf = b""
    last = b""
    for _ in range(16):
        pub.sendall(one * 64)
        for _ in range(64):
            last, buf = read_reply(pub, buf)
        peak = max(peak, rss_kib(proc.pid))
    time.sleep(0.3)
    peak = max(peak, rss_kib(proc.pid))
    sub.close()
    pub.close()
    return (peak - before), last == b":0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fanout", default="20,100,1000")
    parser.add_argument("--size", type=int, default=32, help="message bytes")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    payload = b"x" * args.size
    servers = {kind: start(kind) for kind in ("mini-redis", "redis")}
    try:
        print(f"fan-out: 1 publisher, {args.messages} PUBLISHes of {args.size} bytes "
              f"one at a time, {args.rounds} interleaved rounds (medians)")
        print(f"{'subs':>5} {'deliv/s_mini':>13} {'deliv/s_red':>12} {'ratio':>6} "
              f"{'p99ms_mini':>11} {'p99ms_red':>10} {'ratio':>6}")
        for subscribers in [int(s) for s in args.fanout.split(",")]:
            rates = {kind: [] for kind in servers}
            p99s = {kind: [] for kind in servers}
            for _ in range(args.rounds):
                for kind, (_, port) in servers.items():
                    rate, p99, complete = fanout_round(port, subscribers, args.messages, payload)
                    if not complete:
                        print(f"  ({kind}: not every message arrived in time)")
                    rates[kind].append(rate)
                    p99s[kind].append(p99)
            rm, rr = statistics.median(rates["mini-redis"]), statistics.median(rates["redis"])
            pm, pr = statistics.median(p99s["mini-redis"]), statistics.median(p99s["redis"])
            print(f"{subscribers:>5} {rm:>13.0f} {rr:>12.0f} {rm / rr:>6.2f} "
                  f"{pm:>11.3f} {pr:>10.3f} {pm / pr:>6.2f}")
    finally:
        for proc, _ in servers.values():
            proc.kill()
            proc.wait()
    print("\na subscriber that never reads, 64 MiB published to it (fresh servers)")
    print(f"{'server':>10} {'rss_growth_KiB':>15} {'dropped':>8}")
    growth = {}
    for kind in ("mini-redis", "redis"):
        proc, port = start(kind)
        try:
            growth[kind], dropped = slow_subscriber(proc, port)
        finally:
            proc.kill()
            proc.wait()
        print(f"{kind:>10} {growth[kind]:>15} {str(dropped):>8}")
    print(f"{'ratio':>10} {growth['mini-redis'] / max(1, growth['redis']):>15.2f}")


if __name__ == "__main__":
    sys.exit(main())
