"""Chromium's AT-SPI-only full read: the shape path (one Collection.GetMatches lists every node) against the
level-by-level walk the reader falls back to, alternating in one process on one page (docs/perception-decisions.md).

    python benchmarks/shape_ab.py [--runs N] [--json] [--profile]

The walk is the reader's own fallback (``reads_shape_in_one_call`` answering False), so both paths are the
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
from read_profile import print_profile, profile_queries, profile_read
from snapshot import bench_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="reads per path (alternating)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="then count calls, CPU per call and queries")
    options = parser.parse_args()
    shape_rule = reader.reads_shape_in_one_call
    times: dict[str, list[float]] = {"shape": [], "walk": []}
    nodes: dict[str, int] = {}
    with bench_session(options.runs, 1) as (bench, site):
        app = bench.virtual.launch_chromium(
            site.url("form.html"), remote_debugging_port=free_port(), extra_args=READER_FLAGS
        )
        bench.desk.app(app.name).get_by_role("button", name="Submit").wait_for()
        ref = bench.backend.find_app(app.name).ref
        try:
            for _ in range(options.runs):
                for path in ("walk", "shape"):
                    reader.reads_shape_in_one_call = shape_rule if path == "shape" else _never  # type: ignore[assignment]
                    bench.backend.invalidate(ref)
                    began = time.perf_counter()
                    root = bench.backend.snapshot(ref)
                    times[path].append((time.perf_counter() - began) * 1000)
                    nodes[path] = sum(1 for _ in root.walk())
        finally:
            reader.reads_shape_in_one_call = shape_rule  # type: ignore[assignment]
        if options.profile:
            reads = [profile_read(bench.backend, ref, app.pid, shape) for shape in (True, False)]
            queries = profile_queries(bench.backend, ref, options.runs)
        bench.virtual.stop_app(app)
    walk, shape = (statistics.median(times[p]) for p in ("walk", "shape"))
    result: dict[str, Any] = {
        "walk_ms_median (baseline)": round(walk, 1),
        "shape_ms_median": round(shape, 1),
        "shape_vs_walk": round(shape / walk, 2),
        "nodes (walk / shape)": f"{nodes['walk']} / {nodes['shape']}",
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


if __name__ == "__main__":
    main()
