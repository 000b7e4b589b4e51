"""The fleet's kill switch and audit log, across "machines" that share only the broker and the run store (each its
own DESKHAND_HOME and DESKHAND_MACHINE name; Debian's redis-server and postgresql started by the test):
`deskhand fleet stop`, pulled on an operator's machine while a worker's row waits for the app's answer after its
POST, ends that run `stopped` before its next read, and the worker runs none of the other rows (refused, not
lost: the submitter reports each with the stop). Nothing more reaches the app, and the fleet's audit log
(`deskhand runs audit`, read on the operator's machine) has the worker desktop's actions before the stop and
none after it. After `deskhand fleet resume`, the same command finishes the batch under the exactly-once rules:
the stopped row, which recorded an intent before its POST, is found done by `verify:`; every name arrives once.
What the worker's runs learned (its copy of the workflow's lock) comes back with the rows, signed, and is proposed
beside the submitter's lock for review — written into it only by `deskhand fleet lock … --accept`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from tests.fixtures.loopback_redis import loopback_redis
from tests.fixtures.postgres_server import PostgresServer, query_store
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env, deskhand

from deskhand.workflows.lock import read_lock

pytestmark = pytest.mark.desktop

NAMES = [f"person-{i:02d}" for i in range(1, 5)]


@pytest.mark.timeout(900)
def test_a_fleet_stop_ends_the_workers_run_and_runs_no_row_until_resumed(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    # The app records a POST and holds its answer: the row is mid-run, waiting for "Record saved".
    with serve_records(answer_after_s=600) as records, loopback_redis(tmp_path / "redis") as url:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=300), encoding="utf-8")
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(NAMES) + "\n", encoding="utf-8")
        db = postgres.new_database()

        def env(machine: str) -> dict[str, str]:
            base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
            return cli_env(
                base,
                DESKHAND_HOME=str(tmp_path / machine),
                DESKHAND_MACHINE=machine,
                DESKHAND_DB=db,
                DESKHAND_ARTIFACTS=str(tmp_path / "artifacts"),
                DESKHAND_FLEET_KEY="k-stop",
            )

        submit = ["run", str(tmp_path / "records.md"), "--inputs", str(tmp_path / "rows.csv"), "--broker", url]
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "1"],
                env=env("host-w"),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        first: subprocess.Popen[str] | None = None
        try:
            first = subprocess.Popen(
                [sys.executable, "-m", "deskhand", *submit, "--json"],
                env=env("host-s"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 400
            while not records.names():  # the first row's POST reached the app; its run waits for the answer
                assert first.poll() is None and worker.poll() is None, (tmp_path / "worker.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.2)
            [(run_id, status)] = query_store(db, "SELECT id, status FROM runs")
            assert status == "running"
            stopped = deskhand(["fleet", "stop", "--reason", "wrong amounts"], env("host-ops"), cwd=tmp_path)
            assert stopped.code == 0 and "wrong amounts" in stopped.out, stopped
            out, err = first.communicate(timeout=300)
            tail = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
            assert first.returncode == 1, (out[-2000:], err[-2000:], tail)
            result = json.loads(out)
            # The run on the worker ended stopped, by the fleet's stop, and no other row ran.
            [(same, status, error)] = query_store(db, "SELECT id, status, error_json FROM runs")
            assert (same, status) == (run_id, "stopped"), (status, error, tail)
            assert "stopped by host-ops" in error and "wrong amounts" in error, error
            assert records.names() == [NAMES[0]], records.names()  # nothing more reached the app
            reasons = {item["row"]: item["reason"] for item in result["failed_rows"]}
            assert sorted(reasons) == [0, 1, 2, 3] and all("wrong amounts" in why for why in reasons.values()), result
            assert all("deskhand fleet resume" in reasons[row] for row in (1, 2, 3)), reasons
            rows = dict(query_store(db, "SELECT row_index, status FROM batch_rows"))
            assert rows == {0: "failed", 1: "pending", 2: "pending", 3: "pending"}, rows
            # A submitter sends nothing while the stop holds.
            again = deskhand(submit, env("host-s"), cwd=tmp_path)
            assert again.code == 1 and "stopped by host-ops" in again.err and "No row was sent" in again.err, again
            # The fleet's audit log, read on the operator's machine: the worker desktop's actions, none after the stop.
            audited = deskhand(["runs", "audit", "--json", "-n", "500"], env("host-ops"), cwd=tmp_path)
            entries = [json.loads(line) for line in audited.out.splitlines()]
            [(asked_at,)] = query_store(db, "SELECT asked_at FROM fleet_stops")
            mine = [e for e in entries if e["run_id"] == run_id]
            assert mine and all(e["machine"].startswith("host-w, desktop 1 (pid ") for e in mine), entries
            assert all(e["host"] == "host-w" and e["allowed"] for e in mine), mine
            assert any(e["action"] == "click" and e["target"].get("name") == "Save record" for e in mine), mine
            assert max(datetime.fromisoformat(e["at"]) for e in entries) < datetime.fromisoformat(asked_at), entries
            # Lifted, the same command finishes the batch: the stopped row is found done, every name once.
            records.answer_now.set()
            resumed = deskhand(["fleet", "resume"], env("host-ops"), cwd=tmp_path)
            assert resumed.code == 0 and resumed.out.startswith("Lifted:"), resumed
            done = deskhand([*submit, "--json"], env("host-s"), cwd=tmp_path, timeout=400)
            tail = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
            assert done.code == 0, (done.out[-2000:], done.err[-2000:], tail)
            assert json.loads(done.out)["verified_rows"] == [0], done.out
            assert sorted(records.names()) == NAMES, records.counts()
            # What the worker's runs learned came back with the rows, signed: proposed beside the lock, not written.
            lock, proposed = tmp_path / "records.lock", tmp_path / "records.lock.proposed"
            assert "the workers learned" in done.err and str(proposed) in done.err, done.err[-2000:]
            assert proposed.is_file() and not lock.exists()
            review = deskhand(["fleet", "lock", str(tmp_path / "records.md")], env("host-s"), cwd=tmp_path)
            assert review.code == 0 and '+    selector: role=button[name="Save record"]' in review.out, review
            accepted = deskhand(
                ["fleet", "lock", str(tmp_path / "records.md"), "--accept"], env("host-s"), cwd=tmp_path
            )
            assert accepted.code == 0 and lock.is_file() and not proposed.exists(), accepted
            learned = read_lock(lock)
            assert learned is not None and [step.n for step in learned.steps] == [1, 2, 3, 4, 5], learned
        finally:
            if first is not None and first.poll() is None:
                first.kill()
                first.wait(30)
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(120)
