#!/usr/bin/env bash
# What one slow command costs the other clients. Loads N keys (default
# 1000000) into mini-redis and, when installed, redis-server; then one
# connection runs `KEYS nomatch:*` (a pass over every key) again and again,
# while another times PING, GET and SET, 200 of each, and prints the median
# and the worst time in milliseconds.
#
#   scripts/slow-command.sh [N]
#
# Redis serves every client from one event loop, so a PING waits for the
# whole KEYS pass. Here, each client has its own thread: a PING needs no lock,
# a GET shares the read lock with KEYS, and only a SET waits for it.
set -euo pipefail
cd "$(dirname "$0")/.."

keys=${1:-1000000}
cargo build --release --quiet

. scripts/servers.sh

# time_commands PORT: "command median_ms worst_ms" for PING, GET and SET.
time_commands() {
    python3 - "$1" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def call(*words):
    s.sendall(b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words))
    data = b""
    while not data.endswith(b"\r\n") or (data.startswith(b"$") and data.count(b"\r\n") < 2 and data != b"$-1\r\n"):
        data += s.recv(65536)
for name, words in (("PING", [b"PING"]), ("GET", [b"GET", b"key:1"]), ("SET", [b"SET", b"key:1", b"v"])):
    times = []
    for _ in range(200):
        start = time.perf_counter()
        call(*words)
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.005)
    times.sort()
    print(f"{name} {times[len(times) // 2]:.2f} {times[-1]:.2f}")
PY
}

measure() { # name port
    local name=$1 port=$2 slow line
    awk -v n="$keys" 'BEGIN { for (i = 1; i <= n; i++) printf "SET key:%d v\r\n", i }' |
        redis-cli -p "$port" --pipe >/dev/null
    # Without the slow client first, for reference.
    while read -r line; do
        printf '%-12s %-10s %-5s %10s %10s\n' "$name" idle $line
    done < <(time_commands "$port")
    (while redis-cli -p "$port" KEYS 'nomatch:*' >/dev/null; do :; done) &
    slow=$!
    sleep 1
    while read -r line; do
        printf '%-12s %-10s %-5s %10s %10s\n' "$name" "KEYS loop" $line
    done < <(time_commands "$port")
    # The loop first, then the redis-cli it may be running.
    kill "$slow" 2>/dev/null || true
    pkill -P "$slow" 2>/dev/null || true
    wait "$slow" 2>/dev/null || true
}

printf '%-12s %-10s %-5s %10s %10s\n' server meanwhile cmd median_ms worst_ms
port=$(free_port)
start_server "$port" ./target/release/mini-redis --port "$port" --loglevel warning
measure mini-redis "$port"

if command -v redis-server >/dev/null 2>&1; then
    port=$(free_port)
    start_server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning
    measure redis-server "$port"
fi
