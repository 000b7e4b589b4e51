"""Scaling a batch (issue 16): rows per minute with `--parallel 1, 2, 4` on one machine, and with 1 vs 2 fleet workers.

Each measurement is the real command, `deskhand run records.md --inputs rows.csv --parallel N --json`, with a
fresh run store, into a loopback app that counts every POST (tests/fixtures/web/records_app.py); its wall
time includes starting the N desktops and their Chromiums, as a person's batch pays it. Every measurement
also checks the app received each row once. Printed: the CPU count, median rows/min per N (over --repeat
runs), the speed-up against 1 desktop measured in the same run, and the efficiency (speed-up ÷ N).

With ``--workers 1,2``: the same batch through a fleet on this machine — a loopback redis-server, W `deskhand
worker --broker … --desktops D` processes (``--worker-desktops``, default 1) and `deskhand run … --broker … --json`;
the wall time runs from starting the workers (their desktops and Chromiums) to the submitter's result, so it is
like for like with `--parallel W×D`, which is printed beside it when measured in the same run.

    python benchmarks/scale.py [--rows 12] [--desktops 1,2,4] [--workers 1,2] [--worker-desktops 1] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the app and workflow live under tests/

from tests.fixtures.loopback_redis import loopback_redis  # noqa: E402
from tests.fixtures.web.records_app import records_workflow, serve_records  # noqa: E402
from tests.integration.cli_shell import cli_env  # noqa: E402


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


def measure_fleet(rows: int, workers: int, desktops: int) -> float:
    """Seconds from starting ``workers`` fleet workers of ``desktops`` each to the submitter's result."""
    with serve_records() as records, tempfile.TemporaryDirectory(prefix="deskhand-scale-") as temp:
        folder = Path(temp)
        (folder / "records.md").write_text(records_workflow(records.base), encoding="utf-8")
        names = [f"person-{i:03d}" for i in range(1, rows + 1)]
        (folder / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": temp}, DESKHAND_HOME=str(folder / "home"))
        env["DESKHAND_FLEET_KEY"] = "scale-benchmark"
        with loopback_redis(folder / "redis") as url:
            serve = [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", str(desktops)]
            submit = [sys.executable, "-m", "deskhand", "run", str(folder / "records.md"), "--inputs"]
            submit += [str(folder / "rows.csv"), "--broker", url, "--json"]
            began = time.perf_counter()
            started = [
                subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(workers)
            ]
            try:
                done = subprocess.run(submit, env=env, capture_output=True, text=True, timeout=3600, check=False)
                seconds = time.perf_counter() - began
            finally:
                for worker in started:
                    worker.send_signal(signal.SIGTERM)
                for worker in started:
                    worker.wait(120)
        if done.returncode != 0 or sorted(records.names()) != names:
            raise SystemExit(f"{workers} workers: exit {done.returncode}, posted {records.counts()}\n{done.stderr}")
        return seconds


def _rates(rows: int, seconds: dict[int, list[float]]) -> dict[str, dict[int, float]]:
    counts = list(seconds)
    base = counts[0]
    per_minute = {n: rows * 60 / statistics.median(values) for n, values in seconds.items()}
    return {
        "median_s": {n: round(statistics.median(values), 1) for n, values in seconds.items()},
        "rows_per_minute": {n: round(value, 1) for n, value in per_minute.items()},
        "speedup_vs_baseline": {n: round(per_minute[n] / per_minute[base], 2) for n in counts},
        "efficiency": {n: round(per_minute[n] / per_minute[base] / (n / base), 2) for n in counts},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--desktops", default="1,2,4", help="comma-separated; the first is the baseline")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", default="", help="comma-separated fleet workers, e.g. 1,2 (none by default)")
    parser.add_argument("--worker-desktops", type=int, default=1, help="desktops per fleet worker")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    counts = [int(part) for part in options.desktops.split(",") if part]
    fleets = [int(part) for part in options.workers.split(",") if part]
    seconds: dict[int, list[float]] = {n: [] for n in counts}
    fleet_seconds: dict[int, list[float]] = {n: [] for n in fleets}
    load_before = os.getloadavg()[0]
    for _ in range(options.repeat):
        for n in counts:  # interleaved, so machine load drifts over every N alike
            seconds[n].append(measure(options.rows, n))
        for n in fleets:
            fleet_seconds[n].append(measure_fleet(options.rows, n, options.worker_desktops))
    tables = {"parallel": _rates(options.rows, seconds) if counts else {}}
    tables["workers"] = _rates(options.rows, fleet_seconds) if fleets else {}
    loads = [round(load_before, 1), round(os.getloadavg()[0], 1)]  # the machine's other jobs compete for the CPUs
    result: dict[str, object] = {"cpus": len(os.sched_getaffinity(0)), "rows": options.rows, "repeat": options.repeat}
    result["load_average_before_after"] = loads
    result.update({label: table for label, table in tables.items() if table})
    if fleets:
        result["worker_desktops"] = options.worker_desktops
    if options.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['cpus']} CPUs (load average {loads[0]} before, {loads[1]} after), {options.rows} rows, ", end="")
    print(f"median of {options.repeat} run(s) per N")
    for label, values, unit in (("parallel", counts, "desktop(s)"), ("workers", fleets, "worker(s)")):
        if not values:
            continue
        rates = tables[label]
        for n in values:
            extra = ""
            same = n * options.worker_desktops
            if label == "workers" and same in counts:
                ratio = rates["rows_per_minute"][n] / tables["parallel"]["rows_per_minute"][same]
                extra = f"  ({ratio:.2f}x --parallel {same})"
            print(
                f"  {n} {unit}: {rates['median_s'][n]:>6} s  {rates['rows_per_minute'][n]:>6} rows/min  "
                f"x{rates['speedup_vs_baseline'][n]} vs {values[0]}  efficiency {rates['efficiency'][n]:.0%}{extra}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
