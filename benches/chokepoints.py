#!/usr/bin/env python3
"""The peer of `jenga chokepoints` (--by node) that an analyst would write in Python.

Same semantics as jenga (ARCHITECTURE.md, "The failure semantics"):

- a group holds when at least `need` of its members work: a plain id is 1-of-1, a
  component's `org` and an organization's `parent` are implicit 1-of-1 groups, `any`
  is 1-of-n, `at-least: k` is k-of-n, `partners` a 0-of-n group (never fails);
- `unknown` groups are read twice: optimistic (a closed list holds if any candidate
  works, an open one always holds) and pessimistic (every candidate must work and, for
  an open one, the removed node must not be able to be it: it is not of the unknown's
  layer and owns no node of it through `org`/`parent`; an unknown of no stated layer
  could be any removal);
- a node works iff it is not removed and all its groups hold, greatest fixpoint
  (cycles stay up unless something in them falls), computed by counter propagation
  from the removed node: every group counts its lost members and fails its owner when
  the count exceeds its tolerance (members - need);
- failed = fails in the optimistic reading, unknown = fails only in the pessimistic
  one, degraded = works in both but depends (transitively) on a node failed or
  unknown, intact otherwise.

Candidates are every node that is not a capability, each removed alone. Ranking,
descending: capabilities failed, countries with a failed capability, countries with an
unknown capability, countries with a degraded one, exposure (countries whose capabilities' dependency
cones contain the candidate); ties by id ascending.

It is written to be efficient: PyYAML with libyaml's C parser, flat integer lists,
reverse dependencies, counters reset only where touched, capability status read
only from the nodes a removal touched.

    python3 benches/chokepoints.py STACKS_DIR [--top N] [--json] [--load-only]
                                   [--loader CSafeLoader]

Prints `timing: PHASE MS ms` lines on standard error (load, build, sweep, output),
like `JENGA_TIMINGS=1 jenga chokepoints`.
"""

import argparse
import json
import os
import sys
import time

import yaml


def find_files(root):
    """*.yaml / *.yml under root, recursively, hidden names skipped, sorted by path."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if not f.startswith(".") and f.endswith((".yaml", ".yml")):
                out.append(os.path.join(dirpath, f))
    return sorted(out)


def load(root, loader):
    docs = []
    for path in find_files(root):
        with open(path, "rb") as fh:
            docs.append(yaml.load(fh, Loader=loader) or {})
    return docs


def build(docs):
    """Flat arrays: groups (owner, tolerance optimistic, tolerance pessimistic) and the
    reverse dependencies of every node (the groups it is a member of)."""
    ids = []
    index = {}
    for d in docs:
        for o in d.get("organizations") or []:
            index[str(o["id"])] = len(ids)
            ids.append(str(o["id"]))
        for n in d.get("nodes") or []:
            index[str(n["id"])] = len(ids)
            ids.append(str(n["id"]))
    n_nodes = len(ids)
    owner, tol_opt, tol_pes, members_of = [], [], [], []
    # Owners of open unknowns by layer ("*": no stated layer).
    open_unknown_owners = {}
    layer_of = [None] * n_nodes
    org_of = [None] * n_nodes
    parent_of = [None] * n_nodes

    def group(me, members, need, unknown=False, open_layer=None):
        members = [index[str(m)] for m in members]
        tol = len(members) - need
        owner.append(me)
        tol_opt.append(tol)
        tol_pes.append(0 if unknown else tol)
        members_of.append(members)
        if open_layer is not None:
            open_unknown_owners.setdefault(open_layer, []).append(me)

    for d in docs:
        for o in d.get("organizations") or []:
            if o.get("parent") is not None:
                group(index[str(o["id"])], [o["parent"]], 1)
                parent_of[index[str(o["id"])]] = index[str(o["parent"])]
        for n in d.get("nodes") or []:
            me = index[str(n["id"])]
            layer_of[me] = n.get("layer")
            if n.get("org") is not None:
                group(me, [n["org"]], 1)
                org_of[me] = index[str(n["org"])]
            for term in n.get("needs") or []:
                if isinstance(term, dict):
                    if "any" in term:
                        group(me, term["any"], 1)
                    elif "at-least" in term:
                        group(me, term["of"], int(term["at-least"]))
                    else:  # unknown
                        u = term["unknown"]
                        if isinstance(u, dict):
                            among = u.get("among") or []
                            closed = bool(u.get("closed")) and bool(among)
                            layer = str(u["layer"])
                        else:
                            among = term.get("among") or []
                            closed = bool(among)
                            layer = "*"
                        group(me, among, 1 if closed else 0, unknown=True,
                              open_layer=None if closed else layer)
                else:
                    group(me, [term], 1)
            if n.get("partners"):
                # Partners: a group that needs none of its members (degrades only).
                group(me, n["partners"], 0)
    rdeps = [[] for _ in range(n_nodes)]
    deps = [[] for _ in range(n_nodes)]
    for g, ms in enumerate(members_of):
        for m in ms:
            rdeps[m].append(g)
            deps[owner[g]].append(m)
    countries = []
    for d in docs:
        if d.get("country") is not None:
            caps = [index[str(c)] for c in d.get("capabilities") or []]
            countries.append((str(d["country"]), caps))
    countries.sort()
    # What removing each node could be: its layer and the layers of what it owns.
    could_be = [{"*"} for _ in range(n_nodes)]
    for v in range(n_nodes):
        if layer_of[v] is None:
            continue
        could_be[v].add(layer_of[v])
        up, hops = org_of[v], 0
        while up is not None and hops <= n_nodes:
            could_be[up].add(layer_of[v])
            up, hops = parent_of[up], hops + 1
    return ids, owner, tol_opt, tol_pes, rdeps, deps, countries, could_be, open_unknown_owners


def sweep(ids, owner, tol_opt, tol_pes, rdeps, deps, countries, could_be, open_unknown_owners):
    n_nodes = len(ids)
    # Exposure: how many countries' capability cones contain each node.
    exposure = [0] * n_nodes
    for _, caps in countries:
        seen = set(caps)
        stack = list(caps)
        while stack:
            v = stack.pop()
            for d in deps[v]:
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
        for v in seen:
            exposure[v] += 1
    # Where each node is a capability: (country position) per listing.
    cap_of = {}
    for ci, (_, caps) in enumerate(countries):
        for c in caps:
            cap_of.setdefault(c, []).append(ci)
    is_cap = set(cap_of)
    lost = [0] * len(owner)

    def propagate(start, tol):
        """Nodes failed when `start` fail: counter propagation to the fixpoint."""
        failed = set(start)
        queue = list(failed)
        touched = []
        while queue:
            v = queue.pop()
            for g in rdeps[v]:
                c = lost[g] + 1
                lost[g] = c
                if c == 1:
                    touched.append(g)
                if c > tol[g]:
                    u = owner[g]
                    if u not in failed:
                        failed.add(u)
                        queue.append(u)
        for g in touched:
            lost[g] = 0
        return failed

    rows = []
    for r in range(n_nodes):
        if r in is_cap:
            continue
        f_opt = propagate((r,), tol_opt)
        risky = [o for layer in could_be[r] for o in open_unknown_owners.get(layer, ())]
        f_pes = propagate([r] + risky, tol_pes)
        # Degraded: everything that depends on a node failed in the pessimistic reading.
        affected = set(f_pes)
        queue = list(f_pes)
        while queue:
            v = queue.pop()
            for g in rdeps[v]:
                u = owner[g]
                if u not in affected:
                    affected.add(u)
                    queue.append(u)
        cap_failed = 0
        c_failed = set()
        c_unknown = set()
        c_degraded = set()
        for v in affected & is_cap:
            where = cap_of[v]
            if v in f_opt:
                cap_failed += len(where)
                c_failed.update(where)
            elif v in f_pes:
                c_unknown.update(where)
            else:
                c_degraded.update(where)
        rows.append((-cap_failed, -len(c_failed), -len(c_unknown), -len(c_degraded),
                     -exposure[r], ids[r]))
    rows.sort()
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stacks")
    ap.add_argument("--top", type=int)
    ap.add_argument("--json", action="store_true", help="the whole ranking as JSON")
    ap.add_argument("--loader", default="CSafeLoader", help="a PyYAML loader class")
    ap.add_argument("--load-only", action="store_true", help="parse the files and stop")
    a = ap.parse_args()
    loader = getattr(yaml, a.loader)
    t0 = time.perf_counter()

    def mark(name, t=[t0]):
        now = time.perf_counter()
        print(f"timing: {name} {(now - t[0]) * 1e3:.3f} ms", file=sys.stderr)
        t[0] = now

    docs = load(a.stacks, loader)
    mark("load")
    if a.load_only:
        return
    world = build(docs)
    mark("build")
    rows = sweep(*world)
    mark("sweep")
    total = len(rows)
    if a.top is not None:
        rows = rows[: a.top]
    ranking = [
        {
            "rank": k + 1,
            "id": r[5],
            "capabilities_failed": -r[0],
            "countries_failed": -r[1],
            "countries_unknown": -r[2],
            "countries_degraded": -r[3],
            "exposure": -r[4],
        }
        for k, r in enumerate(rows)
    ]
    if a.json:
        json.dump({"candidates": total, "ranking": ranking}, sys.stdout, indent=1)
        print()
    else:
        print("rank  id  capabilities_failed  countries_failed  countries_unknown"
              "  countries_degraded  exposure")
        for r in ranking:
            print(
                r["rank"], r["id"], r["capabilities_failed"], r["countries_failed"],
                r["countries_unknown"], r["countries_degraded"], r["exposure"],
            )
    mark("output")


if __name__ == "__main__":
    main()
