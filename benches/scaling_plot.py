#!/usr/bin/env python3
"""Reads scaling.tsv (from benches/scaling.sh), prints a Markdown table and the
log-log slopes (least squares over the measured points: 1.0 = linear), and draws a
log-log SVG plot of the phase times against the number of nodes (and the sweep time
against the number of nodes it touched), with no plotting library.

    python3 benches/scaling_plot.py scaling.tsv scaling.svg
"""

import math
import sys


def slope(xs, ys):
    pts = [(math.log10(x), math.log10(y)) for x, y in zip(xs, ys) if x > 0 and y > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    num = sum((x - mx) * (y - my) for x, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return num / den if den else float("nan")


def main():
    rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
    head, data = rows[0], [[float(v) for v in r] for r in rows[1:] if r and r[0]]
    col = {h: [r[i] for r in data] for i, h in enumerate(head)}
    n = col["nodes"]
    print("| nodes | YAML MB | load (ms) | one scenario (ms) | sweep (ms) | sweep: nodes touched | peak memory (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in data:
        d = dict(zip(head, r))
        print(
            f"| {int(d['nodes']):,} | {d['bytes'] / 1e6:.2f} | {d['load_ms']:.1f} | {d['scenario_ms']:.3f} "
            f"| {d['sweep_ms']:.1f} | {int(d['sweep_touched']):,} | {d['peak_kb'] / 1e3:.0f} |"
        )
    print()
    series = [
        ("load", n, col["load_ms"]),
        ("one scenario", n, col["scenario_ms"]),
        ("sweep vs nodes", n, col["sweep_ms"]),
        ("sweep vs nodes touched", col["sweep_touched"], col["sweep_ms"]),
        ("nodes touched by the sweep vs nodes", n, col["sweep_touched"]),
        ("peak memory", n, col["peak_kb"]),
    ]
    print("Log-log slopes (least squares; 1.0 = linear, 2.0 = quadratic):")
    print()
    for name, xs, ys in series:
        print(f"- {name}: {slope(xs, ys):.2f}")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as fh:
            fh.write(svg(n, [("load", col["load_ms"], "#0072B2"),
                             ("one scenario", col["scenario_ms"], "#D55E00"),
                             ("chokepoint sweep", col["sweep_ms"], "#009E73")]))


def svg(xs, series):
    w, h, m = 640, 420, 60
    ys = [y for _, s, _ in series for y in s if y > 0]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    px = lambda x: m + (math.log10(x) - x0) / max(x1 - x0, 1) * (w - 2 * m)
    py = lambda y: h - m - (math.log10(y) - y0) / max(y1 - y0, 1) * (h - 2 * m)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           "<title>jenga scaling: phase times against world size (log-log)</title>",
           f'<rect width="{w}" height="{h}" fill="white"/>']
    for e in range(x0, x1 + 1):
        x = px(10 ** e)
        out.append(f'<line x1="{x:.1f}" y1="{m}" x2="{x:.1f}" y2="{h - m}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{h - m + 16}" text-anchor="middle">{10 ** e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{m}" y1="{y:.1f}" x2="{w - m}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{m - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g}</text>')
    out.append(f'<text x="{w / 2}" y="{h - 18}" text-anchor="middle">nodes</text>')
    out.append(f'<text x="16" y="{h / 2}" text-anchor="middle" transform="rotate(-90 16 {h / 2})">milliseconds</text>')
    for k, (name, s, colour) in enumerate(series):
        pts = [(px(x), py(y)) for x, y in zip(xs, s) if y > 0]
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                   % (colour, " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)))
        for a, b in pts:
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>')
        sl = slope(xs, s)
        out.append(f'<text x="{m + 10}" y="{m + 16 + 16 * k}" fill="{colour}">{name} (slope {sl:.2f})</text>')
    out.append("</svg>\n")
    return "\n".join(out)


if __name__ == "__main__":
    main()
