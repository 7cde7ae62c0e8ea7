#!/usr/bin/env bash
# How fast a backlog of expired keys goes away when nobody reads them, and
# what reaping it costs a reader. For mini-redis and redis-server, each
# started fresh: loads N keys (default 1000000) with PX 2000, pipelined, and
# never reads them. The keys expire from t0 = the load's start + 2 s (the
# last ones at t0 + the load's duration). From t0 to t0 + 5 s, DBSIZE (which
# counts expired keys not yet deleted, in both servers) is sampled every
# 250 ms, while another client times GETs of one key without a TTL, one at a
# time. Prints, side by side, the share of the N keys left at +1, +2 and
# +3 s, when DBSIZE reached 0, and the GET latency during the reaping beside
# the same GET timed for 1 s before the load.
#
#   scripts/expiry-backlog.sh [N]
#   SAMPLES=1 scripts/expiry-backlog.sh [N]   # and every DBSIZE sample
#
# Only active expiry (the reaper thread here, serverCron and beforeSleep in
# Redis) can delete these keys: no command touches them. Both run 10 cycles a
# second (hz 10). The sampler and the GET client are scripts/probe.py.
set -euo pipefail
cd "$(dirname "$0")/.."

keys=${1:-1000000}
command -v redis-server >/dev/null 2>&1 || {
    echo "expiry-backlog.sh: redis-server not found" >&2
    exit 1
}
cargo build --release --quiet

. scripts/servers.sh
probe_key=expiry-backlog:probe
now() { date +%s.%N; }

declare -A result # "server what" -> value

measure() { # SERVER START_FUNCTION
    local server=$1 start end t0 line offset size k=0 zero="not within 5 s"
    "$2"
    redis-cli -p "$port" SET "$probe_key" v >/dev/null
    result[$server idle]=$(python3 scripts/probe.py time "$port" 1000000 1 GET "$probe_key")
    start=$(now)
    load_keys "$port" "$keys" PX 2000
    end=$(now)
    t0=$(awk -v s="$start" 'BEGIN { printf "%.6f", s + 2 }')
    result[$server load]=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    while read -r line; do
        case $line in
        probe\ *) result[$server reaping]=${line#probe } ;;
        *)
            read -r offset size <<<"$line"
            # DBSIZE counts the probe key too.
            size=$((size - 1))
            result[$server $k]=$(awk -v s="$size" -v n="$keys" 'BEGIN { printf "%.1f%% (%d)", s * 100 / n, s }')
            result[$server offset $k]=$offset
            if [ "$size" -eq 0 ] && [ "$zero" = "not within 5 s" ]; then
                zero="+${offset} s"
            fi
            k=$((k + 1))
            ;;
        esac
    done < <(python3 scripts/probe.py backlog "$port" "$t0" 5 0.25 "$probe_key")
    result[$server zero]=$zero
    stop_server "$server_pid"
}

measure mini-redis start_mini_redis
measure redis-server start_redis

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
field() { # "n p50 p99 max" INDEX
    local -a f
    read -r -a f <<<"$1"
    echo "${f[$2]}"
}
names=(n p50 p99 max)
format='%-26s %18s %18s %6s\n'
# shellcheck disable=SC2059 # the format is a variable on purpose
{
    echo "N = $keys keys with PX 2000; t0 = load start + 2.000 s; DBSIZE every 0.25 s from t0 to t0 + 5 s"
    printf "$format" "" mini-redis redis-server ratio
    printf "$format" "load took (s)" "${result[mini-redis load]}" "${result[redis-server load]}" \
        "$(ratio "${result[mini-redis load]}" "${result[redis-server load]}")"
    for k in 4 8 12; do
        printf "$format" "left at t0 + $((k / 4)) s" "${result[mini-redis $k]}" "${result[redis-server $k]}" ""
    done
    printf "$format" "DBSIZE 0 at" "${result[mini-redis zero]}" "${result[redis-server zero]}" ""
    for phase in idle reaping; do
        a=${result[mini-redis $phase]} b=${result[redis-server $phase]}
        printf "$format" "GETs timed, $phase" "$(field "$a" 0)" "$(field "$b" 0)" ""
        for i in 1 2 3; do
            printf "$format" "GET ${names[i]} ms, $phase" "$(field "$a" "$i")" "$(field "$b" "$i")" \
                "$(ratio "$(field "$a" "$i")" "$(field "$b" "$i")")"
        done
    done
    if [ "${SAMPLES:-}" = 1 ]; then
        echo
        printf '%-10s %12s %18s %12s %18s\n' sample offset_mini left_mini offset_red left_red
        for ((k = 0; k <= 20; k++)); do
            printf '%-10s %12s %18s %12s %18s\n' "t0+$(awk -v k="$k" 'BEGIN { printf "%.2f", k / 4 }')" \
                "${result[mini-redis offset $k]:--}" "${result[mini-redis $k]:--}" \
                "${result[redis-server offset $k]:--}" "${result[redis-server $k]:--}"
        done
    fi
}
