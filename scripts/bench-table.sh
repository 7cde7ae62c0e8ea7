#!/usr/bin/env bash
# Measures everything the docs quote, in one run, and writes it down:
#
#   scripts/bench-table.sh          # about 25 minutes
#   QUICK=1 scripts/bench-table.sh  # fewer requests and clients, to try it out
#   STEPS="2 3" scripts/bench-table.sh  # only those steps; the others' files stay
#
# 1. scripts/bench.sh: every redis-benchmark row beside redis-server
#    -> docs/bench/throughput.csv (every run) and throughput.md (medians)
# 2. PING from 1 to 1,000 clients, for mini-redis, redis-server and the
#    asyncio server (scripts/asyncio-ping.py), taking turns
#    -> docs/bench/clients.csv and clients.md
# 3. scripts/idle-clients.sh: memory per idle client, and after they left
#    -> docs/bench/idle.csv and idle.md
# Then, always, from the files in docs/bench:
# 4. scripts/charts.py draws docs/*.svg;
# 5. the tables replace what stands between `<!-- bench-table:NAME -->` and
#    `<!-- /bench-table:NAME -->` in README.md, docs/performance.md and
#    docs/threads-vs-asyncio.md, so that every document quotes this run.
#
# docs/bench/machine.md says where and when each step ran.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/bench
steps=${STEPS:-1 2 3}
rounds=${ROUNDS:-3}
mkdir -p "$out"
cargo build --release --quiet

# about WHAT: one line on the machine, for machine.md
about() {
    echo "- $1: $(date -u '+%Y-%m-%d %H:%M UTC')$([ "${QUICK:-}" = 1 ] && echo ', QUICK=1'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Step 2: PING against the number of clients, three servers taking turns.
clients_sweep() {
    local counts=(1 10 50 200 500 1000) requests=100000 csv=$out/clients.csv
    [ "${QUICK:-}" = 1 ] && counts=(1 50 500) requests=10000
    (
        . scripts/servers.sh
        ulimit -n 4096
        start_mini_redis
        local names=(mini-redis) ports=("$port") pids=("$server_pid")
        start_redis
        names+=(redis-server) ports+=("$port") pids+=("$server_pid")
        port=$(free_port)
        start_server "$port" python3 scripts/asyncio-ping.py "$port"
        names+=(asyncio) ports+=("$port") pids+=("$server_pid")
        echo "server,clients,round,rps,p99_ms" >"$csv"
        for c in "${counts[@]}"; do
            for ((r = 1; r <= rounds; r++)); do
                for i in 0 1 2; do
                    # The asyncio server is about ten times slower: fewer requests.
                    n=$requests
                    [ "${names[$i]}" = asyncio ] && n=$((requests / 5))
                    redis-benchmark -p "${ports[$i]}" -t ping_mbulk -c "$c" -n "$n" --csv 2>/dev/null |
                        awk -F'"' -v s="${names[$i]}" -v c="$c" -v r="$r" \
                            'NR == 2 { print s "," c "," r "," $4 "," $14 }' >>"$csv"
                done
            done
        done
    )
    python3 - "$csv" >"$out/clients.md" <<'EOF'
import csv, statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    runs[(int(r["clients"]), r["server"])].append((float(r["rps"]), float(r["p99_ms"])))
med = {k: [statistics.median(x) for x in zip(*v)] for k, v in runs.items()}
print("| clients | mini-redis req/s | redis-server req/s | asyncio req/s | mini ÷ Redis | p99 ms mini | p99 ms Redis | p99 ms asyncio |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in sorted({c for c, _ in med}):
    m, r, a = (med.get((c, s), [0, 0]) for s in ("mini-redis", "redis-server", "asyncio"))
    print(f"| {c} | {m[0]:,.0f} | {r[0]:,.0f} | {a[0]:,.0f} | {m[0] / r[0]:.2f} | {m[1]:.3f} | {r[1]:.3f} | {a[1]:.3f} |")
EOF
    cat "$out/clients.md"
}

[ -f "$out/machine.md" ] || echo "Where and when scripts/bench-table.sh measured each file here:" >"$out/machine.md"
for step in $steps; do
    case $step in
    1)
        CSV=$out/throughput.csv ROUNDS=$rounds scripts/bench.sh | tee "$out/throughput.md.new"
        mv "$out/throughput.md.new" "$out/throughput.md"
        ;;
    2) clients_sweep ;;
    3)
        if [ "${QUICK:-}" = 1 ]; then counts=(1000); else counts=(10000); fi
        CSV=$out/idle.csv scripts/idle-clients.sh "${counts[@]}" | tee "$out/idle.md.new"
        mv "$out/idle.md.new" "$out/idle.md"
        ;;
    *) echo "bench-table.sh: no step $step" >&2 && exit 1 ;;
    esac
    names=([1]=throughput.md [2]=clients.md [3]=idle.md)
    # machine.md keeps one line per file: the latest run of each.
    grep -v "^- ${names[$step]}:" "$out/machine.md" >"$out/machine.md.new" || true
    about "${names[$step]}" >>"$out/machine.md.new"
    mv "$out/machine.md.new" "$out/machine.md"
done
{
    head -n 1 "$out/machine.md"
    echo
    echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(uname -sr), $(redis-server --version | awk '{ print $1, $2, $3 }'), $(python3 --version)."
    echo
    grep '^- ' "$out/machine.md"
} >"$out/machine.md.new"
mv "$out/machine.md.new" "$out/machine.md"

python3 scripts/charts.py "$out" docs

# The summary: per row of clients, the spread of the ratios over the tests.
if [ -f "$out/throughput.csv" ]; then
    python3 - "$out/throughput.csv" >"$out/summary.md" <<'EOF'
import csv, statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    runs[(int(r["pipeline"]), int(r["clients"]), r["test"], r["server"])].append(r)
def med(rs, field):
    return statistics.median(float(r[field]) for r in rs)
print("| clients | tests | req/s, mini ÷ Redis | p99, mini ÷ Redis | CPU per request, mini ÷ Redis | cores busy, mini / Redis |")
print("|---|---:|---:|---:|---:|---:|")
for p, c in sorted({(p, c) for p, c, _, _ in runs}, key=lambda pc: (pc[0] > 1, pc[1] == 1, pc)):
    tests = [t for pp, cc, t, s in runs if (pp, cc, s) == (p, c, "mini-redis")]
    rows = [(runs[(p, c, t, "mini-redis")], runs[(p, c, t, "redis-server")]) for t in tests]
    def ratios(field):
        values = sorted(med(m, field) / max(med(r, field), 1e-9) for m, r in rows)
        return f"{values[0]:.2f} – {values[-1]:.2f} (median {statistics.median(values):.2f})"
    cores = [(med(m, "cpu_us") * med(m, "rps") / 1e6, med(r, "cpu_us") * med(r, "rps") / 1e6) for m, r in rows]
    label = f"{c}" + (f", pipelined {p}" if p > 1 else "")
    print(f"| {label} | {len(tests)} | {ratios('rps')} | {ratios('p99_ms')} | {ratios('cpu_us')} | "
          f"{statistics.median(m for m, _ in cores):.2f} / {statistics.median(r for _, r in cores):.2f} |")
EOF
fi

# Step 5: every marked region in the docs gets the table of its name.
python3 - "$out" README.md docs/performance.md docs/threads-vs-asyncio.md <<'EOF'
import re, sys
from pathlib import Path
src = Path(sys.argv[1])
def fill(m):
    name, path = m.group(1), src / f"{m.group(1)}.md"
    if not path.exists():
        return m.group(0)
    return f"<!-- bench-table:{name} -->\n{path.read_text().strip()}\n<!-- /bench-table:{name} -->"
for doc in map(Path, sys.argv[2:]):
    text = doc.read_text()
    new = re.sub(r"<!-- bench-table:(\w+) -->\n.*?<!-- /bench-table:\1 -->", fill, text, flags=re.S)
    if new != text:
        doc.write_text(new)
        print(f"bench-table.sh: updated {doc}")
EOF
