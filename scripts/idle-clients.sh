#!/usr/bin/env bash
# What idle clients cost: opens N connections (default 10000) to mini-redis,
# to redis-server, and to an asyncio server in the Python workshop's shape
# (scripts/asyncio-ping.py), and prints each server's resident memory
# before, with them connected, and after they all left, per client, its
# thread count, and how long a PING takes with all those clients connected.
#
#   scripts/idle-clients.sh [N...]        # one table row per server and N
#   CSV=out.csv scripts/idle-clients.sh   # the rows as CSV too
#
# Each server is measured twice with fresh processes: `silent` clients only
# connect; `pinged` clients each send one PING and read the answer first,
# as a client library does when it opens a connection, so the server has
# read from and written to every one of them.
#
# Connections are opened with bash's /dev/tcp, so nothing but bash and
# redis-cli (for the timed PING) is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=("${@:-10000}")
most=0
for n in "${counts[@]}"; do ((n > most)) && most=$n; done
ulimit -n $((most + 200)) 2>/dev/null || {
    echo "idle-clients.sh: cannot open $most files (ulimit -Hn is $(ulimit -Hn))" >&2
    exit 1
}
cargo build --release --quiet

# shellcheck source=scripts/servers.sh
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

# measure NAME MODE CLIENTS PORT PID
measure() {
    local name=$1 mode=$2 clients=$3 port=$4 pid=$5 before with after ping fds=() fd i
    before=$(rss_kib "$pid")
    for ((i = 0; i < clients; i++)); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$port"
        fds+=("$fd")
        if [ "$mode" = pinged ]; then
            printf "*1\r\n\$4\r\nPING\r\n" >&"$fd"
            read -r -u "$fd" _
        fi
    done
    sleep 1
    with=$(rss_kib "$pid")
    ping=$(ping_ms "$port")
    local nthreads
    nthreads=$(threads "$pid")
    for fd in "${fds[@]}"; do exec {fd}>&-; done
    sleep 2
    after=$(rss_kib "$pid")
    local per_client
    per_client=$(awk -v a="$with" -v b="$before" -v n="$clients" 'BEGIN { printf "%.1f", (a - b) / n }')
    printf '| %s | %s | %d | %d | %d | %s | %d | %d | %d |\n' "$name" "$mode" "$clients" \
        "$before" "$with" "$per_client" "$after" "$nthreads" "$ping"
    [ -n "${CSV:-}" ] && echo "$name,$mode,$clients,$before,$with,$per_client,$after,$nthreads,$ping" >>"$CSV"
    return 0
}

[ -n "${CSV:-}" ] && echo "server,mode,clients,rss_kib_before,rss_kib_with,kib_per_client,rss_kib_after,threads,ping_ms" >"$CSV"
echo "| server | clients | N | RSS KiB before | RSS KiB with N | KiB per client | RSS KiB after they left | threads | PING ms |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for clients in "${counts[@]}"; do
    for mode in silent pinged; do
        start_mini_redis --maxclients $((clients + 100))
        measure mini-redis "$mode" "$clients" "$port" "$server_pid"
        stop_server "$server_pid"

        start_redis --maxclients $((clients + 100))
        measure redis-server "$mode" "$clients" "$port" "$server_pid"
        stop_server "$server_pid"

        port=$(free_port)
        start_server "$port" python3 scripts/asyncio-ping.py "$port"
        measure asyncio "$mode" "$clients" "$port" "$server_pid"
        stop_server "$server_pid"
    done
done
