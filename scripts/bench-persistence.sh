#!/usr/bin/env bash
# What persistence costs, mini-redis beside redis-server, in one run. For
# each server, started fresh in a directory of its own with N keys (default
# 1000000, key:00000000 .. with 16-byte values, loaded by load_keys):
#
#   save   how long SAVE takes (the reply's wait, timed by the client)
#   load   how long loading that dump at start takes ("DB loaded from disk")
#   bgsave writers' latency while a BGSAVE runs: one client times SETs of
#          random keys, one at a time, 0.2 ms apart, while another starts a
#          BGSAVE and polls INFO until it ends; the SETs sent while it ran
#          are reported as n / p50 / p99 / max in ms, with the BGSAVE's time.
#   rewrite the same for BGREWRITEAOF, once CONFIG SET appendonly yes has
#          turned the AOF on (and its own first rewrite is done).
#
# ROUNDS rounds (default 3), the two servers interleaved in each; the table
# shows each round and the ratio mini-redis/Redis of the medians.
#
# Then, with the append-only file on (both servers `--appendonly yes
# --appendfsync P` in a fresh directory each): write throughput of SET and
# LPUSH, 50 clients, random keys, AOF_REQUESTS requests (default 200000),
# the servers taking turns ROUNDS times; the medians of requests per second,
# the ratio, and each server's CPU time per request (user + system, all its
# threads, from /proc: the steadier figure on a busy machine).
#
#   scripts/bench-persistence.sh [N]
#   ROUNDS=5 scripts/bench-persistence.sh 1000000
#   ONLY=aof scripts/bench-persistence.sh    # or ONLY=rdb
set -euo pipefail
cd "$(dirname "$0")/.."

keys=${1:-1000000}
rounds=${ROUNDS:-3}
command -v redis-server >/dev/null 2>&1 || {
    echo "bench-persistence.sh: redis-server not found" >&2
    exit 1
}
cargo build --release --quiet

. scripts/servers.sh
work=$(mktemp -d)
trap 'kill "${server_pids[@]}" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

# start NAME DIR: the server NAME in DIR, its log in DIR/log; sets port, server_pid.
start() {
    local name=$1 dir=$2
    port=$(free_port)
    if [ "$name" = mini-redis ]; then
        start_server "$port" sh -c "exec ./target/release/mini-redis --port $port --save '' \
            --dir $dir 2>>$dir/log"
    else
        start_server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" \
            --appendonly no --dir "$dir" --logfile "$dir/log"
    fi
    # Redis answers PING while it loads: wait until it has loaded.
    until redis-cli -p "$port" INFO persistence | grep -q '^loading:0'; do sleep 0.05; done
}

# background_window PORT COMMAND FIELD: the window of a background job
# (BGSAVE, BGREWRITEAOF), timed from Python with scripts/probe.py's
# connection, until INFO persistence's FIELD is 0 again.
# The command and the INFO polls come from a second process, so that a SET
# may be in flight while the command itself runs, and so that a SET's time never
# includes a wait for another Python thread (the interpreter's lock); both
# processes read the same monotonic clock.
background_window() {
    python3 - "$1" "$keys" "$2" "$3" <<'PY'
import random, subprocess, sys, time
sys.path.insert(0, "scripts")
from probe import Connection, percentiles
port, keys = int(sys.argv[1]), int(sys.argv[2])
saver = subprocess.Popen([sys.executable, "-c", """
import sys, time
sys.path.insert(0, "scripts")
from probe import Connection
c, command, busy = Connection(int(sys.argv[1])), sys.argv[2].encode(), sys.argv[3].encode()
time.sleep(0.3)
start = time.monotonic()
c.call([command])
while busy + b":1" in c.call([b"INFO", b"persistence"]):
    time.sleep(0.01)
print(start, time.monotonic())
""", str(port), sys.argv[3], sys.argv[4]], stdout=subprocess.PIPE, text=True)
conn, timed = Connection(port), []
while saver.poll() is None:
    key = b"key:%08d" % random.randrange(keys)
    start = time.monotonic()
    conn.call([b"SET", key, b"changed"])
    timed.append((start, time.monotonic() - start))
    time.sleep(0.0002)
begin, end = map(float, saver.stdout.read().split())
inside = [d for s, d in timed if begin <= s <= end]
print(percentiles(inside), f"{(end - begin) * 1000:.0f}")
PY
}

# --- Write throughput with the append-only file on ---------------------------
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# aof_run PORT PID TEST -> "requests-per-second cpu-us-per-request"
aof_run() {
    local requests=${AOF_REQUESTS:-200000} before after rate
    before=$(cpu_ticks "$2")
    rate=$(redis-benchmark -p "$1" -t "$3" -n "$requests" -c 50 -r 100000 --csv |
        awk -F'"' 'NR == 2 { print $4 }')
    after=$(cpu_ticks "$2")
    awk -v r="$rate" -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN { printf "%s %.1f\n", r, t / hz * 1e6 / n }'
}

aof_median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [ "${ONLY:-aof}" = aof ]; then
    echo "| test | appendfsync | clients | mini-redis req/s | Redis req/s | ratio | CPU µs/req mini | CPU µs/req Redis |"
    echo "|---|---|---|---:|---:|---:|---:|---:|"
    for policy in everysec always; do
        mkdir -p "$work/aof-mini-$policy" "$work/aof-redis-$policy"
        port=$(free_port)
        start_server "$port" ./target/release/mini-redis --port "$port" --loglevel warning \
            --dir "$work/aof-mini-$policy" --save "" --appendonly yes --appendfsync "$policy"
        mini_port=$port mini_pid=$server_pid
        port=$(free_port)
        start_server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" \
            --loglevel warning --dir "$work/aof-redis-$policy" --appendonly yes \
            --appendfsync "$policy"
        redis_port=$port redis_pid=$server_pid
        for test in set lpush; do
            : >"$work/aof-mini" && : >"$work/aof-redis"
            for _ in $(seq 1 "$rounds"); do
                aof_run "$mini_port" "$mini_pid" "$test" >>"$work/aof-mini"
                aof_run "$redis_port" "$redis_pid" "$test" >>"$work/aof-redis"
            done
            a=$(cut -d' ' -f1 "$work/aof-mini" | aof_median)
            b=$(cut -d' ' -f1 "$work/aof-redis" | aof_median)
            printf '| %s | %s | 50 | %.0f | %.0f | %s | %s | %s |\n' \
                "${test^^}" "$policy" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" \
                "$(cut -d' ' -f2 "$work/aof-mini" | aof_median)" \
                "$(cut -d' ' -f2 "$work/aof-redis" | aof_median)"
        done
        stop_server "$mini_pid"
        stop_server "$redis_pid"
    done
fi
[ "${ONLY:-rdb}" = rdb ] || exit 0

declare -A result # "server round what" -> figures
for round in $(seq 1 "$rounds"); do
    for name in mini-redis redis-server; do
        dir=$work/$name-$round
        mkdir -p "$dir"
        start "$name" "$dir"
        load_keys "$port" "$keys"
        t0=$(now_ms)
        reply=$(redis-cli -p "$port" SAVE)
        result[$name $round save]=$(($(now_ms) - t0))
        [ "$reply" = OK ] || { echo "bench-persistence.sh: SAVE on $name: $reply" >&2; exit 1; }
        result[$name $round bgsave]=$(background_window "$port" BGSAVE rdb_bgsave_in_progress)
        # Turning the AOF on starts a rewrite; once it is done, time another.
        redis-cli -p "$port" CONFIG SET appendonly yes >/dev/null
        until [ "$(redis-cli -p "$port" INFO persistence | tr -d '\r' |
            grep -cx 'aof_rewrite_in_progress:0\|aof_rewrite_scheduled:0')" = 2 ]; do
            sleep 0.05
        done
        result[$name $round rewrite]=$(background_window "$port" BGREWRITEAOF aof_rewrite_in_progress)
        redis-cli -p "$port" CONFIG SET appendonly no >/dev/null
        stop_server "$server_pid"
        start "$name" "$dir"
        result[$name $round load]=$(awk '/DB loaded from disk/ { s = $(NF - 1) } END { printf "%d", s * 1000 }' "$dir/log")
        stop_server "$server_pid"
        rm -f "$dir"/*.rdb
    done
done

median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
printf '%-6s %10s %10s %7s\n' round save_mini save_red save_x
for what in save load; do
    echo "# $what of $keys keys, ms"
    for round in $(seq 1 "$rounds"); do
        a=${result[mini-redis $round $what]} b=${result[redis-server $round $what]}
        printf '%-6s %10s %10s %7s\n' "$round" "$a" "$b" "$(ratio "$a" "$b")"
    done
    ma=$(for r in $(seq 1 "$rounds"); do echo -n "${result[mini-redis $r $what]} "; done | median)
    mb=$(for r in $(seq 1 "$rounds"); do echo -n "${result[redis-server $r $what]} "; done | median)
    printf '%-6s %10s %10s %7s\n' median "$ma" "$mb" "$(ratio "$ma" "$mb")"
done
for job in bgsave rewrite; do
    echo "# SETs during ${job^^} (BGREWRITEAOF for rewrite): n p50 p99 max (ms), the job's ms"
    for round in $(seq 1 "$rounds"); do
        echo "$round mini-redis   ${result[mini-redis $round $job]}"
        echo "$round redis-server ${result[redis-server $round $job]}"
    done
done
