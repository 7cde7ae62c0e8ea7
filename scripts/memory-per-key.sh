#!/usr/bin/env bash
# What a key costs in memory. For mini-redis and redis-server, each started
# fresh: reads the server's resident memory (VmRSS in /proc/PID/status),
# loads N keys (default 1000000), key:00000000 to key:N-1 each with a
# 16-byte value, pipelined through redis-cli --pipe, waits until DBSIZE is N,
# reads VmRSS again, and prints the growth per key in bytes and the ratio
# mini-redis/Redis. Redis runs with persistence off.
#
#   scripts/memory-per-key.sh [N]
#   TTL=1 scripts/memory-per-key.sh [N]   # and again with EX 100000 on every key
#   AGGREGATES="list set" scripts/memory-per-key.sh [N]   # only these rows below
#
# Then, for each of list, hash, set and zset (AGGREGATES, default all four),
# one key holding N small elements (16-byte strings; a hash's values and a
# sorted set's scores besides), loaded 100 to a command, and the growth per
# element.
#
# RSS counts what the allocator holds, not only what the keys use: hash
# tables grow by doubling, so the figure per key depends on where N falls
# between two sizes. Compare the two servers at the same N.
set -euo pipefail
cd "$(dirname "$0")/.."

keys=${1:-1000000}
command -v redis-server >/dev/null 2>&1 || {
    echo "memory-per-key.sh: redis-server not found" >&2
    exit 1
}
cargo build --release --quiet

. scripts/servers.sh
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# measure START_FUNCTION [EX SECONDS]: sets rss_before and rss_after (KiB).
measure() {
    local start=$1 tries=0
    shift
    "$start"
    rss_before=$(rss_kib "$server_pid")
    load_keys "$port" "$keys" "$@"
    until [ "$(dbsize "$port")" -eq "$keys" ]; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "memory-per-key.sh: DBSIZE is $(dbsize "$port"), not $keys" >&2
            exit 1
        fi
        sleep 0.1
    done
    rss_after=$(rss_kib "$server_pid")
    stop_server "$server_pid"
}

# load_aggregate PORT TYPE N: one key, "agg", of TYPE with N elements
# member:000000000 .. (16 bytes), 100 to a command, through redis-cli --pipe.
load_aggregate() {
    local port=$1 type=$2 n=$3 out
    out=$(awk -v n="$n" -v type="$type" 'BEGIN {
        cmd["list"] = "RPUSH"; cmd["hash"] = "HSET"; cmd["set"] = "SADD"; cmd["zset"] = "ZADD"
        per = (type == "hash" || type == "zset") ? 2 : 1
        for (i = 0; i < n; i += 100) {
            count = (n - i < 100) ? n - i : 100
            printf "*%d\r\n$%d\r\n%s\r\n$3\r\nagg\r\n", 2 + count * per, length(cmd[type]), cmd[type]
            for (j = i; j < i + count; j++) {
                if (type == "zset") printf "$%d\r\n%d\r\n", length(j ""), j
                printf "$16\r\nmember:%09d\r\n", j
                if (type == "hash") printf "$16\r\nvalue:%010d\r\n", j
            }
        }
    }' | redis-cli -p "$port" --pipe 2>&1) || true
    case $out in
    *"errors: 0,"*) ;;
    *)
        echo "$(basename "$0"): loading a $type of $n on port $port failed: $out" >&2
        exit 1
        ;;
    esac
}

# measure_aggregate START_FUNCTION TYPE: sets rss_before and rss_after (KiB).
measure_aggregate() {
    local start=$1 type=$2 tries=0
    "$start"
    rss_before=$(rss_kib "$server_pid")
    load_aggregate "$port" "$type" "$keys"
    declare -A size_command=([list]=LLEN [hash]=HLEN [set]=SCARD [zset]=ZCARD)
    until [ "$(redis-cli -p "$port" "${size_command[$type]}" agg)" -eq "$keys" ]; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "memory-per-key.sh: the $type has $(redis-cli -p "$port" "${size_command[$type]}" agg) elements, not $keys" >&2
            exit 1
        fi
        sleep 0.1
    done
    rss_after=$(rss_kib "$server_pid")
    stop_server "$server_pid"
}

per_key() { awk -v a="$2" -v b="$1" -v n="$keys" 'BEGIN { printf "%.1f", (a - b) * 1024 / n }'; }

# print_row LABEL: one row of the table, from mini0 miniN redis0 redisN.
print_row() {
    local mini redis
    mini=$(per_key "$mini0" "$miniN")
    redis=$(per_key "$redis0" "$redisN")
    printf '%-10s %8d %10d %10d %10d %10d %9s %9s %6s\n' "$1" "$keys" "$mini0" "$miniN" \
        "$redis0" "$redisN" "$mini" "$redis" \
        "$(awk -v a="$mini" -v b="$redis" 'BEGIN { printf "%.2f", a / b }')"
}

rows=("none|")
[ "${TTL:-}" = 1 ] && rows+=("EX 100000|EX 100000")

printf '%-10s %8s %10s %10s %10s %10s %9s %9s %6s\n' ttl keys rss0_mini rssN_mini \
    rss0_redis rssN_redis B/key_mini B/key_red ratio
for row in "${rows[@]}"; do
    label=${row%%|*}
    # shellcheck disable=SC2206 # "EX 100000" is two words on purpose
    ttl=(${row#*|})
    measure start_mini_redis "${ttl[@]}"
    mini0=$rss_before miniN=$rss_after
    measure start_redis "${ttl[@]}"
    redis0=$rss_before redisN=$rss_after
    print_row "$label"
done

aggregates=${AGGREGATES-list hash set zset}
[ -n "$aggregates" ] && printf '\n%-10s %8s %10s %10s %10s %10s %9s %9s %6s\n' type elements rss0_mini \
    rssN_mini rss0_redis rssN_redis B/el_mini B/el_red ratio
for type in $aggregates; do
    measure_aggregate start_mini_redis "$type"
    mini0=$rss_before miniN=$rss_after
    measure_aggregate start_redis "$type"
    redis0=$rss_before redisN=$rss_after
    print_row "$type"
done
