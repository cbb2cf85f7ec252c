"""No import cycle between modules of our packages (issue 10).

import-linter checks the layers between packages; a cycle between two modules of one
package (a ↔ b, or a → b → c → a) is not a layer question, so this check finds the
strongly connected components of grimp's module import graph (the graph import-linter
itself builds). Imports under `if TYPE_CHECKING:` count: a cycle only for the type checker
still ties the two modules together. Run as a test, or `python -m tests.test_architecture`
(as .ci/run does) to print the cycles.
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("bot", "handlers", "scheduler", "storage")
# No module cycle is tolerated; a cycle found here must be broken, not listed.
KNOWN_CYCLES: list[set[str]] = []


def module_cycles(packages: tuple[str, ...] = PACKAGES) -> list[list[str]]:
    """Every group of modules of `packages` that import each other (directly or not)."""
    return [c for c in cycles_in(grimp.build_graph(*packages)) if set(c) not in KNOWN_CYCLES]


def cycles_in(graph: grimp.ImportGraph) -> list[list[str]]:
    # Tarjan's strongly connected components, iteratively (no recursion limit to meet).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        group.append(m)
                        if m == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    return sorted(cycles)


def test_module_cycles_are_found():
    """The check itself: a made-up graph with a cycle is reported (so a pass means something)."""
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(m)
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.d", "p.a")):
        graph.add_import(importer=a, imported=b)
    assert cycles_in(graph) == [["p.a", "p.b", "p.c"]]


def test_no_module_cycle():
    assert module_cycles() == []


def main() -> int:
    cycles = module_cycles()
    for group in cycles:
        print("import cycle: " + " ↔ ".join(group))
    print(f"module cycles: {len(cycles)}")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
