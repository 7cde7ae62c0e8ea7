#!/bin/sh
# Throughput of mini-redis beside redis-server, measured by redis-benchmark
# on this machine in one run.
#
#   scripts/bench.sh            # the full table
#   QUICK=1 scripts/bench.sh    # fewer requests, for a quick look
#   TESTS="set get" scripts/bench.sh   # only these redis-benchmark tests
#
# For each row, both servers get the same redis-benchmark run, taking turns,
# ROUNDS times (default 3); the table shows the median of each server's runs:
# requests per second, the ratio mini-redis/Redis, and each server's CPU time
# (user + system) per request in microseconds, read from /proc around the run.
# Machines are noisy: compare the ratio, not the absolute figures.
# Needs redis-benchmark (Debian: redis-tools); redis-server is optional.
set -eu

cd "$(dirname "$0")/.."

command -v redis-benchmark >/dev/null 2>&1 || {
    echo "bench.sh: redis-benchmark not found (Debian: apt-get install redis-tools)" >&2
    exit 1
}

scale=1
rounds=${ROUNDS:-3}
tests=${TESTS:-set get incr ping_mbulk lpush rpush lpop sadd hset zadd lrange_100 mset}
[ "${QUICK:-}" = 1 ] && scale=10

cargo build --release --quiet

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + $$ % 20000 + $1))
}

ours_port=$(free_port 1)
./target/release/mini-redis --port "$ours_port" --loglevel warning &
ours_pid=$!
redis_pid=
cleanup() {
    kill "$ours_pid" 2>/dev/null || true
    [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if command -v redis-server >/dev/null 2>&1; then
    redis_port=$(free_port 2)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
        --loglevel warning >/dev/null &
    redis_pid=$!
else
    echo "bench.sh: redis-server not found; showing mini-redis alone" >&2
fi

wait_ready() {
    i=0
    until redis-benchmark -p "$1" -n 1 -t ping -q >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 100 ] && { echo "bench.sh: server on port $1 did not start" >&2; exit 1; }
        sleep 0.1
    done
}
wait_ready "$ours_port"
[ -n "$redis_pid" ] && wait_ready "$redis_port"

# CPU time of a process in clock ticks (user + system), from /proc.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
ticks_per_second=$(getconf CLK_TCK)

# run PORT PID TEST REQUESTS ARGS... -> prints "rps cpu_us_per_request"
run() {
    port=$1 pid=$2 test=$3 requests=$4
    shift 4
    before=$(cpu_ticks "$pid")
    # The last row: the LRANGE tests first print the LPUSH that fills the list.
    rps=$(redis-benchmark -p "$port" -t "$test" -n "$requests" "$@" --csv |
        awk -F'"' 'NR > 1 { rps = $4 } END { print rps }')
    after=$(cpu_ticks "$pid")
    awk -v rps="$rps" -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN { printf "%s %.2f\n", rps, t / hz * 1e6 / n }'
}

# Lines of "rps cpu" on stdin -> the median line by rps.
median() {
    sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

printf '%-10s %-18s %12s %12s %6s %11s %12s\n' test clients rps_mini rps_redis ratio cpu_us_mini cpu_us_redis
for config in "50 clients|-c 50|100000" "50 clients, -P 16|-c 50 -P 16|1000000" "1 client|-c 1|20000"; do
    label=${config%%|*}
    rest=${config#*|}
    flags=${rest%%|*}
    requests=$((${rest#*|} / scale))
    for test in $tests; do
        ours_runs= redis_runs=
        i=0
        while [ $i -lt "$rounds" ]; do
            # shellcheck disable=SC2086 # flags are words on purpose
            ours_runs="$ours_runs$(run "$ours_port" "$ours_pid" "$test" "$requests" $flags -r 100000)
"
            if [ -n "$redis_pid" ]; then
                # shellcheck disable=SC2086
                redis_runs="$redis_runs$(run "$redis_port" "$redis_pid" "$test" "$requests" $flags -r 100000)
"
            fi
            i=$((i + 1))
        done
        set -- $(printf '%s' "$ours_runs" | median)
        ours_rps=$1 ours_cpu=$2
        if [ -n "$redis_pid" ]; then
            set -- $(printf '%s' "$redis_runs" | median)
            redis_rps=$1 redis_cpu=$2
            ratio=$(awk -v a="$ours_rps" -v b="$redis_rps" 'BEGIN { printf "%.2f", a / b }')
        else
            redis_rps=- redis_cpu=- ratio=-
        fi
        printf '%-10s %-18s %12s %12s %6s %11s %12s\n' "$test" "$label" "$ours_rps" "$redis_rps" "$ratio" "$ours_cpu" "$redis_cpu"
    done
done
