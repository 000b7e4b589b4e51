"""The ways to read a Chromium page that docs/perception-decisions.md weighs, measured side by side.

    python benchmarks/perception.py [--runs 7] [--json]

One Chromium on a private virtual desktop, started as deskhand starts it (debugging port, the Blink feature
page.js needs), showing the test page (tests/fixtures/web/form.html: 20 fields + a 500-row table). Each way
is timed on the same page in the same run, medians over ``--runs``, with what it returns:

- ``Accessibility.getFullAXTree`` (the CDP way other tools use; the baseline the ratios are taken against):
  its node count and the size of its JSON;
- ``DOMSnapshot.captureSnapshot``: DOM nodes only (roles and names would be ours to compute);
- page.js in deskhand's isolated world, timed inside the page (``performance.now()`` around the whole read);
- ``WebPage.read`` whole: that script's call plus the reply and building deskhand's Nodes;
- the composite snapshot whole (``invalidate()`` first): the browser's own UI over AT-SPI + the page.

Below the table, two floors (no ratio): a page call that does nothing (``Runtime.evaluate`` of ``0``), the
least any call into the page costs; and a read of a page that announced no change since the last read
(``WebPage.read`` without force), which does not ask the page at all.

The AT-SPI read of the same page and the naive and pyatspi walks are ``benchmarks/snapshot.py``'s rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deskhand.backends.browser.cdp import CdpBrowser
from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.backends.browser.flags import READER_FLAGS
from deskhand.backends.browser.page import WebPage
from deskhand.backends.composite import CompositeBackend
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: snapshot.py sits beside it
from snapshot import load_page_server

IN_PAGE = (
    "(() => { const t = performance.now(); globalThis.__deskhand.snapshot(true); return performance.now() - t; })()"
)


def _timed(runs: int, once: Callable[[], int]) -> tuple[list[float], int]:
    """Milliseconds of each run, and what the last run counted."""
    times: list[float] = []
    count = 0
    for _ in range(runs):
        started = time.perf_counter()
        count = once()
        times.append((time.perf_counter() - started) * 1000)
    return times, count


def measure(runs: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    floors: list[tuple[str, list[float]]] = []

    def row(way: str, times: list[float], nodes: int, **more: Any) -> None:
        rows.append(
            {
                "way": way,
                "ms": statistics.median(times),
                "min_ms": min(times),
                "max_ms": max(times),
                "nodes": nodes,
                **more,
            }
        )

    with load_page_server().serve_pages() as site, VirtualDesktop() as virtual:
        app = virtual.launch_chromium(site.url("form.html"), remote_debugging_port=0, extra_args=READER_FLAGS)
        endpoint = await_served_endpoint(app.pid, 30.0)
        assert endpoint is not None, "Chromium did not open its debugging port"
        composite = CompositeBackend(virtual.a11y_address, display=virtual.display)
        desk = Desktop(composite, timeout=30.0)
        browser = CdpBrowser(endpoint)
        try:
            desk.app(app.name).get_by_role("button", name="Submit").wait_for()
            target = next(t for t in browser.pages() if t.url.endswith("form.html"))
            session = browser.session(target)
            session.call("Accessibility.enable")
            size = [0]

            def ax_tree() -> int:
                tree = session.call("Accessibility.getFullAXTree")
                size[0] = len(json.dumps(tree))
                return len(tree["nodes"])

            times, nodes = _timed(runs, ax_tree)
            row("Accessibility.getFullAXTree", times, nodes, json_bytes=size[0])
            session.call("Accessibility.disable")

            def dom_snapshot() -> int:
                snap = session.call("DOMSnapshot.captureSnapshot", {"computedStyles": []})
                return sum(len(d["nodes"]["nodeName"]) for d in snap["documents"])

            times, nodes = _timed(runs, dom_snapshot)
            row("DOMSnapshot.captureSnapshot", times, nodes)

            page = WebPage(session, app.name)
            origin = (0, 0)
            page.read(origin, force=True)  # installs page.js in its isolated world
            in_page = [float(page._evaluate(IN_PAGE)) for _ in range(runs)]
            row("page.js in the page (isolated world)", in_page, 0)
            times, nodes = _timed(runs, lambda: sum(1 for top in page.read(origin, force=True) for _ in top.walk()))
            row("WebPage.read, whole (page.js + reply + Nodes)", times, nodes)

            def composite_read() -> int:
                composite.invalidate()
                info = desk.find_app(app.name)
                assert info is not None
                return sum(1 for _ in composite.snapshot(info.ref).walk())

            times, nodes = _timed(runs, composite_read)
            row("composite snapshot, whole (AT-SPI browser UI + page)", times, nodes)

            times, _ = _timed(runs * 3, lambda: session.call("Runtime.evaluate", {"expression": "0"}) and 0)
            floors.append(("a page call that does nothing (Runtime.evaluate of 0)", times))
            page.read(origin, force=True)
            if not page._announces:
                raise SystemExit("the page does not announce its changes here: a clean read would ask it")
            times, _ = _timed(runs * 3, lambda: len(page.read(origin)))
            floors.append(("a read of a page that announced no change", times))
        finally:
            browser.close()
            composite.close()
            virtual.stop_app(app)
    base = rows[0]["ms"]
    for entry in rows:
        entry["vs_ax_tree"] = base / entry["ms"] if entry["ms"] else None
    for way, times in floors:
        row(way, times, 0, vs_ax_tree=None, floor=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.runs)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'way of reading the page':<55}{'median ms':>10}{'range':>18}{'nodes':>8}{'vs AX tree':>12}")
    for entry in rows:
        if entry.get("floor"):
            continue
        spread = f"{entry['min_ms']:,.1f}–{entry['max_ms']:,.1f}"
        nodes = f"{entry['nodes']:,}" if entry["nodes"] else "-"
        print(f"{entry['way']:<55}{entry['ms']:>10,.1f}{spread:>18}{nodes:>8}{entry['vs_ax_tree']:>11.1f}×")
    print()
    for entry in rows:
        if entry.get("floor"):
            spread = f"{entry['min_ms']:,.3f}–{entry['max_ms']:,.3f}"
            print(f"{entry['way']:<55}{entry['ms']:>10,.3f}{spread:>18}")
    ax = rows[0]
    load = os.getloadavg()[0]
    print(
        f"\ngetFullAXTree's JSON: {ax['json_bytes'] / 1e6:.1f} MB; medians of {args.runs} runs; load average {load:.1f}"
    )


if __name__ == "__main__":
    main()
