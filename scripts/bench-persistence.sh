#!/bin/sh
# Write throughput with the append-only file on, mini-redis beside
# redis-server, measured by redis-benchmark on this machine in one run.
#
#   scripts/bench-persistence.sh             # SET and LPUSH, everysec and always
#   QUICK=1 scripts/bench-persistence.sh     # fewer requests
#
# For each row both servers run with `--appendonly yes --appendfsync P` in a
# fresh directory of their own, and get the same redis-benchmark run (50
# clients, random keys), taking turns, ROUNDS times (default 3). The table
# shows the median requests per second of each, the ratio mini-redis/Redis,
# and each server's CPU time (user + system, all its threads) per request in
# microseconds, from /proc: the steadier figure on a busy machine.
# Machines are noisy: compare the ratio, not the absolute figures.
set -eu

cd "$(dirname "$0")/.."

for tool in redis-benchmark redis-server; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench-persistence.sh: $tool not found (Debian: apt-get install redis-server)" >&2
        exit 1
    }
done

rounds=${ROUNDS:-3}
requests=200000
[ "${QUICK:-}" = 1 ] && requests=20000

cargo build --release --quiet
work=$(mktemp -d)
pids=
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_ready() {
    i=0
    until redis-benchmark -p "$1" -n 1 -t ping -q >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 100 ] && { echo "bench-persistence.sh: server on port $1 did not start" >&2; exit 1; }
        sleep 0.1
    done
}

# start_pair POLICY: starts both servers with that appendfsync, in new dirs.
start_pair() {
    mkdir -p "$work/ours-$1" "$work/redis-$1"
    ours_port=$(free_port)
    (cd "$work/ours-$1" && exec "$OLDPWD/target/release/mini-redis" --port "$ours_port" \
        --loglevel warning --appendonly yes --appendfsync "$1") &
    ours_pid=$!
    pids="$pids $ours_pid"
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --loglevel warning \
        --dir "$work/redis-$1" --appendonly yes --appendfsync "$1" >/dev/null &
    redis_pid=$!
    pids="$pids $redis_pid"
    wait_ready "$ours_port"
    wait_ready "$redis_port"
}

ticks_per_second=$(getconf CLK_TCK)

# CPU time of a process in clock ticks (user + system), from /proc.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# rps PORT PID TEST -> "requests-per-second cpu-us-per-request"
rps() {
    before=$(cpu_ticks "$2")
    rate=$(redis-benchmark -p "$1" -t "$3" -n "$requests" -c 50 -r 100000 --csv |
        awk -F'"' 'NR == 2 { print $4 }')
    after=$(cpu_ticks "$2")
    awk -v r="$rate" -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN { printf "%s %.1f\n", r, t / hz * 1e6 / n }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "| test | appendfsync | clients | mini-redis req/s | Redis req/s | ratio | CPU µs/req mini | CPU µs/req Redis |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for policy in ${POLICIES:-everysec always}; do
    start_pair "$policy"
    for test in set lpush; do
        : >"$work/ours" >"$work/redis"
        i=0
        while [ $i -lt "$rounds" ]; do
            rps "$ours_port" "$ours_pid" "$test" >>"$work/ours"
            rps "$redis_port" "$redis_pid" "$test" >>"$work/redis"
            i=$((i + 1))
        done
        ours=$(cut -d' ' -f1 "$work/ours" | median)
        redis=$(cut -d' ' -f1 "$work/redis" | median)
        ours_cpu=$(cut -d' ' -f2 "$work/ours" | median)
        redis_cpu=$(cut -d' ' -f2 "$work/redis" | median)
        ratio=$(awk -v a="$ours" -v b="$redis" 'BEGIN { printf "%.2f", a / b }')
        printf '| %s | %s | 50 | %.0f | %.0f | %s | %s | %s |\n' \
            "$(echo "$test" | tr a-z A-Z)" "$policy" "$ours" "$redis" "$ratio" "$ours_cpu" "$redis_cpu"
    done
done
