"""`deskhand worker --broker redis://… --desktops 2` twice and `deskhand run … --broker redis://…`: a 30-row batch
into a loopback app that counts every POST, on a redis-server this test starts. One worker (its supervisor and
both desktop processes, as when a machine dies) is SIGKILLed while it holds a row: that row comes back after the
redelivery time and the other worker takes it under the exactly-once rules. The kill lands after the row's POST
reached the app and before the row finished (the app answers a POST 1.5 s after recording it), so a blind re-run
would post the name twice: the other worker must find it done with `verify:`. Every name arrives exactly once.

As machines of a fleet would, the submitter and each worker have their own DESKHAND_HOME and share only the
broker, the run store (a PostgreSQL database this test starts: DESKHAND_DB) and the artifacts folder
(DESKHAND_ARTIFACTS). test_fleet_guard.py runs a fleet on the other store, a SQLite file shared on one machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import redis
from tests.fixtures.loopback_redis import loopback_redis
from tests.fixtures.postgres_server import PostgresServer, query_store
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env

pytestmark = pytest.mark.desktop

ROWS = 30
REDELIVER_S = 20


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
def test_two_workers_one_killed_mid_batch_every_row_once(tmp_path: Path, postgres: PostgresServer) -> None:
    with serve_records(answer_after_s=1.5) as records, loopback_redis(tmp_path / "redis") as url:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=20), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        db = postgres.new_database()
        shared = {"DESKHAND_DB": db, "DESKHAND_ARTIFACTS": str(tmp_path / "artifacts"), "DESKHAND_FLEET_KEY": "k-9"}

        def env(machine: str) -> dict[str, str]:
            return cli_env(
                {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, DESKHAND_HOME=str(tmp_path / machine), **shared
            )

        worker = [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "2"]
        worker += ["--redeliver-after", str(REDELIVER_S), "--lease", "10"]
        logs = [(tmp_path / f"worker-{n}.log").open("wb") for n in "ab"]
        workers = [
            subprocess.Popen(
                worker, env=env(f"worker-{n}"), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            for n, log in zip("ab", logs, strict=True)
        ]
        try:
            submit = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
            submit += [str(tmp_path / "rows.csv"), "--broker", url, "--json"]
            submitter = subprocess.Popen(
                submit, env=env("submitter"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            # Kill worker a while one of its desktops holds a row whose POST has arrived, after a few rows are done.
            doomed = workers[0]
            deadline = time.monotonic() + 400
            while True:
                assert submitter.poll() is None and doomed.poll() is None, submitter.communicate()
                rows_now = dict(query_store(db, "SELECT row_index, status FROM batch_rows"))
                assert time.monotonic() < deadline, rows_now
                desktops = {child.pid for child in psutil.Process(doomed.pid).children()}
                # A row of the doomed worker whose POST arrived while the row is still running (awaiting the answer).
                posted = [row for row in _held_by(url, desktops) if names[row] in records.names()]
                posted = [row for row in posted if rows_now.get(row) == "running"]
                if list(rows_now.values()).count("succeeded") >= 4 and posted:
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
        tails = "\n".join((tmp_path / f"worker-{n}.log").read_text(errors="replace")[-2500:] for n in "ab")
        assert submitter.returncode == 0, f"{out[-3000:]}\n{err[-3000:]}\n{tails}"
        result = json.loads(out)
        # The app's own count: every name exactly once, nothing else.
        assert sorted(records.names()) == names, (records.counts(), tails)
        assert not result["failed_rows"] and not result["unfinished_rows"] and not result["set_aside"], (result, tails)
        # The row the killed worker held was reported by a desktop of the other worker, which found it done.
        killed_row = posted[0]
        reporter = result["machines"][str(killed_row)]
        assert int(reporter.rsplit("pid ", 1)[1].rstrip(")")) not in desktops, (killed_row, reporter)
        batches = query_store(db, "SELECT id, finished_at FROM batches")
        rows = dict(query_store(db, "SELECT row_index, status FROM batch_rows"))
        assert len(batches) == 1 and batches[0][1] is not None, batches
        assert set(rows.values()) <= {"succeeded", "verified"}, rows
        if rows[killed_row] != "verified":  # the row finished in the instant between the look and the kill
            sql = "SELECT r.owner_pid FROM runs r JOIN batch_rows b ON b.run_id = r.id WHERE b.row_index = "
            [(owner,)] = query_store(db, sql + str(killed_row))
            assert rows[killed_row] == "succeeded" and owner in desktops, (killed_row, rows[killed_row], owner)
        else:
            assert killed_row in result["verified_rows"], (killed_row, result)
            # The killed desktop's run was decided by its lapsed lease, naming the desktop (no store was opened
            # on this machine after the kill, so nothing else could have judged it).
            sql = "SELECT status, error_json FROM runs WHERE batch_row = "
            dead = query_store(db, f"{sql}{killed_row} AND owner_pid IN ({', '.join(map(str, desktops))})")
            assert [status for status, _ in dead] == ["interrupted"], dead
            assert "stopped renewing the lease" in dead[0][1], dead
        # No run is left running: a dead machine's runs are decided, not shown running for ever.
        assert query_store(db, "SELECT id, owner_pid FROM runs WHERE status = 'running'") == []
        # Both workers' heartbeats reached the store (the console's fleet page): the one stopped said goodbye,
        # the one killed did not (it turns silent).
        workers_seen = dict(query_store(db, "SELECT pid, stopped_at FROM workers WHERE kind = 'celery'"))
        assert set(workers_seen) == {process.pid for process in workers}, workers_seen
        assert workers_seen[doomed.pid] is None and workers_seen[workers[1].pid] is not None, workers_seen
