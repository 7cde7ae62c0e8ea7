"""The timing client of slow-command.sh and expiry-backlog.sh: one raw socket
to 127.0.0.1, one request at a time, time.perf_counter around the send and
the whole reply. No redis-cli per request (a process start is milliseconds),
no client library in the way.

    python3 scripts/probe.py time PORT COUNT SECONDS [--keys N] CMD ARG...
        Sends CMD up to COUNT times, one at a time, 1 ms apart, stopping early
        once SECONDS have passed. An ARG `%k` becomes a random existing key,
        key:%08d below N, each time. Prints "n p50_ms p99_ms max_ms".
    python3 scripts/probe.py loop PORT SECONDS CMD ARG...
        Sends CMD back to back, each as soon as the last reply is in, until
        SECONDS have passed (or a million were sent, or the process is
        killed). Prints nothing.
    python3 scripts/probe.py backlog PORT T0 SECONDS STEP KEY
        Sleeps until T0 (Unix time, seconds), then samples DBSIZE every STEP
        seconds until T0 + SECONDS and prints "offset_s dbsize" per sample,
        offset measured from T0 when the reply came. Meanwhile a forked child
        (its own process, so the two never share the GIL) times GET KEY over
        the same span; its "probe n p50_ms p99_ms max_ms" line comes last.

Percentiles are nearest-rank: p99 of 2000 times is the 1980th smallest.
"""
import math
import os
import random
import socket
import sys
import time

PAUSE_S = 0.001
LOOP_MAX = 10**6


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb", buffering=1 << 16)

    def send(self, words):
        self.sock.sendall(b"*%d\r\n" % len(words)
                          + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words))

    def reply(self):
        """One whole RESP2 reply; an error reply raises."""
        line = self.reader.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest
        if kind == b"-":
            raise RuntimeError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.reader.read(n + 2)[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError(f"not RESP: {line!r}")

    def call(self, words):
        self.send(words)
        return self.reply()


def percentiles(times_s):
    """"n p50 p99 max" in milliseconds, nearest-rank."""
    if not times_s:
        return "0 - - -"
    t = sorted(times_s)

    def rank(p):
        return t[max(0, math.ceil(p * len(t)) - 1)] * 1000

    return f"{len(t)} {rank(0.50):.3f} {rank(0.99):.3f} {t[-1] * 1000:.3f}"


def time_commands(port, count, seconds, keys, words, until=None):
    conn = Connection(port)
    words = [w.encode() for w in words]
    subst = [i for i, w in enumerate(words) if w == b"%k"]
    deadline = until if until is not None else time.monotonic() + seconds
    times = []
    while len(times) < count and time.monotonic() < deadline:
        for i in subst:
            words[i] = b"key:%08d" % random.randrange(keys)
        start = time.perf_counter()
        conn.call(words)
        times.append(time.perf_counter() - start)
        time.sleep(PAUSE_S)
    return percentiles(times)


def loop(port, seconds, words):
    conn = Connection(port)
    words = [w.encode() for w in words]
    deadline = time.monotonic() + seconds
    for _ in range(LOOP_MAX):
        if time.monotonic() >= deadline:
            break
        conn.call(words)


def backlog(port, t0, seconds, step, key):
    # Both processes turn T0 (wall clock, shared with the shell) into their
    # own monotonic clock once, then schedule on that.
    t0_mono = time.monotonic() + (t0 - time.time())
    end_mono = t0_mono + seconds
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        try:
            time.sleep(max(0.0, t0_mono - time.monotonic()))
            line = time_commands(port, 10**7, 0, 0, ["GET", key], until=end_mono)
        except Exception as e:  # report it, never run on
            line = f"0 - - - ({e})"
        os.write(write_end, f"probe {line}\n".encode())
        os._exit(0)
    os.close(write_end)
    conn = Connection(port)
    for k in range(int(round(seconds / step)) + 1):
        time.sleep(max(0.0, t0_mono + k * step - time.monotonic()))
        size = conn.call([b"DBSIZE"])
        print(f"{time.monotonic() - t0_mono:.3f} {size}", flush=True)
    with os.fdopen(read_end) as child_out:
        print(child_out.read(), end="")
    os.waitpid(child, 0)


def main(argv):
    mode, port = argv[0], int(argv[1])
    if mode == "time":
        count, seconds, rest = int(argv[2]), float(argv[3]), argv[4:]
        keys = 1
        if rest[:1] == ["--keys"]:
            keys, rest = int(rest[1]), rest[2:]
        print(time_commands(port, count, seconds, keys, rest))
    elif mode == "loop":
        loop(port, float(argv[2]), argv[3:])
    elif mode == "backlog":
        backlog(port, float(argv[2]), float(argv[3]), float(argv[4]), argv[5])
    else:
        sys.exit(f"probe.py: unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
