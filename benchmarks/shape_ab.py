"""Chromium's AT-SPI-only full read: the shape path (one Collection.GetTree gives every node with its name and
child count) against its own fallbacks, the GetMatches listing (facts node by node) and the level-by-level walk,
alternating in one process on one page (docs/perception-decisions.md).

    python benchmarks/shape_ab.py [--runs N] [--json] [--profile]

The listing is the reader's fallback when GetTree is refused (``read_tree`` answering None), the walk its fallback
when the app reads no shape in one call (``reads_shape_in_one_call`` answering False), so every path is the
shipped code; each run reads the whole page once each way (``invalidate()`` first). Medians, and the shape's
time as a ratio of the walk's measured in the same run. ``--profile`` then prints where a read goes, on the same
page (benchmarks/read_profile.py: calls per read, time and CPU per call, GetMatches, per-role queries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from deskhand.backends.atspi import reader
from deskhand.backends.browser.flags import READER_FLAGS, free_port
from read_profile import PATHS, print_profile, profile_queries, profile_read
from snapshot import bench_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="reads per path (alternating)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="then count calls, CPU per call and queries")
    options = parser.parse_args()
    shape_rule, tree_read = reader.reads_shape_in_one_call, reader.read_tree
    times: dict[str, list[float]] = {"shape": [], "listing": [], "walk": []}
    nodes: dict[str, int] = {}
    with bench_session(options.runs, 1) as (bench, site):
        app = bench.virtual.launch_chromium(
            site.url("form.html"), remote_debugging_port=free_port(), extra_args=READER_FLAGS
        )
        bench.desk.app(app.name).get_by_role("button", name="Submit").wait_for()
        ref = bench.backend.find_app(app.name).ref
        try:
            for _ in range(options.runs):
                for path in ("walk", "listing", "shape"):
                    reader.reads_shape_in_one_call = _never if path == "walk" else shape_rule  # type: ignore[assignment]
                    reader.read_tree = tree_read if path == "shape" else _refused  # type: ignore[assignment]
                    bench.backend.invalidate(ref)
                    began = time.perf_counter()
                    root = bench.backend.snapshot(ref)
                    times[path].append((time.perf_counter() - began) * 1000)
                    nodes[path] = sum(1 for _ in root.walk())
        finally:
            reader.reads_shape_in_one_call = shape_rule  # type: ignore[assignment]
            reader.read_tree = tree_read  # type: ignore[assignment]
        if options.profile:
            reads = [profile_read(bench.backend, ref, app.pid, path) for path in PATHS]
            queries = profile_queries(bench.backend, ref, options.runs)
        bench.virtual.stop_app(app)
    walk, listing, shape = (statistics.median(times[p]) for p in ("walk", "listing", "shape"))
    result: dict[str, Any] = {
        "walk_ms_median (baseline)": round(walk, 1),
        "listing_ms_median (GetMatches)": round(listing, 1),
        "shape_ms_median (GetTree)": round(shape, 1),
        "listing_vs_walk": round(listing / walk, 2),
        "shape_vs_walk": round(shape / walk, 2),
        "shape_vs_listing": round(shape / listing, 2),
        "nodes (walk / listing / shape)": f"{nodes['walk']} / {nodes['listing']} / {nodes['shape']}",
        "runs": options.runs,
    }
    if options.profile:
        result["profile"] = {"reads": reads, **queries}
    if options.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        if key != "profile":
            print(f"{key}: {value}")
    if options.profile:
        print_profile(reads, queries)


def _never(toolkit: str) -> bool:
    return False


async def _refused(tree: object) -> None:
    return None


if __name__ == "__main__":
    main()
