"""Server time of the console's run list over a store of 10,000 runs (goal: ≤ 200 ms, median).

A fresh store gets N runs (5 steps each, one run in ten failed with its diagnosis, batches of 20) written in
one transaction through the store's own schema. Then, interleaved round by round, in one process:
- baseline: the raw store query behind the page (``RunStore.find_runs``: one page of 100 run lines and the
  total count), no rendering;
- the pages as the console serves them: the request goes through the whole ASGI app (login gate, routing,
  query, Jinja rendering with the redactor on every value) and back, timed around the app call with an
  in-memory transport (no sockets, no browser): ``/runs`` (newest 100), ``/runs?status=failed``, a search
  (``q=``, matching step sentences), ``/api/runs`` (100 full run objects), and ``/runs?limit=N`` (every run
  on one page, to show what a page size buys).

python benchmarks/console.py [--runs 10000] [--rounds 15] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.policy.secrets import Redactor
from deskhand.runs.query import RunFilter
from deskhand.runs.store import RunStore
from deskhand.surfaces.web.app import create_app
from deskhand.surfaces.web.auth import Sessions
from deskhand.surfaces.web.state import Console

TOKEN = "bench-token"
SENTENCES = ('Open "CRM"', 'Type "{name}" into "Name"', 'Type "{email}" into "Email"', 'Choose "Gold" in "Plan"')


def fill(store: RunStore, runs: int) -> None:
    """``runs`` finished runs written straight into the store's tables (one transaction: seconds, not minutes)."""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    db = store._db  # the benchmark fills the real schema directly; the store's API is one transaction per call
    db.execute("BEGIN")
    for i in range(runs):
        began = start + timedelta(minutes=i)
        failed = i % 10 == 7
        run_id = f"r-{began:%Y%m%d-%H%M%S}-{i % 65536:04x}"
        batch = f"b-{i // 20:05d}" if i % 3 == 0 else None
        error = (
            json.dumps(
                {
                    "step": 5,
                    "message": f"Step 5 ('Click \"Save\"') failed: Nothing called 'Save' (row {i}).",
                    "suggestion": 'Click "Save changes"',
                }
            )
            if failed
            else None
        )
        db.execute(
            "INSERT INTO runs (id, kind, workflow_path, workflow_name, inputs_json, batch_id, batch_row, status, "
            "owner_pid, owner_started, started_at, finished_at, error_json) "
            "VALUES (?, 'workflow', ?, ?, '{}', ?, ?, ?, 1, 0, ?, ?, ?)",
            (
                run_id,
                f"/work/flows/flow-{i % 12}.md",
                f"flow-{i % 12}",
                batch,
                i % 20 if batch else None,
                "failed" if failed else "succeeded",
                began.isoformat(timespec="microseconds"),
                (began + timedelta(seconds=7)).isoformat(timespec="microseconds"),
                error,
            ),
        )
        for n in range(1, 6):
            sentence = 'Click "Save"' if n == 5 else SENTENCES[n - 1].format(name=f"Person {i}", email=f"p{i}@x.org")
            db.execute(
                "INSERT INTO steps (run_id, n, sentence, status, ms, started_at, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    n,
                    sentence,
                    "failed" if failed and n == 5 else "succeeded",
                    120 + n,
                    began.isoformat(),
                    began.isoformat(),
                ),
            )
    db.execute("COMMIT")


async def timed_get(client: httpx.AsyncClient, path: str) -> float:
    started = time.perf_counter()
    answer = await client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
    took = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
    return took * 1000


async def measure(store: RunStore, home: Path, runs: int, rounds: int) -> dict[str, list[float]]:
    console = Console(
        store=store,
        approvals=ApprovalQueue(home / "approvals.db"),
        stop_dir=home / "stop",
        sessions=Sessions(TOKEN),
        redactor=Redactor(),
    )
    app = create_app(console)
    pages = {
        "/runs (newest 100 of all)": "/runs",
        "/runs?status=failed": "/runs?status=failed",
        "/runs?q=Person 4242 (search)": "/runs?q=Person%204242",
        "/api/runs (100 run objects)": "/api/runs",
        f"/runs?limit={runs} (every run on one page)": f"/runs?limit={runs}",
    }
    times: dict[str, list[float]] = {"baseline: store query for /runs": [], **{k: [] for k in pages}}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        for path in pages.values():  # warm up: templates compiled, pages cached by SQLite
            await timed_get(client, path)
        for _ in range(rounds):
            started = time.perf_counter()
            store.find_runs(RunFilter())
            times["baseline: store query for /runs"].append((time.perf_counter() - started) * 1000)
            for name, path in pages.items():
                times[name].append(await timed_get(client, path))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        store = RunStore(home / "runs.db")
        filled = time.perf_counter()
        fill(store, options.runs)
        filled = time.perf_counter() - filled
        times = asyncio.run(measure(store, home, options.runs, options.rounds))
        store.close()
    baseline = statistics.median(times["baseline: store query for /runs"])
    rows: list[dict[str, Any]] = [
        {
            "what": name,
            "median_ms": round(statistics.median(values), 1),
            "min_ms": round(min(values), 1),
            "max_ms": round(max(values), 1),
            "vs_baseline": round(statistics.median(values) / baseline, 1),
        }
        for name, values in times.items()
    ]
    goal = next(r for r in rows if r["what"].startswith("/runs (newest"))
    result = {"runs": options.runs, "rounds": options.rounds, "fill_s": round(filled, 1), "rows": rows}
    result["goal_200ms_met"] = goal["median_ms"] <= 200
    if options.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{options.runs} runs in the store (filled in {filled:.1f} s); {options.rounds} interleaved rounds, medians")
    for row in rows:
        print(
            f"  {row['what']:<45} {row['median_ms']:>8.1f} ms  (min {row['min_ms']}, max {row['max_ms']})"
            f"  {row['vs_baseline']:>6.1f}× the store query"
        )
    print(f"run list ≤ 200 ms: {'met' if result['goal_200ms_met'] else 'NOT met'} ({goal['median_ms']} ms)")


if __name__ == "__main__":
    main()
