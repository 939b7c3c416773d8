#!/usr/bin/env python3
"""Budget: licences and duplicate dependencies, from `cargo metadata --format-version 1`.

Every package of the resolved graph (all targets and platforms, dev-dependencies included) must
be licensed under an SPDX expression satisfiable with the allowed licences below (`A OR B` needs
one, `A AND B` needs both). Crates present in more than one version are listed as a warning.
This is a cargo-deny-style check done offline: cargo-deny's advisory database (RustSec) is a git
repository that cannot be fetched on this network, so no advisory check is made here.
Exits 1 if a licence is not allowed or missing.
"""
import json
import re
import subprocess
import sys
from collections import defaultdict

ALLOWED = re.compile(
    r"^(MIT|MIT-0|Apache-2\.0|Apache-2\.0 WITH LLVM-exception|BSD-[0-9]-Clause|0BSD|ISC|"
    r"Unicode-DFS-2016|Unicode-3\.0|Zlib|MPL-2\.0)$"
)


def tokens(expr):
    return re.findall(r"\(|\)|[^\s()]+(?:\s+WITH\s+[^\s()]+)?", expr.replace("/", " OR "))


def satisfiable(expr):
    """Whether an SPDX expression can be met with the allowed licences."""
    toks = tokens(expr)
    pos = 0

    def atom():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == "(":
            v = disjunction()
            pos += 1  # ")"
            return v
        return bool(ALLOWED.match(t))

    def conjunction():
        nonlocal pos
        v = atom()
        while pos < len(toks) and toks[pos] == "AND":
            pos += 1
            v = atom() and v
        return v

    def disjunction():
        nonlocal pos
        v = conjunction()
        while pos < len(toks) and toks[pos] == "OR":
            pos += 1
            v = conjunction() or v
        return v

    return disjunction()


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    in_graph = {n["id"] for n in meta["resolve"]["nodes"]}
    packages = [p for p in meta["packages"] if p["id"] in in_graph]
    bad = []
    versions = defaultdict(set)
    licences = defaultdict(int)
    for p in packages:
        versions[p["name"]].add(p["version"])
        lic = p.get("license")
        licences[lic or "(none)"] += 1
        if not lic:
            bad.append(f"{p['name']} {p['version']}: no licence expression")
        elif not satisfiable(lic):
            bad.append(f"{p['name']} {p['version']}: {lic}")
    print(f"{len(packages)} packages; licences:")
    for lic, n in sorted(licences.items(), key=lambda x: -x[1]):
        print(f"  {n:4}  {lic}")
    dups = {n: sorted(v) for n, v in versions.items() if len(v) > 1}
    for name, vs in sorted(dups.items()):
        print(f"WARNING: {name} in {len(vs)} versions: {', '.join(vs)}")
    if bad:
        print("FAIL: licences outside the allowed list:")
        print("\n".join(f"  {b}" for b in bad))
        return 1
    print(f"OK: every licence allowed; {len(dups)} crates in more than one version (warnings)")
    print("note: no advisory check (the RustSec database cannot be fetched on this network)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
