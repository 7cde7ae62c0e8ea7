#!/usr/bin/env bash
# Throughput, tail latency and CPU per request of mini-redis beside
# redis-server, measured by redis-benchmark on this machine in one run.
#
#   scripts/bench.sh                  # the full table (about ten minutes)
#   QUICK=1 scripts/bench.sh          # a tenth of the requests, for a quick look
#   TESTS="set get" scripts/bench.sh  # only these redis-benchmark tests
#   CONFIGS="c50 c1" scripts/bench.sh # only these rows (c50 c50p16 c1 c500)
#   CSV=out.csv scripts/bench.sh      # also every single run, one line each
#
# For each row, both servers get the same redis-benchmark run, taking turns,
# ROUNDS times (default 3); the table shows the median of each server's
# runs, and the ratios mini-redis / Redis:
#   rps      requests per second (higher is better)
#   p99      the 99th percentile latency redis-benchmark saw, in ms
#   cpu      the server's CPU time (user + system) per request, in µs, read
#            from /proc around the run
#   cores    how many cores the server kept busy (cpu × rps): a server that
#            spins shows it here
# Machines are noisy: compare the ratios, and their spread between runs.
# Needs redis-benchmark and redis-server (Debian: redis-tools, redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in redis-benchmark redis-server; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench.sh: $tool not found (Debian: apt-get install redis-server)" >&2
        exit 1
    }
done

scale=1
rounds=${ROUNDS:-3}
tests=${TESTS:-set get incr lpush rpush lpop sadd hset zadd lrange_100 mset ping_mbulk}
configs=${CONFIGS:-c50 c50p16 c1 c500}
[ "${QUICK:-}" = 1 ] && scale=10

cargo build --release --quiet
# shellcheck source=scripts/servers.sh
. scripts/servers.sh

# Enough file descriptors for 500 clients.
ulimit -n 4096 2>/dev/null || true
start_mini_redis
ours_port=$port ours_pid=$server_pid
start_redis
redis_port=$port redis_pid=$server_pid

# CPU time of a process in clock ticks (user + system), from /proc.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# flags and requests of a row
row_flags() {
    case $1 in
    c50) echo "-c 50|100000|50" ;;
    c50p16) echo "-c 50 -P 16|1000000|50, -P 16" ;;
    c1) echo "-c 1|20000|1" ;;
    c500) echo "-c 500|100000|500" ;;
    *) echo "bench.sh: unknown row $1" >&2 && exit 1 ;;
    esac
}

# run PORT PID TEST REQUESTS FLAGS -> prints "rps p99_ms cpu_us_per_request"
run() {
    local port=$1 pid=$2 test=$3 requests=$4 flags=$5 before after out
    before=$(cpu_ticks "$pid")
    # shellcheck disable=SC2086 # flags are words on purpose
    # The last row: the LRANGE tests first print the LPUSH that fills the list.
    out=$(redis-benchmark -p "$port" -t "$test" -n "$requests" $flags -r 100000 --csv |
        awk -F'"' 'NR > 1 { out = $4 " " $14 } END { print out }')
    after=$(cpu_ticks "$pid")
    awk -v out="$out" -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN { printf "%s %.2f\n", out, t / hz * 1e6 / n }'
}

# Lines of numbers on stdin -> the median of column $1.
median() {
    awk -v c="$1" 'NF { print $c }' | sort -g | awk '{ v[NR] = $1 } END {
        print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
# The spread of a server's runs: lowest and highest rps as a share of the median.
spread() { # runs median
    printf '%s' "$1" | awk -v m="$2" '!NF { next } lo == "" || $1 < lo { lo = $1 } hi == "" || $1 > hi { hi = $1 }
        END { printf "%.2f-%.2f", lo / m, hi / m }'
}

[ -n "${CSV:-}" ] && echo "server,test,clients,pipeline,round,rps,p99_ms,cpu_us" >"$CSV"
echo "| test | clients | rps mini | rps Redis | rps ratio | spread mini | spread Redis | p99 ms mini | p99 ms Redis | p99 ratio | CPU µs mini | CPU µs Redis | CPU ratio | cores mini | cores Redis |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for config in $configs; do
    IFS='|' read -r flags requests label <<<"$(row_flags "$config")"
    requests=$((requests / scale))
    clients=$(awk '{ print $2 }' <<<"$flags")
    pipeline=$(awk '{ print ($4 == "") ? 1 : $4 }' <<<"$flags")
    for test in $tests; do
        ours_runs="" redis_runs=""
        for ((i = 1; i <= rounds; i++)); do
            # Taking turns, the first server to run changing every round.
            if ((i % 2)); then order="ours redis"; else order="redis ours"; fi
            for server in $order; do
                if [ "$server" = ours ]; then
                    line=$(run "$ours_port" "$ours_pid" "$test" "$requests" "$flags")
                    ours_runs+="$line"$'\n'
                    name=mini-redis
                else
                    line=$(run "$redis_port" "$redis_pid" "$test" "$requests" "$flags")
                    redis_runs+="$line"$'\n'
                    name=redis-server
                fi
                [ -n "${CSV:-}" ] && echo "$name,$test,$clients,$pipeline,$i,${line// /,}" >>"$CSV"
            done
        done
        o_rps=$(median 1 <<<"$ours_runs") r_rps=$(median 1 <<<"$redis_runs")
        o_p99=$(median 2 <<<"$ours_runs") r_p99=$(median 2 <<<"$redis_runs")
        o_cpu=$(median 3 <<<"$ours_runs") r_cpu=$(median 3 <<<"$redis_runs")
        printf '| %s | %s | %.0f | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f |\n' \
            "$(tr "[:lower:]" "[:upper:]" <<<"${test%_mbulk}")" "$label" "$o_rps" "$r_rps" "$(ratio "$o_rps" "$r_rps")" \
            "$(spread "$ours_runs" "$o_rps")" "$(spread "$redis_runs" "$r_rps")" \
            "$o_p99" "$r_p99" "$(ratio "$o_p99" "$r_p99")" \
            "$o_cpu" "$r_cpu" "$(ratio "$o_cpu" "$r_cpu")" \
            "$(awk -v c="$o_cpu" -v r="$o_rps" 'BEGIN { print c * r / 1e6 }')" \
            "$(awk -v c="$r_cpu" -v r="$r_rps" 'BEGIN { print c * r / 1e6 }')"
    done
done
