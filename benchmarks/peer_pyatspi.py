"""The pyatspi and dogtail side of benchmarks/peers.py: run by Debian's /usr/bin/python3 (python3-pyatspi,
python3-dogtail), never by deskhand's venv, on the desktop whose bus addresses are in the environment.

    /usr/bin/python3 benchmarks/peer_pyatspi.py walk APP ROUNDS         {"ms": [...], "nodes": N}
    /usr/bin/python3 benchmarks/peer_pyatspi.py dogtail APP ROUNDS      {"ms": [...], "nodes": N}
    /usr/bin/python3 benchmarks/peer_pyatspi.py fill APP LABEL ROUNDS [IDLE_MS [APP_PID]]
        {"ms": [...], "ms_by_label": [...], "cpu_ms": [...], "app_cpu_ms": [...]}

Timings are taken inside this process, so its start-up is not counted. The walk reads what a locator
needs per node (name, role, states, description, extents where the node is a component), as
pyatspi-based tools do; the fill is SetTextContents then GetText on an element found once beforehand
("ms"), and the same after finding the field by its label again ("ms_by_label": the label found by role and
name, its LABEL_FOR relation followed), as deskhand's fill by label does each time. "cpu_ms" is this
process's CPU time in each known-element fill, "app_cpu_ms" the app's (/proc/APP_PID/schedstat) from the
fill's start until it has been idle again.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]

MAX_NODES = 50_000


def find_app(name: str):  # type: ignore[no-untyped-def]
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == name:
            return app
    raise SystemExit(f"no app {name!r} on the bus")


def walk(root) -> int:  # type: ignore[no-untyped-def]
    count = 0
    stack = [root]
    while stack and count < MAX_NODES:
        node = stack.pop()
        count += 1
        try:
            node.name, node.getRole(), node.getState().getStates(), node.description
            component = node.queryComponent() if "Component" in pyatspi.listInterfaces(node) else None
            if component is not None:
                component.getExtents(pyatspi.DESKTOP_COORDS)
            if node.getState().contains(pyatspi.STATE_MANAGES_DESCENDANTS):
                continue  # LibreOffice's 2^31 - 1 cells: nobody walks them
            stack.extend(child for child in node if child is not None)
        except Exception:  # gone mid-walk, as happens to every walker
            continue
    return count


def cpu_ms(pid: int) -> float:
    """The CPU time process ``pid`` has used (all its threads), from /proc/PID/schedstat; 0 without a pid."""
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0]) / 1e6


def timed(rounds: int, work) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    times: list[float] = []
    result: object = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def labelled_entry(app, label: str):  # type: ignore[no-untyped-def]
    """The text field a label names (LABELLED_BY / LABEL_FOR relation, else the field after the label)."""
    found = pyatspi.findDescendant(app, lambda n: n.getRole() == pyatspi.ROLE_LABEL and n.name == label)
    if found is None:
        raise SystemExit(f"no label {label!r}")
    for relation in found.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABEL_FOR:
            return relation.getTarget(0)
    fields = pyatspi.findAllDescendants(app, lambda n: n.getRole() in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY))
    return fields[0]


def main(argv: list[str]) -> None:
    kind, app_name = argv[0], argv[1]
    app = find_app(app_name)
    if kind == "walk":
        times, nodes = timed(int(argv[2]), lambda: walk(app))
        print(json.dumps({"ms": times, "nodes": nodes}))
    elif kind == "dogtail":
        from dogtail import tree  # type: ignore[import-not-found]  # imported late: it probes the bus on import

        def dump() -> int:
            node = tree.root.application(app_name)
            return sum(1 for _ in node.findChildren(lambda n: True, recursive=True)) + 1

        times, nodes = timed(int(argv[2]), dump)
        print(json.dumps({"ms": times, "nodes": nodes}))
    elif kind == "fill":
        field = labelled_entry(app, argv[2])
        editable = field.queryEditableText()
        text = field.queryText()
        rounds = int(argv[3])
        idle_s = float(argv[4]) / 1000 if len(argv) > 4 else 0.0
        app_pid = int(argv[5]) if len(argv) > 5 else 0
        times: list[float] = []
        by_label: list[float] = []
        cpu: list[float] = []  # this process's CPU time in each known-element fill
        app_cpu: list[float] = []  # the app's, from the fill's start until it has been idle again
        for run in range(rounds):
            for kind, value, timings in (("known", f"Ada {run}", times), ("label", f"Bea {run}", by_label)):
                time.sleep(idle_s)  # the app idle first, as deskhand's fills find it (not timed)
                app_start = cpu_ms(app_pid)
                cpu_start = time.process_time()
                start = time.perf_counter()
                if kind == "label":
                    found = labelled_entry(app, argv[2])
                    found.queryEditableText().setTextContents(value)
                    read = found.queryText().getText(0, -1)
                else:
                    editable.setTextContents(value)
                    read = text.getText(0, -1)
                timings.append((time.perf_counter() - start) * 1000)
                if kind == "known":
                    cpu.append((time.process_time() - cpu_start) * 1000)
                    time.sleep(idle_s)  # the app's drawing after its answers counts too (not timed)
                    app_cpu.append(cpu_ms(app_pid) - app_start)
                if read != value:
                    raise SystemExit(f"read back {read!r}, wanted {value!r}")
        print(json.dumps({"ms": times, "ms_by_label": by_label, "cpu_ms": cpu, "app_cpu_ms": app_cpu}))
    else:
        raise SystemExit(f"unknown measure {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
