#!/usr/bin/env bash
# What idle clients cost: opens N connections (default 10000) to mini-redis,
# to redis-server when installed, and to an asyncio server in the Python
# workshop's shape (scripts/asyncio-ping.py), and prints each server's
# resident memory before and after, per client, its thread count, and how
# long a PING takes with all those clients connected.
#
#   scripts/idle-clients.sh [N]
#
# Connections are opened with bash's /dev/tcp, so nothing but bash and
# redis-cli (for the PING) is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${1:-10000}
ulimit -n $((clients + 200)) 2>/dev/null || {
    echo "idle-clients.sh: cannot open $clients files (ulimit -Hn is $(ulimit -Hn))" >&2
    exit 1
}
cargo build --release --quiet

. scripts/servers.sh
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
ping_ms() {
    local start end
    start=$(date +%s%N)
    redis-cli -p "$1" PING >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

measure() { # name port pid
    local name=$1 port=$2 pid=$3 before after fds=() fd i
    before=$(rss_kib "$pid")
    for ((i = 0; i < clients; i++)); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$port"
        fds+=("$fd")
    done
    sleep 1
    after=$(rss_kib "$pid")
    printf '%-12s %8d %12d %12d %12.1f %8d %8d\n' "$name" "$clients" "$before" "$after" \
        "$(awk -v a="$after" -v b="$before" -v n="$clients" 'BEGIN { print (a - b) / n }')" \
        "$(threads "$pid")" "$(ping_ms "$port")"
    for fd in "${fds[@]}"; do exec {fd}>&-; done
}

printf '%-12s %8s %12s %12s %12s %8s %8s\n' server clients rss_kib_0 rss_kib_n kib_per_client threads ping_ms
port=$(free_port)
start_server "$port" ./target/release/mini-redis --port "$port" --maxclients $((clients + 100)) --loglevel warning
measure mini-redis "$port" "$server_pid"

if command -v redis-server >/dev/null 2>&1; then
    port=$(free_port)
    start_server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --maxclients $((clients + 100)) --loglevel warning
    measure redis-server "$port" "$server_pid"
fi

port=$(free_port)
start_server "$port" python3 scripts/asyncio-ping.py "$port"
measure asyncio "$port" "$server_pid"
