"""`deskhand worker --broker redis://… --desktops 2` twice and `deskhand run … --broker redis://…`: a 30-row batch
into a loopback app that counts every POST, on a redis-server this test starts. One worker (its supervisor and
both desktop processes, as when a machine dies) is SIGKILLed while it holds a row: that row comes back after the
redelivery time and the other worker takes it under the exactly-once rules. The kill lands after the row's POST
reached the app and before the row finished (the app answers a POST 1.5 s after recording it), so a blind re-run
would post the name twice: the other worker must find it done with `verify:`. Every name arrives exactly once.

The fleet's store is the shared SQLite file of one DESKHAND_HOME (all processes on this machine); with
DESKHAND_DB=postgresql://… the same code shares a PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import redis
from tests.fixtures.loopback_redis import loopback_redis
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env

pytestmark = pytest.mark.desktop

ROWS = 30
REDELIVER_S = 20


def _statuses(db: Path) -> list[str]:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return [status for (status,) in conn.execute("SELECT status FROM batch_rows ORDER BY row_index")]
    except sqlite3.OperationalError:  # the store is still being created
        return []


def _held_by(url: str, pids: set[int]) -> list[int]:
    """Rows whose lease one of ``pids`` holds (a lease is deskhand:lease:BATCH:ROW = host:pid:desktop)."""
    client = redis.Redis.from_url(url)
    try:
        held = []
        for key in client.scan_iter(match="deskhand:lease:*"):
            holder = client.get(key)
            if holder is not None and int(holder.decode().split(":")[1]) in pids:
                held.append(int(key.decode().rsplit(":", 1)[1]))
        return held
    finally:
        client.close()


@pytest.mark.timeout(900)
def test_two_workers_one_killed_mid_batch_every_row_once(tmp_path: Path) -> None:
    with serve_records(answer_after_s=1.5) as records, loopback_redis(tmp_path / "redis") as url:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=20), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env(
            {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            DESKHAND_HOME=str(tmp_path / "home"),
            DESKHAND_FLEET_KEY="test-fleet-key",
        )
        db = tmp_path / "home" / "runs.db"
        worker = [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "2"]
        worker += ["--redeliver-after", str(REDELIVER_S), "--lease", "10"]
        logs = [(tmp_path / f"worker-{n}.log").open("wb") for n in "ab"]
        workers = [
            subprocess.Popen(worker, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            for log in logs
        ]
        try:
            submit = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
            submit += [str(tmp_path / "rows.csv"), "--broker", url, "--json"]
            submitter = subprocess.Popen(submit, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Kill worker a while one of its desktops holds a row whose POST has arrived, after a few rows are done.
            doomed = workers[0]
            deadline = time.monotonic() + 400
            while True:
                assert submitter.poll() is None and doomed.poll() is None, submitter.communicate()
                assert time.monotonic() < deadline, _statuses(db)
                desktops = {child.pid for child in psutil.Process(doomed.pid).children()}
                posted = [row for row in _held_by(url, desktops) if names[row] in records.names()]
                if _statuses(db).count("succeeded") >= 4 and posted:
                    break
                time.sleep(0.1)
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait(30)
            out, err = submitter.communicate(timeout=600)
        finally:
            for process in workers:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(120)
            for log in logs:
                log.close()
        assert submitter.returncode == 0, f"{out[-3000:]}\n{err[-3000:]}"
        result = json.loads(out)
        # The app's own count: every name exactly once, nothing else.
        assert sorted(records.names()) == names, records.counts()
        assert not result["failed_rows"] and not result["unfinished_rows"] and not result["set_aside"], result
        # The row the killed worker held was reported by a desktop of the other worker, which found it done.
        killed_row = posted[0]
        reporter = result["machines"][str(killed_row)]
        assert int(reporter.rsplit("pid ", 1)[1].rstrip(")")) not in desktops, (killed_row, reporter)
        with sqlite3.connect(db) as conn:
            batches = conn.execute("SELECT id, finished_at FROM batches").fetchall()
            rows = dict(conn.execute("SELECT row_index, status FROM batch_rows"))
        assert len(batches) == 1 and batches[0][1] is not None, batches
        assert set(rows.values()) <= {"succeeded", "verified"}, rows
        assert rows[killed_row] == "verified" and killed_row in result["verified_rows"], (killed_row, result)
