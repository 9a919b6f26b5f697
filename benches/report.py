#!/usr/bin/env python3
"""Summarises a run of benches/run.sh: medians per tool and size, pages/s, source MB/s, peak RSS,
the acceptance ratios of docs/performance.md, and a log-log SVG plot of build time against N
(drawn by hand: no plotting library needed).

    python3 benches/report.py RESULTS_DIR SVG_PATH
"""

import csv
import math
import os
import re
import statistics
import sys
from collections import defaultdict

TOOLS = [("gongshi", "gongshi", "#c0392b"), ("hugo", "Hugo", "#2c6fbb"), ("floor", "pulldown-cmark floor", "#7f8c8d")]


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def medians(rows):
    """(n, tool) -> dict of medians over the runs."""
    groups = defaultdict(list)
    for r in rows:
        groups[(int(r["n"]), r["tool"])].append(r)
    out = {}
    for key, runs in groups.items():
        out[key] = {
            "runs": len(runs),
            "wall": statistics.median(float(r["wall_s"]) for r in runs),
            "min": min(float(r["wall_s"]) for r in runs),
            "max": max(float(r["wall_s"]) for r in runs),
            "rss_mib": statistics.median(int(r["max_rss_kib"]) for r in runs) / 1024,
            "cpu": statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in runs),
            "pages": int(runs[0]["pages"]),
        }
    return out


def build_table(stats, sources):
    lines = [
        "| N | tool | runs | median wall s (min–max) | CPU s | pages | pages/s | source MB/s | peak RSS MiB |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    order = [t[0] for t in TOOLS]
    for (n, tool) in sorted(stats, key=lambda k: (k[0], order.index(k[1]) if k[1] in order else len(order), k[1])):
        s = stats[(n, tool)]
        src = sources.get((n, tool), 0)
        rss = "—" if tool == "floor" else f"{s['rss_mib']:.0f}"
        lines.append(
            f"| {n:,} | {tool} | {s['runs']} | {s['wall']:.2f} ({s['min']:.2f}–{s['max']:.2f}) | {s['cpu']:.2f} "
            f"| {s['pages']:,} | {s['pages'] / s['wall']:,.0f} | {src / 1e6 / s['wall']:.1f} | {rss} |"
        )
    return "\n".join(lines)


def ratios(stats):
    lines = []
    g10, h10, f10 = (stats.get((10000, t)) for t in ("gongshi", "hugo", "floor"))
    if g10 and h10:
        lines.append(f"- N = 10,000: gongshi / Hugo = {g10['wall'] / h10['wall']:.2f} (target ≤ 0.25)")
    if g10 and f10:
        lines.append(f"- N = 10,000: gongshi / floor = {g10['wall'] / f10['wall']:.2f} (target ≤ 3)")
    if g10:
        lines.append(f"- N = 10,000: gongshi peak RSS = {g10['rss_mib']:.0f} MiB (target ≤ 400)")
    g100 = stats.get((100000, "gongshi"))
    if g10 and g100:
        lines.append(f"- time(100,000) / time(10,000) = {g100['wall'] / g10['wall']:.1f} (target ≤ 12)")
    return "\n".join(lines)


def svg_plot(stats, path):
    """Log-log lines of median wall time against N, one per tool."""
    w, h, left, right, top, bottom = 640, 400, 70, 170, 30, 50
    points = {t: sorted((n, s["wall"]) for (n, tool), s in stats.items() if tool == t) for t, _, _ in TOOLS}
    ns = [n for pts in points.values() for n, _ in pts]
    ts = [t for pts in points.values() for _, t in pts]
    if not ns:
        return
    x0, x1 = math.floor(math.log10(min(ns))), math.ceil(math.log10(max(ns)))
    y0, y1 = math.floor(math.log10(min(ts))), math.ceil(math.log10(max(ts)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def px(n):
        return left + (math.log10(n) - x0) / (x1 - x0) * (w - left - right)

    def py(t):
        return h - bottom - (math.log10(t) - y0) / (y1 - y0) * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'font-family="sans-serif" font-size="12">',
        f'<title>Full build time against N (median, log-log)</title>',
        f'<rect width="{w}" height="{h}" fill="white"/>',
    ]
    for e in range(x0, x1 + 1):
        x = px(10**e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{h - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 18}" text-anchor="middle">{10**e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10**e)
        label = f"{10**e:g}"
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{label} s</text>')
    out.append(f'<text x="{(left + w - right) / 2:.0f}" y="{h - 12}" text-anchor="middle">records (N)</text>')
    out.append(
        f'<text x="16" y="{(top + h - bottom) / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {(top + h - bottom) / 2:.0f})">median wall time</text>'
    )
    for i, (tool, label, colour) in enumerate(TOOLS):
        pts = points[tool]
        if not pts:
            continue
        path_d = " ".join(f"{'M' if j == 0 else 'L'}{px(n):.1f},{py(t):.1f}" for j, (n, t) in enumerate(pts))
        out.append(f'<path d="{path_d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for n, t in pts:
            out.append(f'<circle cx="{px(n):.1f}" cy="{py(t):.1f}" r="3.5" fill="{colour}"><title>{label}: N={n:,}, {t:.2f} s</title></circle>')
        ly = top + 10 + i * 20
        out.append(f'<line x1="{w - right + 15}" y1="{ly}" x2="{w - right + 35}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{w - right + 40}" y="{ly + 4}">{label}</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    results, svg = sys.argv[1], sys.argv[2]
    stats = medians(read_tsv(os.path.join(results, "builds.tsv")))
    sources = {(int(r["n"]), r["tool"]): int(r["source_bytes"]) for r in read_tsv(os.path.join(results, "sources.tsv"))}
    print("## Full builds\n")
    print(build_table(stats, sources))
    print()
    print(ratios(stats))
    history = medians(read_tsv(os.path.join(results, "history.tsv")))
    if history:
        print("\n## Release history\n")
        print(build_table(history, {}))
        n = next((k[0] for k in history if k[1] == "with-history"), 0)
        w, wo = history.get((n, "with-history")), history.get((n, "no-history"))
        if w and wo:
            print(f"\n- N = {n:,}, 20 releases: with history / without = {w['wall'] / wo['wall']:.2f} (target ≤ 2)")
    serve = os.path.join(results, "serve.txt")
    if os.path.exists(serve):
        text = open(serve, encoding="utf-8").read()
        lines = re.findall(r"^median edit-to-(.+?): ([\d.]+) ms .*\(min ([\d.]+), max ([\d.]+)\)$", text, re.M)
        if lines:
            print("\n## Serve\n")
            for what, median, low, high in lines:
                target = " (target < 100)" if what == "edited page servable" else ""
                print(f"- median edit-to-{what}: {median} ms (min {low}, max {high}){target}")
    svg_plot(stats, svg)


if __name__ == "__main__":
    main()
