"""How long until a VirtualDesktop is up and its AT-SPI registry answers.

python benchmarks/desktop_up.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from deskhand.sandbox import VirtualDesktop


def measure(runs: int) -> list[float]:
    """Milliseconds from start() to the registry's first answer (start() returns only then), per run."""
    timings = []
    for _ in range(runs):
        desk = VirtualDesktop()
        began = time.perf_counter()
        desk.start()
        timings.append((time.perf_counter() - began) * 1000)
        desk.stop()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    timings = measure(options.runs)
    result = {
        "up_ms_median": round(statistics.median(timings), 1),
        "up_ms_min": round(min(timings), 1),
        "up_ms_max": round(max(timings), 1),
        "runs": options.runs,
    }
    if options.json:
        print(json.dumps(result))
        return
    print(f"{'runs':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    print(f"{options.runs:>6} {result['up_ms_median']:>10} {result['up_ms_min']:>8} {result['up_ms_max']:>8}")


if __name__ == "__main__":
    main()
