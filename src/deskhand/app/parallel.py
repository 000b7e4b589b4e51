"""A batch on N virtual desktops of this machine at once (`deskhand run --inputs rows.csv --parallel N`).

This process makes (or finds, to resume) the batch, then starts N `deskhand run ... --desktop virtual
--claim-pass TOKEN` worker processes: each starts its own desktop (Xvfb, session bus, AT-SPI bus, app
profiles under its own temp dir) and runs the rows it claims in the run store (runs/claims.py), with the
serial batch's rules for each row (intents, `verify:`). Processes, not threads: a desktop's buses are named by
environment variables, and a worker killed mid-row leaves only its own row to the next command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from deskhand.errors import InputError
from deskhand.runs.claims import RowClaims
from deskhand.runs.owner import this_host
from deskhand.runs.store import RunStore
from deskhand.runs.workers import HEARTBEAT_S, DesktopSlot

MIB = 1024 * 1024
# `auto`: one desktop per core, as long as each can have this much memory, after the reserve is left to the rest
# of the machine. A worker with its desktop and Chromium peaked at 280 MiB unique (USS) memory in an 8-row batch
# (docs/scale-out.md); the budget leaves room for heavier apps (LibreOffice) and pages.
MEMORY_PER_DESKTOP = 768 * MIB
MEMORY_RESERVE = 512 * MIB
FINISHED = ("succeeded", "verified", "set_aside", "failed")
POLL_S = 0.5


def desktops_for(spec: str, rows: int) -> int:
    """How many desktops: a number, or ``auto`` = min(cores, (available memory - 512 MiB) // 768 MiB, rows)."""
    if spec == "auto":
        cores = len(os.sched_getaffinity(0))
        by_memory = (psutil.virtual_memory().available - MEMORY_RESERVE) // MEMORY_PER_DESKTOP
        return max(1, min(cores, int(by_memory), rows))
    try:
        count = int(spec)
    except ValueError:
        count = 0
    if count < 1:
        raise InputError(
            f"--parallel {spec!r} is not a number of desktops.",
            hint="Give a whole number of at least 1 (e.g. --parallel 2), or --parallel auto.",
        )
    return min(count, max(rows, 1))


@dataclass
class WorkerResult:
    number: int
    code: int
    batch: dict[str, Any] | None
    stderr: str


@dataclass
class ParallelOutcome:
    batch_id: str
    desktops: int
    workers: list[WorkerResult] = field(default_factory=list)
    rows: dict[int, str] = field(default_factory=dict)

    def merged(self, key: str) -> list[Any]:
        items: list[Any] = []
        for worker in self.workers:
            items.extend((worker.batch or {}).get(key) or [])
        return items

    @property
    def unfinished(self) -> list[int]:
        """Rows this command left neither done nor set aside (a failure stopped the pass, or a worker died)."""
        return sorted(i for i, status in self.rows.items() if status not in ("succeeded", "verified", "set_aside"))

    @property
    def ok(self) -> bool:
        return all(status in ("succeeded", "verified") for status in self.rows.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "desktops": self.desktops,
            "runs": self.merged("runs"),
            "skipped_rows": sorted(self.merged("skipped_rows")),
            "verified_rows": sorted(self.merged("verified_rows")),
            "unsure_rows": sorted(self.merged("unsure_rows")),
            "set_aside": self.merged("set_aside"),
            "unfinished_rows": self.unfinished,
            "workers": [{"desktop": w.number, "exit": w.code, "stderr": w.stderr[-2000:]} for w in self.workers],
        }


def run_parallel(
    store: RunStore,
    workflow_path: Path,
    inputs_file: Path,
    *,
    workflow_key: str,
    inputs_hash: str,
    rows: int,
    desktops: int,
    worker_args: Sequence[str],
    on_progress: Callable[[int], None] = lambda done: None,
) -> ParallelOutcome:
    """Run the batch on ``desktops`` worker processes; returns when all have ended."""
    batch_id = store.find_batch(workflow_key, inputs_hash) or store.create_batch(
        workflow_key, rows, inputs_file_hash=inputs_hash
    )
    claims = RowClaims(store.path, f"p-{uuid.uuid4().hex[:12]}")
    outcome = ParallelOutcome(batch_id, desktops)
    worker = f"parallel-{os.getpid()}@{this_host()}"  # this command, on the console's fleet page
    command = [sys.executable, "-m", "deskhand", "run", str(workflow_path), "--inputs", str(inputs_file)]
    command += ["--desktop", "virtual", "--json", "--claim-pass", claims.pass_id, *worker_args]
    with tempfile.TemporaryDirectory(prefix="deskhand-parallel-") as temp:
        started: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
        try:
            for number in range(desktops):
                out, err = Path(temp) / f"{number}.out", Path(temp) / f"{number}.err"
                with out.open("wb") as stdout, err.open("wb") as stderr:
                    process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
                started.append((process, out, err))
            beat = 0.0
            while any(process.poll() is None for process, _, _ in started):
                on_progress(sum(status in FINISHED for status in claims.rows_of_pass(batch_id).values()))
                if time.monotonic() - beat >= HEARTBEAT_S:
                    _heartbeat(store, worker, [process.pid for process, _, _ in started])
                    beat = time.monotonic()
                time.sleep(POLL_S)
        finally:
            for process, _, _ in started:  # only when this command itself is stopped (Ctrl-C)
                if process.poll() is None:
                    process.terminate()
                    process.wait(30)
            if started:
                store.record_worker_stopped(worker)
        for number, (process, out, err) in enumerate(started):
            outcome.workers.append(WorkerResult(number + 1, process.returncode, _json(out), _text(err)))
    on_progress(sum(status in FINISHED for status in claims.rows_of_pass(batch_id).values()))
    claims.close()
    outcome.rows = {record.index: record.status for record in store.batch_rows(batch_id)}
    if outcome.ok:
        store.finish_batch(batch_id)
    return outcome


def _heartbeat(store: RunStore, worker: str, pids: Sequence[int]) -> None:
    """This command and its desktops on the fleet page: desktop N is worker process N and the run it runs."""
    running = store.running_runs_of(pids)
    store.record_worker_heartbeat(
        worker, [DesktopSlot(number, "", running.get(pid)) for number, pid in enumerate(pids, 1)], kind="parallel"
    )


def _json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
