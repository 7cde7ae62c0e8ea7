#!/usr/bin/env bash
# How fast each server takes on many new connections: N connections opened
# at once (a burst, as when every client of a restarted server reconnects),
# then M opened one after another, each answered before the next. Every
# round starts each server fresh, in turn, and the table gives each round's
# seconds side by side and the ratio mini-redis / Redis.
#
#   scripts/accept-burst.sh [N] [M]      # N = 10000, M = 5000
#   ROUNDS=5 scripts/accept-burst.sh
#   BEFORE=path/to/older/mini-redis scripts/accept-burst.sh
#
# BEFORE adds another build of mini-redis to every round (columns before_s
# and before_x), for before-and-after figures from one run. The client is
# scripts/accept-burst.py (python3, standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."

burst=${1:-10000}
serial=${2:-5000}
rounds=${ROUNDS:-3}
before=${BEFORE:-}
most=$((burst > serial ? burst : serial))
ulimit -n $((most + 200)) 2>/dev/null || {
    echo "accept-burst.sh: cannot open $most files (ulimit -Hn is $(ulimit -Hn))" >&2
    exit 1
}
command -v redis-server >/dev/null || {
    echo "accept-burst.sh: redis-server is required" >&2
    exit 1
}
cargo build --release --quiet
. scripts/servers.sh

start_before() {
    port=$(free_port)
    start_server "$port" "$before" --port "$port" --loglevel warning "$@"
}

# time_one SERVER MODE N: starts SERVER (mini_redis, redis or before)
# fresh, runs the client, prints "seconds answered rejected failed", and
# stops the server.
time_one() {
    local server=$1 mode=$2 n=$3 result
    "start_$server" --maxclients $((n + 100)) 2>/dev/null
    result=$(python3 scripts/accept-burst.py "$port" "$n" "$mode")
    stop_server "$server_pid"
    echo "$result"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-8s %6s %5s %9s %9s %7s' mode n round mini_s redis_s mini_x
[ -n "$before" ] && printf ' %9s %9s' before_s before_x
printf '   %s\n' "answered (mini/redis)"
for mode in burst serial; do
    n=$burst
    [ "$mode" = serial ] && n=$serial
    for ((round = 1; round <= rounds; round++)); do
        if [ -n "$before" ]; then
            read -r before_s _ _ _ < <(time_one before "$mode" "$n")
        fi
        read -r mini_s mini_ok _ mini_failed < <(time_one mini_redis "$mode" "$n")
        read -r redis_s redis_ok _ redis_failed < <(time_one redis "$mode" "$n")
        printf '%-8s %6d %5d %9.3f %9.3f %7s' "$mode" "$n" "$round" "$mini_s" "$redis_s" \
            "$(ratio "$mini_s" "$redis_s")"
        [ -n "$before" ] && printf ' %9.3f %9s' "$before_s" "$(ratio "$before_s" "$redis_s")"
        printf '   %d/%d%s\n' "$mini_ok" "$redis_ok" \
            "$([ "$mini_failed$redis_failed" = 00 ] || echo " (failed: $mini_failed/$redis_failed)")"
    done
done
