"""Draws the benchmark charts as SVG from the CSV files that
scripts/bench-table.sh measured. Python's standard library only.

    python3 scripts/charts.py docs/bench docs

reads DIR/clients.csv, DIR/idle.csv and DIR/throughput.csv, and writes
OUT/throughput-vs-clients.svg, OUT/memory-per-idle-client.svg and
OUT/ratios.svg. Every figure drawn is a median of the measured runs.
"""
import csv
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

SERVERS = ["mini-redis", "redis-server", "asyncio"]
COLORS = {"mini-redis": "#c0392b", "redis-server": "#2c3e50", "asyncio": "#2980b9"}
LABELS = {
    "mini-redis": "mini-redis (a thread per client)",
    "redis-server": "redis-server 7.0 (one event loop)",
    "asyncio": "Python asyncio (one event loop)",
}
FONT = 'font-family="sans-serif"'


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def text(x, y, s, size=12, anchor="start", extra=""):
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {FONT} {extra}>{s}</text>'


def svg(width, height, body, title):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">\n<rect width="100%" height="100%" fill="white"/>\n'
        + text(width / 2, 22, title, 15, "middle", 'font-weight="bold"')
        + "\n"
        + "\n".join(body)
        + "\n</svg>\n"
    )


def nice_step(top, ticks=5):
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def thousands(v):
    return f"{v / 1000:.0f}k" if v >= 1000 else f"{v:g}"


def legend(x, y, servers):
    out = []
    for i, s in enumerate(servers):
        yy = y + i * 18
        out.append(f'<rect x="{x}" y="{yy - 10}" width="14" height="10" fill="{COLORS[s]}"/>')
        out.append(text(x + 20, yy, LABELS[s], 12))
    return out


def throughput_vs_clients(data):
    """Lines: requests per second (PING) against the number of clients."""
    by = defaultdict(list)
    for r in data:
        by[(r["server"], int(r["clients"]))].append(float(r["rps"]))
    clients = sorted({c for _, c in by})
    servers = [s for s in SERVERS if any((s, c) in by for c in clients)]
    w, h, left, right, top, bottom = 720, 420, 70, 20, 40, 60
    pw, ph = w - left - right, h - top - bottom
    ymax = max(statistics.median(v) for v in by.values()) * 1.1
    step = nice_step(ymax)
    xs = {c: left + pw * i / max(1, len(clients) - 1) for i, c in enumerate(clients)}
    body = []
    y = 0.0
    while y <= ymax:
        py = top + ph - ph * y / ymax
        body.append(f'<line x1="{left}" y1="{py:.1f}" x2="{w - right}" y2="{py:.1f}" stroke="#ddd"/>')
        body.append(text(left - 6, py + 4, thousands(y), 11, "end"))
        y += step
    for c, px in xs.items():
        body.append(text(px, top + ph + 18, str(c), 11, "middle"))
    body.append(text(left + pw / 2, h - 24, "clients (redis-benchmark -t ping_mbulk -c N), not to scale", 12, "middle"))
    body.append(text(16, top + ph / 2, "requests per second", 12, "middle", f'transform="rotate(-90 16 {top + ph / 2})"'))
    for s in servers:
        points = [(xs[c], top + ph - ph * statistics.median(by[(s, c)]) / ymax) for c in clients if (s, c) in by]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[s]}" stroke-width="2.5"/>')
        for x, y in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLORS[s]}"/>')
    body += legend(left + 16, top + 18, servers)
    return svg(w, h, body, "Throughput against the number of clients (PING, medians)")


def memory_per_idle_client(data):
    """Bars: KiB of resident memory per idle client, silent and pinged."""
    largest = max(int(r["clients"]) for r in data)
    kib = {(r["server"], r["mode"]): float(r["kib_per_client"]) for r in data if int(r["clients"]) == largest}
    modes = [m for m in ("silent", "pinged") if any(k[1] == m for k in kib)]
    servers = [s for s in SERVERS if any(k[0] == s for k in kib)]
    w, h, left, right, top, bottom = 720, 380, 70, 20, 40, 70
    pw, ph = w - left - right, h - top - bottom
    ymax = max(kib.values()) * 1.15
    step = nice_step(ymax)
    body = []
    y = 0.0
    while y <= ymax:
        py = top + ph - ph * y / ymax
        body.append(f'<line x1="{left}" y1="{py:.1f}" x2="{w - right}" y2="{py:.1f}" stroke="#ddd"/>')
        body.append(text(left - 6, py + 4, f"{y:g}", 11, "end"))
        y += step
    group = pw / len(modes)
    bar = group / (len(servers) + 1)
    for g, mode in enumerate(modes):
        gx = left + g * group + bar / 2
        caption = "connected, never sent anything" if mode == "silent" else "sent one PING, then idle"
        body.append(text(gx + bar * len(servers) / 2, top + ph + 18, f"{mode}: {caption}", 12, "middle"))
        for i, s in enumerate(servers):
            if (s, mode) not in kib:
                continue
            v = kib[(s, mode)]
            bh = ph * v / ymax
            x = gx + i * bar
            body.append(f'<rect x="{x:.1f}" y="{top + ph - bh:.1f}" width="{bar * 0.9:.1f}" height="{bh:.1f}" fill="{COLORS[s]}"/>')
            body.append(text(x + bar * 0.45, top + ph - bh - 4, f"{v:.1f}", 11, "middle"))
    body.append(text(left + pw / 2, h - 22, f"growth of resident memory (RSS) with {largest:,} idle clients, per client", 12, "middle"))
    body.append(text(16, top + ph / 2, "KiB per client", 12, "middle", f'transform="rotate(-90 16 {top + ph / 2})"'))
    body += legend(w - right - 250, top + 18, servers)
    return svg(w, h, body, "Memory per idle client")


def ratios(data):
    """Bars: mini-redis ÷ Redis, requests per second, every benchmark row."""
    by = defaultdict(list)
    for r in data:
        by[(r["test"], r["clients"], r["pipeline"], r["server"])].append(float(r["rps"]))
    configs = sorted({(int(c), int(p)) for _, c, p, _ in by}, key=lambda cp: (cp[1] > 1, cp[0]))
    tests = list(dict.fromkeys(t for t, _, _, _ in by))
    w = 720
    row_h, left, top = 15, 170, 40
    n = len(configs) * (len(tests) + 1)
    h = top + n * row_h + 50
    xmax = 2.0
    pw = w - left - 30
    body = []
    for v in (0.5, 1.0, 1.5, 2.0):
        px = left + pw * v / xmax
        color = "#888" if v == 1.0 else "#ddd"
        body.append(f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{h - 40}" stroke="{color}"/>')
        body.append(text(px, h - 26, f"{v:g}×", 11, "middle"))
    y = top
    for c, p in configs:
        label = f"{c} client{'s' if c > 1 else ''}" + (f", pipelined {p}" if p > 1 else "")
        body.append(text(8, y + 11, label, 12, "start", 'font-weight="bold"'))
        y += row_h
        for t in tests:
            ours, theirs = by.get((t, str(c), str(p), "mini-redis")), by.get((t, str(c), str(p), "redis-server"))
            if ours and theirs:
                r = statistics.median(ours) / statistics.median(theirs)
                bw = pw * min(r, xmax) / xmax
                color = COLORS["mini-redis"] if r >= 1 else "#e6a39b"
                body.append(f'<rect x="{left}" y="{y + 2}" width="{bw:.1f}" height="{row_h - 4}" fill="{color}"/>')
                body.append(text(left + bw + 4, y + 11, f"{r:.2f}", 10))
            body.append(text(left - 6, y + 11, t.replace("_mbulk", "").upper(), 11, "end"))
            y += row_h
    body.append(text(left + pw / 2, h - 8, "requests per second, mini-redis ÷ redis-server (medians, same run)", 12, "middle"))
    return svg(w, h, body, "Every redis-benchmark row beside Redis")


def main():
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    charts = [
        ("clients.csv", "throughput-vs-clients.svg", throughput_vs_clients),
        ("idle.csv", "memory-per-idle-client.svg", memory_per_idle_client),
        ("throughput.csv", "ratios.svg", ratios),
    ]
    for csv_name, svg_name, draw in charts:
        if (src / csv_name).exists():
            (out / svg_name).write_text(draw(rows(src / csv_name)))
            print(f"charts.py: wrote {out / svg_name}")


if __name__ == "__main__":
    main()
