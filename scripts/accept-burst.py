#!/usr/bin/env python3
"""The timing client of accept-burst.sh: opens connections to one server and
times how long until every one of them has had its PING answered.

    accept-burst.py PORT N burst|serial

burst:  all N connects are started at once (non-blocking), and each sends
        PING as soon as it is connected; the server sees N connections
        arrive together, as after a restart or a network blip.
serial: one connection after another, each connected and answered before
        the next starts (all stay open).

Prints: seconds answered rejected failed (rejected: the max-clients error).
"""
import selectors
import socket
import sys
import time

PING = b"*1\r\n$4\r\nPING\r\n"


def outcome(reply):
    """0: answered PONG, 1: rejected with the max-clients error, 2: anything else."""
    if reply == b"+PONG\r\n":
        return 0
    if reply.startswith(b"-ERR max number of clients"):
        return 1
    return 2


def burst(port, n):
    sel = selectors.DefaultSelector()
    socks = []
    replies = {}
    start = time.perf_counter()
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE)
    counts = [0, 0, 0]
    pending = n
    while pending:
        events = sel.select(timeout=120)
        if not events:
            break
        for key, mask in events:
            s = key.fileobj
            if mask & selectors.EVENT_WRITE:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    counts[2] += 1
                    pending -= 1
                    sel.unregister(s)
                    continue
                s.send(PING)
                replies[s] = b""
                sel.modify(s, selectors.EVENT_READ)
                continue
            try:
                data = s.recv(256)
            except OSError:
                data = b""
            replies[s] += data
            got = replies[s]
            if got.endswith(b"\r\n") or not data:
                counts[outcome(got)] += 1
                pending -= 1
                sel.unregister(s)
    counts[2] += pending
    return time.perf_counter() - start, counts, socks


def serial(port, n):
    socks = []
    counts = [0, 0, 0]
    start = time.perf_counter()
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(PING)
        got = b""
        while not got.endswith(b"\r\n"):
            data = s.recv(256)
            if not data:
                break
            got += data
        counts[outcome(got)] += 1
        socks.append(s)
    return time.perf_counter() - start, counts, socks


def main():
    port, n, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    seconds, (answered, rejected, failed), socks = (burst if mode == "burst" else serial)(port, n)
    print(f"{seconds:.3f} {answered} {rejected} {failed}")
    for s in socks:
        s.close()


main()
