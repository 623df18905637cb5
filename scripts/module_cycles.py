#!/usr/bin/env python3
"""Fails when the top-level modules of a crate import each other in a circle.

For each crate's `src/` (the web app's and every `crates/*/src`), a module's dependencies are the
other top-level modules its non-test code names through `crate::` paths (test modules, after
`#[cfg(test)]`, and files named `tests.rs` are left out). Prints every cycle found, as the
strongly connected components of that graph, and exits 1 when there is one."""
import glob
import os
import re
import sys


def graph(src):
    modules = {os.path.splitext(name)[0] for name in os.listdir(src)} - {"lib", "main"}
    modules = {m for m in modules if not m.startswith(".")}
    deps = {m: set() for m in modules}
    for path in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        top = os.path.splitext(os.path.relpath(path, src).split(os.sep)[0])[0]
        if top not in modules or os.path.basename(path) == "tests.rs":
            continue
        code = open(path, encoding="utf-8").read().split("#[cfg(test)]")[0]
        code = re.sub(r"//[^\n]*", "", code)
        names = set(re.findall(r"\bcrate::(\w+)", code))
        for group in re.findall(r"\bcrate::\{(.*?)\};", code, re.S):
            # The first segment of each path in a `use crate::{a::b, c, d::{e, f}}` group.
            depth, start = 0, True
            for token in re.findall(r"\w+|[{},]|::", group):
                if token == "{":
                    depth += 1
                elif token == "}":
                    depth -= 1
                elif token == ",":
                    start = depth == 0
                elif token != "::" and start and depth == 0:
                    names.add(token)
                    start = False
        deps[top] |= (names & modules) - {top}
    return deps


def cycles(deps):
    """Tarjan's strongly connected components with more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(deps[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(deps):
        if v not in index:
            visit(v)
    return found


failed = False
for src in ["src", *sorted(glob.glob("crates/*/src"))]:
    if not os.path.isdir(src):
        continue
    deps = graph(src)
    for component in cycles(deps):
        failed = True
        edges = [f"{a} -> {b}" for a in component for b in sorted(deps[a]) if b in component]
        print(f"{src}: modules in a cycle: {', '.join(component)} ({'; '.join(edges)})", file=sys.stderr)
sys.exit(1 if failed else 0)
