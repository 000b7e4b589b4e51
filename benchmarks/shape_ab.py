"""Chromium's AT-SPI-only full read, four ways alternating in one process on one page
(docs/perception-decisions.md):

- **bulk** (shipped): one ``Collection.GetTree`` gives every node with its name, child count and screen extents,
  and a dozen ``Collection.GetMatches`` queries sent with it give every role and state (atspi/bulk_kinds.py);
- **node by node**: the same GetTree without extents, then ``GetRole`` + ``GetState`` per node and
  ``GetExtents`` per visible node (the shape path before the bulk kinds; had by refusing the queries);
- **listing**: the GetMatches listing with the facts node by node (the fallback when GetTree is refused);
- **walk**: the level-by-level walk (the fallback when the app reads no shape in one call).

    python benchmarks/shape_ab.py [--runs N] [--json] [--profile]

Every path is the shipped code with one of its fallbacks forced; each run reads the whole page once each way
(``invalidate()`` first). Medians, and ratios against the walk and against node by node measured in the same
run. ``--profile`` then prints where a read goes, on the same page (benchmarks/read_profile.py: calls per read,
time and CPU per call, GetMatches, per-role queries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from deskhand.backends.atspi import reader, shape
from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.backends.browser.flags import READER_FLAGS
from read_profile import PATHS, print_profile, profile_queries, profile_read
from snapshot import bench_session

# How each path is had from the shipped code: (the reader's shape rule, its GetTree read, its kinds queries,
# the properties GetTree asks).
_SHAPE_RULE, _TREE_READ, _KINDS = reader.reads_shape_in_one_call, reader.read_tree, reader.query_kinds
_NODE_BY_NODE_PROPERTIES = [p for p in shape.TREE_PROPERTIES if p != "Component.ScreenExtents"]
PATH_NAMES = ("walk", "listing", "node by node", "bulk")


def _use(path: str) -> None:
    """Make the reader take ``path``: the walk, the GetMatches listing, the GetTree read with roles, states
    and extents asked node by node (the shape path before the bulk kinds), or the shipped bulk read."""
    reader.reads_shape_in_one_call = _never if path == "walk" else _SHAPE_RULE  # type: ignore[assignment]
    reader.read_tree = _TREE_READ if path in ("node by node", "bulk") else _refused  # type: ignore[assignment]
    reader.query_kinds = _KINDS if path == "bulk" else _refused  # type: ignore[assignment]
    shape.TREE_PROPERTIES = _BULK_PROPERTIES if path == "bulk" else _NODE_BY_NODE_PROPERTIES


_BULK_PROPERTIES = list(shape.TREE_PROPERTIES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="reads per path (alternating)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="then count calls, CPU per call and queries")
    options = parser.parse_args()
    times: dict[str, list[float]] = {path: [] for path in PATH_NAMES}
    nodes: dict[str, int] = {}
    with bench_session(options.runs, 1) as (bench, site):
        app = bench.virtual.launch_chromium(site.url("form.html"), remote_debugging_port=0, extra_args=READER_FLAGS)
        assert await_served_endpoint(app.pid, 30.0), "Chromium did not open its debugging port"  # read over CDP
        bench.desk.app(app.name).get_by_role("button", name="Submit").wait_for()
        ref = bench.backend.find_app(app.name).ref
        try:
            for _ in range(options.runs):
                for path in PATH_NAMES:
                    _use(path)
                    bench.backend.invalidate(ref)
                    began = time.perf_counter()
                    root = bench.backend.snapshot(ref)
                    times[path].append((time.perf_counter() - began) * 1000)
                    nodes[path] = sum(1 for _ in root.walk())
        finally:
            _use("bulk")
        if options.profile:
            reads = [profile_read(bench.backend, ref, app.pid, path) for path in PATHS]
            queries = profile_queries(bench.backend, ref, options.runs)
        bench.virtual.stop_app(app)
    medians = {path: statistics.median(times[path]) for path in PATH_NAMES}
    result: dict[str, Any] = {
        "walk_ms_median (baseline)": round(medians["walk"], 1),
        "listing_ms_median (GetMatches)": round(medians["listing"], 1),
        "node_by_node_ms_median (GetTree, kinds and extents per node)": round(medians["node by node"], 1),
        "bulk_ms_median (GetTree + kinds queries, shipped)": round(medians["bulk"], 1),
        "listing_vs_walk": round(medians["listing"] / medians["walk"], 2),
        "node_by_node_vs_walk": round(medians["node by node"] / medians["walk"], 2),
        "bulk_vs_walk": round(medians["bulk"] / medians["walk"], 2),
        "bulk_vs_node_by_node": round(medians["bulk"] / medians["node by node"], 2),
        "nodes (walk / listing / node by node / bulk)": " / ".join(str(nodes[p]) for p in PATH_NAMES),
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
