"""Scaling a batch over desktops on one machine (issue 16): rows per minute with `--parallel 1, 2, 4`.

Each measurement is the real command, `deskhand run records.md --inputs rows.csv --parallel N --json`, with a
fresh run store, into a loopback app that counts every POST (tests/fixtures/web/records_app.py); its wall
time includes starting the N desktops and their Chromiums, as a person's batch pays it. Every measurement
also checks the app received each row once. Printed: the CPU count, median rows/min per N (over --repeat
runs), the speed-up against 1 desktop measured in the same run, and the efficiency (speed-up ÷ N).

    python benchmarks/scale.py [--rows 12] [--desktops 1,2,4] [--repeat 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the app and workflow live under tests/

from tests.fixtures.web.records_app import serve_records  # noqa: E402
from tests.integration.cli_shell import cli_env  # noqa: E402
from tests.integration.test_parallel_batch_cli import records_workflow  # noqa: E402


def measure(rows: int, desktops: int) -> float:
    """Seconds for one batch of ``rows`` on ``desktops``; raises when a row did not arrive exactly once."""
    with serve_records() as records, tempfile.TemporaryDirectory(prefix="deskhand-scale-") as temp:
        folder = Path(temp)
        (folder / "records.md").write_text(records_workflow(records.base), encoding="utf-8")
        names = [f"person-{i:03d}" for i in range(1, rows + 1)]
        (folder / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": temp}, DESKHAND_HOME=str(folder / "home"))
        command = [sys.executable, "-m", "deskhand", "run", str(folder / "records.md"), "--inputs"]
        command += [str(folder / "rows.csv"), "--parallel", str(desktops), "--json"]
        began = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
        seconds = time.perf_counter() - began
        if done.returncode != 0 or sorted(records.names()) != names:
            raise SystemExit(f"--parallel {desktops}: exit {done.returncode}, posted {records.counts()}\n{done.stderr}")
        return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--desktops", default="1,2,4", help="comma-separated; the first is the baseline")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    counts = [int(part) for part in options.desktops.split(",")]
    seconds: dict[int, list[float]] = {n: [] for n in counts}
    for _ in range(options.repeat):
        for n in counts:  # interleaved, so machine load drifts over every N alike
            seconds[n].append(measure(options.rows, n))
    base = counts[0]
    per_minute = {n: options.rows * 60 / statistics.median(values) for n, values in seconds.items()}
    result = {
        "cpus": len(os.sched_getaffinity(0)),
        "rows": options.rows,
        "repeat": options.repeat,
        "median_s": {n: round(statistics.median(values), 1) for n, values in seconds.items()},
        "rows_per_minute": {n: round(value, 1) for n, value in per_minute.items()},
        "speedup_vs_baseline": {n: round(per_minute[n] / per_minute[base], 2) for n in counts},
        "efficiency": {n: round(per_minute[n] / per_minute[base] / (n / base), 2) for n in counts},
    }
    if options.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['cpus']} CPUs, {options.rows} rows, median of {options.repeat} run(s) per N")
    for n in counts:
        print(
            f"  {n} desktop(s): {result['median_s'][n]:>6} s  {result['rows_per_minute'][n]:>6} rows/min  "
            f"x{result['speedup_vs_baseline'][n]} vs {base}  efficiency {result['efficiency'][n]:.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
