"""Replay from the lock against a first run that resolves every step, on the demo's CRM workflow.

Each contact of the bundled CSV is entered twice on one virtual desktop: once resolving every sentence
(no lock) and once replaying the lock a successful run wrote. Prints the median run time of each and their
ratio; `--json` prints {"first_run_ms": x, "replay_ms": x, "ratio": x, "runs": N}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from deskhand.app.session import open_run_session
from deskhand.demo.server import CrmServer
from deskhand.workflows.inputs import coerce_rows, load_rows
from deskhand.workflows.parse import load_workflow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="deskhand-replay-"))
    package = resources.files("deskhand.demo")
    workflow_file = work / "add-contact.md"
    workflow_file.write_bytes(package.joinpath("workflows/add-contact.md").read_bytes())
    csv_file = work / "contacts.csv"
    csv_file.write_bytes(package.joinpath("contacts.csv").read_bytes())
    workflow = load_workflow(workflow_file, allow_free_form=False)
    first: list[float] = []
    replay: list[float] = []
    try:
        with CrmServer() as crm, open_run_session("virtual", timeout=15.0, capture=False, approve="deny") as session:
            rows = coerce_rows(workflow, [{**r, "crm_url": crm.url} for r in load_rows(csv_file)], csv_file)
            for row in rows:
                for use_lock, times in ((False, first), (True, replay)):
                    crm.reset()
                    started = time.perf_counter()
                    outcome = session.runner.run(workflow, row, use_lock=use_lock)
                    times.append((time.perf_counter() - started) * 1000)
                    if outcome.status != "succeeded":
                        raise SystemExit(f"run failed: {outcome.error}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "first_run_ms": round(statistics.median(first), 1),
        "replay_ms": round(statistics.median(replay), 1),
        "ratio": round(statistics.median(first) / statistics.median(replay), 2),
        "runs": len(first),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"first run (resolving every sentence): {result['first_run_ms']} ms median over {len(first)} runs")
        print(f"replay from the lock:                 {result['replay_ms']} ms median")
        print(f"first run / replay:                   {result['ratio']}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
