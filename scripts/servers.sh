# shellcheck shell=bash
# Sourced by the measuring scripts (bash): start servers on free ports, wait
# until they answer, load keys into them, and stop them all (and any helper
# registered with stop_on_exit) when the script exits.

server_pids=()
# The servers' working directory: a dump one of them saves on its way out
# must not be loaded by the next one, nor left in the repository.
server_dir=$(mktemp -d)
# They are stopped (SIGTERM) and waited for before their directory goes:
# a server still saving would find it gone, and, as Redis does when its
# last save fails, refuse to exit.
trap 'kill "${server_pids[@]}" 2>/dev/null || true; wait "${server_pids[@]}" 2>/dev/null || true; rm -rf "$server_dir"' EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server PORT COMMAND...: runs COMMAND (which must listen on PORT) in
# the background, sets server_pid, and returns once it answers PING.
start_server() {
    local port=$1 tries=0
    shift
    "$@" >/dev/null &
    server_pid=$!
    server_pids+=("$server_pid")
    until redis-cli -p "$port" PING >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$server_pid" 2>/dev/null; then
            echo "$(basename "$0"): $1 did not start on port $port" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# stop_on_exit PID: the EXIT trap stops PID too (a background client).
stop_on_exit() {
    server_pids+=("$1")
}

# stop_server PID: stops a server (or client) started by this script now, and
# waits until it is gone, so the next one starts on a machine at rest.
stop_server() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# start_mini_redis / start_redis: each server started fresh on a free port,
# persistence off (no save policy, no AOF) for both; both set port and
# server_pid.
start_mini_redis() {
    port=$(free_port)
    start_server "$port" ./target/release/mini-redis --port "$port" --save "" --appendonly no \
        --dir "$server_dir" --loglevel warning "$@"
}
start_redis() {
    port=$(free_port)
    start_server "$port" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$server_dir" --loglevel warning "$@"
}

# load_keys PORT N [EX|PX TTL [EVERY]]: SETs key:00000000 .. key:N-1 (8 digits)
# to 16-byte values (value:0000000000), pipelined through redis-cli --pipe;
# with EX or PX, every EVERY-th key (default all) gets that TTL. Returns once
# every reply is in; exits the script if any was an error.
load_keys() {
    local port=$1 n=$2 option=${3:-} ttl=${4:-} every=${5:-1} out
    if [ "$n" -ge 100000000 ]; then
        echo "$(basename "$0"): at most 99999999 keys (8 digits)" >&2
        exit 1
    fi
    out=$(awk -v n="$n" -v opt="$option" -v ttl="$ttl" -v every="$every" 'BEGIN {
        for (i = 0; i < n; i++)
            if (opt != "" && i % every == 0)
                printf "*5\r\n$3\r\nSET\r\n$12\r\nkey:%08d\r\n$16\r\nvalue:%010d\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n",
                    i, i, length(opt), opt, length(ttl), ttl
            else
                printf "*3\r\n$3\r\nSET\r\n$12\r\nkey:%08d\r\n$16\r\nvalue:%010d\r\n", i, i
    }' | redis-cli -p "$port" --pipe 2>&1) || true
    case $out in
    *"errors: 0, replies: $n"*) ;;
    *)
        echo "$(basename "$0"): loading $n keys on port $port failed: $out" >&2
        exit 1
        ;;
    esac
}

# dbsize PORT
dbsize() {
    redis-cli -p "$1" DBSIZE
}
