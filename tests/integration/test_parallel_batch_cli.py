"""`deskhand run --inputs rows.csv --parallel 2|3`: 30 rows on two or three virtual desktops at once (each worker
starts its own Xvfb, buses and Chromium profile), one batch, into a loopback app that counts every POST: each row
arrives once, with its own name, every desktop ran rows, and the command showed in the run store's fleet (the
console's /fleet page) with its desktops and the rows they ran while the batch ran."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.fixtures.postgres_server import PostgresServer
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env

from deskhand.runs.intents import IntentLog
from deskhand.runs.store import RunStore

pytestmark = pytest.mark.desktop

ROWS = 6  # the kill test's batch
BATCH_ROWS = 30


def _failed_runs(stdout: str) -> str:
    """What a failure needs to be understood: the runs that did not succeed with their errors, and the workers."""
    try:
        result = json.loads(stdout)
    except ValueError:
        return stdout[-3000:]
    failed = [{k: run.get(k) for k in ("run_id", "status", "error")} for run in result.get("runs", [])]
    failed = [run for run in failed if run["status"] != "succeeded"]
    return json.dumps({"failed": failed, "unfinished": result.get("unfinished_rows"), "workers": result.get("workers")})


def _watch_fleet(db: Path, command: subprocess.Popen[str], desktops: int) -> tuple[str, set[str]]:
    """While the batch runs: the command's worker name, once the fleet showed one of its desktops running a row
    that rows_in_flight attributes to it; and every run its desktops were seen running."""
    seen: set[str] = set()
    shown = ""
    deadline = time.monotonic() + 300
    with RunStore(db, artifacts_root=db.parent / "runs") as store:
        while command.poll() is None and time.monotonic() < deadline:
            for worker in store.workers():
                if worker.kind == "parallel" and len(worker.desktops) == desktops:
                    seen |= {slot.run_id for slot in worker.desktops if slot.run_id}
                    if any(row.worker == worker.name and row.run_id in seen for row in store.rows_in_flight()):
                        shown = worker.name
            time.sleep(0.2)
    return shown, seen


@pytest.mark.timeout(900)
@pytest.mark.parametrize("desktops", [2, 3])
def test_desktops_run_every_row_exactly_once(tmp_path: Path, desktops: int) -> None:
    with serve_records() as records:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=20), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, BATCH_ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, DESKHAND_HOME=str(tmp_path / "home"))
        command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        command += [str(tmp_path / "rows.csv"), "--parallel", str(desktops), "--json"]
        db = tmp_path / "home" / "runs.db"
        started = time.monotonic()
        batch_run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        shown, seen = _watch_fleet(db, batch_run, desktops)
        stdout, stderr = batch_run.communicate(timeout=840)
        took = time.monotonic() - started
        assert batch_run.returncode == 0, f"{_failed_runs(stdout)}\n{stderr[-3000:]}"
        result = json.loads(stdout)
        # The app's own count: every name once, nothing else.
        assert sorted(records.names()) == names, records.names()
        assert len(records.names()) == BATCH_ROWS
        assert result["desktops"] == desktops and not result["unfinished_rows"], result
        with sqlite3.connect(db) as conn:
            runs = list(conn.execute("SELECT id, batch_id, batch_row, status, owner_pid FROM runs"))
            batch = conn.execute("SELECT id, finished_at FROM batches").fetchall()
        assert len(batch) == 1 and batch[0][1] is not None, batch
        assert sorted(row for _, _, row, _, _ in runs) == list(range(BATCH_ROWS)), runs
        assert {status for _, _, _, status, _ in runs} == {"succeeded"}, runs
        assert {batch_id for _, batch_id, _, _, _ in runs} == {batch[0][0]}
        # The rows were shared by the worker processes, one per desktop: each ran rows.
        assert len({pid for *_, pid in runs}) == desktops, runs
        # The fleet showed the command, its desktops and rows in flight on them, and shows it stopped now.
        assert shown and seen <= {run_id for run_id, *_ in runs} and len(seen) >= 2, (shown, seen)
        with RunStore(db, artifacts_root=tmp_path / "home" / "runs") as store:
            (worker,) = store.workers()
            assert (worker.name, worker.state(), len(worker.desktops)) == (shown, "stopped", desktops)
            assert store.rows_in_flight() == []
        print(f"\n{BATCH_ROWS} rows on {desktops} desktops: {took:.1f} s, {BATCH_ROWS / took * 60:.1f} rows/min")


@pytest.mark.timeout(900)
def test_a_parallel_batch_on_the_postgresql_store(tmp_path: Path, postgres: PostgresServer) -> None:
    """The same command with DESKHAND_DB on a PostgreSQL server (Debian's, started by the tests): the workers
    claim rows, record intents and runs there, and nothing goes to the SQLite file of the home."""
    database = postgres.new_database()
    with serve_records() as records:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=20), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        home = tmp_path / "home"
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, DESKHAND_HOME=str(home), DESKHAND_DB=database)
        command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        command += [str(tmp_path / "rows.csv"), "--parallel", "2", "--json"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=840, check=False)
        assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert sorted(records.names()) == names and len(records.names()) == ROWS, records.names()
    assert not (home / "runs.db").exists()
    with RunStore(database, artifacts_root=home / "runs") as store:
        runs = store.list_runs(limit=100)
        (batch,) = {run.batch_id for run in runs}
        assert batch is not None
        assert sorted(run.batch_row for run in runs if run.batch_row is not None) == list(range(ROWS))
        assert {run.status for run in runs} == {"succeeded"}
        assert {row.status for row in store.batch_rows(batch)} == {"succeeded"}
        (worker,) = store.workers()
        assert worker.kind == "parallel" and len(worker.desktops) == 2 and worker.state() == "stopped"
    intents = IntentLog(database)  # "Save record" is irreversible: each row's intent, settled, is in PostgreSQL
    for row in range(ROWS):
        (intent,) = intents.for_row(batch, row)
        assert intent.outcome == "sent" and intent.meaning, intent


def _statuses(db: Path) -> list[str]:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return [status for (status,) in conn.execute("SELECT status FROM batch_rows ORDER BY row_index")]
    except sqlite3.OperationalError:  # the store is still being created
        return []


@pytest.mark.timeout(900)
def test_a_parallel_batch_killed_mid_run_resumes_with_every_row_once(tmp_path: Path) -> None:
    """The command and both workers SIGKILLed while rows run (each desktop's reaper ends its processes); the same
    command again finishes the batch: rows done are skipped, a row killed mid-run runs again or is found done
    by `verify:`, and the app received every name once."""
    with serve_records() as records:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=20), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, DESKHAND_HOME=str(tmp_path / "home"))
        command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        command += [str(tmp_path / "rows.csv"), "--parallel", "2", "--json"]
        db = tmp_path / "home" / "runs.db"
        first = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 300
        while not (_statuses(db).count("succeeded") >= 2 and "running" in _statuses(db)):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, _statuses(db)
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)  # the command and its workers, as a crash or OOM kill would
        first.wait(30)
        before = _statuses(db)
        done = [index for index, status in enumerate(before) if status == "succeeded"]

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=540, check=False)
        assert second.returncode == 0, f"{second.stdout[-3000:]}\n{second.stderr[-3000:]}"
        result = json.loads(second.stdout)
        assert sorted(result["skipped_rows"]) == sorted(done + result["verified_rows"]), (before, result)
        counts = records.counts()
        assert sorted(counts) == names and set(counts.values()) == {1}, (before, counts)
        assert set(_statuses(db)) <= {"succeeded", "verified"}, _statuses(db)
        with sqlite3.connect(db) as conn:
            batches = conn.execute("SELECT COUNT(*), COUNT(finished_at) FROM batches").fetchone()
        assert batches == (1, 1), batches  # one batch, resumed, then closed
        print(f"\nkilled with rows {before}; resumed: verified {result['verified_rows']}, runs {len(result['runs'])}")
