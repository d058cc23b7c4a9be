#!/usr/bin/env python3
"""Compares two chokepoint rankings as JSON (`jenga chokepoints --format json` and
`benches/chokepoints.py --json`): prints `yes (N rows)` when every row has the same
rank, id and the four ranking keys, else `NO` and the first difference, exit 1."""

import json
import sys

KEYS = ["rank", "id", "capabilities_failed", "countries_failed", "countries_unknown",
        "countries_degraded", "exposure"]


def rows(path):
    with open(path) as fh:
        data = json.load(fh)
    return [tuple(r[k] for k in KEYS) for r in data["ranking"]], data["candidates"]


def main():
    (a, na), (b, nb) = rows(sys.argv[1]), rows(sys.argv[2])
    if a == b and na == nb:
        print(f"yes ({len(a)} rows)")
        return 0
    first = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    print(f"NO: {len(a)} vs {len(b)} rows ({na} vs {nb} candidates); first difference at row {first}:")
    print("  jenga:", a[first] if first < len(a) else None)
    print("  peer: ", b[first] if first < len(b) else None)
    return 1


if __name__ == "__main__":
    sys.exit(main())
