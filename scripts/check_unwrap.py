#!/usr/bin/env python3
"""Budget: no `unwrap(` / `expect(` in non-test core code without a proof.

Scans src/**/*.rs except src/bin/ (the command line may exit on errors) and `#[cfg(test)]`
modules, inline or in a file of their own (`#[cfg(test)] mod tests;` leaves out `tests.rs` beside it). Every `unwrap(` or `expect(` outside comments must carry a `// cannot fail:` comment on
the same line or the line before, saying why it cannot panic, or be listed with its reason in
scripts/unwrap-allow.txt (for files this check's owner may not edit). Prints each unjustified hit
as path:line and exits 1 if there is any.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CALL = re.compile(r"\b(unwrap|expect)\(")
PROOF = "// cannot fail:"


def strip_strings_and_comment(line):
    """The code of a line without string literals and without a trailing // comment."""
    out, i, in_str = [], 0, False
    while i < len(line):
        c = line[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
            continue
        if c == '"':
            in_str = True
            out.append('""')
        elif line.startswith("//", i):
            break
        elif c == "'" and i + 2 < len(line) and line[i + 2] == "'":
            i += 3  # a char literal such as '{'
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def hits(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    skip_depth = None  # brace depth at which a #[cfg(test)] module ends
    depth = 0
    pending_test = False
    for n, raw in enumerate(lines, 1):
        code = strip_strings_and_comment(raw)
        stripped = raw.strip()
        if stripped.startswith("#[cfg(test)]"):
            pending_test = True
            continue
        if pending_test and re.match(r"(pub(\(crate\))?\s+)?mod\s+\w+\s*\{", stripped):
            skip_depth = depth
            pending_test = False
        elif pending_test and stripped and not stripped.startswith("#["):
            pending_test = False  # a #[cfg(test)] item that is not a module: skip just it
            depth += code.count("{") - code.count("}")
            continue
        in_test = skip_depth is not None
        depth += code.count("{") - code.count("}")
        if in_test:
            if depth <= skip_depth:
                skip_depth = None
            continue
        if CALL.search(code):
            prev = lines[n - 2] if n >= 2 else ""
            if PROOF not in raw and PROOF not in prev:
                found.append((n, stripped))
    return found


def allowed():
    out = set()
    for line in (ROOT / "scripts" / "unwrap-allow.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, text, reason = (part.strip() for part in line.split(" | ", 2))
            if reason:
                out.add((path, text))
    return out


TEST_MOD = re.compile(r"^\s*#\[cfg\(test\)\]\s*\n\s*(?:pub(?:\(crate\))?\s+)?mod\s+(\w+)\s*;", re.M)


def test_module_files(paths):
    """Files that hold a `#[cfg(test)] mod NAME;` declared in another file: test code only."""
    out = set()
    for path in paths:
        base = path.parent if path.name in ("mod.rs", "lib.rs", "main.rs") else path.with_suffix("")
        for name in TEST_MOD.findall(path.read_text(encoding="utf-8")):
            out.add(base / f"{name}.rs")
            out.add(base / name / "mod.rs")
    return out


def main():
    allow = allowed()
    bad = 0
    justified = 0
    paths = sorted((ROOT / "src").rglob("*.rs"))
    tests = test_module_files(paths)
    for path in paths:
        rel = path.relative_to(ROOT)
        if rel.parts[:2] == ("src", "bin") or path in tests:
            continue
        for n, text in hits(path):
            if (rel.as_posix(), text) in allow:
                justified += 1
                continue
            print(f"{rel}:{n}: {text}")
            bad += 1
    if bad:
        print(f"FAIL: {bad} unwrap(/expect( in core code without a `{PROOF}` comment")
        return 1
    print(
        "OK: every unwrap(/expect( in core code is in a test or carries a `// cannot fail:` proof"
        f" ({justified} justified in scripts/unwrap-allow.txt)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
