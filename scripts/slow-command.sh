#!/usr/bin/env bash
# What one slow command costs the other clients. Loads N keys (default
# 1000000; every other one with a far-future TTL, EX 100000, so the reaper
# has work to look at) into mini-redis and redis-server. One connection then
# sends `KEYS *nomatch*` (a pass over every key, matching none) back to back,
# while another times M GETs (default 2000) of random existing keys, one at a
# time, then 200 PINGs and 200 SETs. The same is timed first without the KEYS
# loop, for reference, and the `idle KEYS` row is how long one pass takes.
# Prints p50 / p99 / max in milliseconds for both servers side by side and
# the ratios mini-redis/Redis.
#
#   scripts/slow-command.sh [N] [M]
#   LIMIT=40 scripts/slow-command.sh   # seconds for the GETs under the loop
#
# Under the loop each timed command may wait for a whole pass, so the GETs
# stop after LIMIT seconds (default 40), and the PINGs and SETs after LIMIT/4;
# the n columns say how many were timed. The timing client is
# scripts/probe.py: one raw socket, perf_counter around send and reply.
#
# Redis serves every client from one event loop, so a PING waits for the
# whole KEYS pass. Here, each client has its own thread: a PING needs no lock,
# a GET shares the read lock with KEYS, and only a SET waits for it.
set -euo pipefail
cd "$(dirname "$0")/.."

keys=${1:-1000000}
gets=${2:-2000}
limit=${LIMIT:-40}
cheap_limit=$(((limit + 3) / 4))
command -v redis-server >/dev/null 2>&1 || {
    echo "slow-command.sh: redis-server not found" >&2
    exit 1
}
cargo build --release --quiet

. scripts/servers.sh

declare -A result # "server meanwhile cmd" -> "n p50 p99 max"

# time_commands SERVER MEANWHILE SECONDS: times GET, PING and SET on $port.
time_commands() {
    local server=$1 meanwhile=$2 seconds=$3
    result[$server $meanwhile GET]=$(python3 scripts/probe.py time "$port" "$gets" "$seconds" \
        --keys "$keys" GET %k)
    result[$server $meanwhile PING]=$(python3 scripts/probe.py time "$port" 200 "$cheap_limit" PING)
    result[$server $meanwhile SET]=$(python3 scripts/probe.py time "$port" 200 "$cheap_limit" \
        SET slow-command:probe v)
}

measure() { # SERVER START_FUNCTION
    local server=$1 loop_pid
    "$2"
    load_keys "$port" "$keys" EX 100000 2
    result[$server idle KEYS]=$(python3 scripts/probe.py time "$port" 3 60 KEYS '*nomatch*')
    time_commands "$server" idle 60
    python3 scripts/probe.py loop "$port" $((limit * 3 + 60)) KEYS '*nomatch*' &
    loop_pid=$!
    stop_on_exit "$loop_pid"
    sleep 1
    time_commands "$server" "KEYS loop" "$limit"
    stop_server "$loop_pid"
    stop_server "$server_pid"
}

measure mini-redis start_mini_redis
measure redis-server start_redis

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
format='%-10s %-5s %6s %6s %9s %9s %6s %9s %9s %6s %9s %9s\n'
# shellcheck disable=SC2059 # the format is a variable on purpose
printf "$format" meanwhile cmd n_mini n_red p50_mini p50_red p50_x p99_mini p99_red p99_x max_mini max_red
for row in "idle|KEYS" "idle|GET" "idle|PING" "idle|SET" "KEYS loop|GET" "KEYS loop|PING" "KEYS loop|SET"; do
    meanwhile=${row%|*} cmd=${row#*|}
    read -r n1 a50 a99 amax <<<"${result[mini-redis $meanwhile $cmd]}"
    read -r n2 b50 b99 bmax <<<"${result[redis-server $meanwhile $cmd]}"
    # shellcheck disable=SC2059
    printf "$format" "$meanwhile" "$cmd" "$n1" "$n2" "$a50" "$b50" "$(ratio "$a50" "$b50")" \
        "$a99" "$b99" "$(ratio "$a99" "$b99")" "$amax" "$bmax"
done
