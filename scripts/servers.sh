# Sourced by idle-clients.sh and slow-command.sh (bash): start servers on
# free ports, wait until they answer, and stop them all when the script exits.

server_pids=()
trap 'kill "${server_pids[@]}" 2>/dev/null || true' EXIT

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
