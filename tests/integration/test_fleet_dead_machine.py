"""A fleet's only worker dies mid-row (SIGKILL to its whole process group, as a machine that loses power): no
worker is left to decide its run, so the submitting command, still waiting for the batch, does — once the row's
lease has run out and the worker's heartbeat has gone silent, never before — and says so. The run ends
`interrupted`, naming the dead desktop; the row waits in the queue for a worker."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from tests.fixtures.loopback_redis import loopback_redis
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env

from deskhand.runs.workers import SILENT_AFTER_S

pytestmark = pytest.mark.desktop


def _runs(db: Path) -> list[tuple[str, str, str | None]]:
    if not db.exists():
        return []
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return list(conn.execute("SELECT id, status, error_json FROM runs"))
        except sqlite3.OperationalError:  # the store is still being created
            return []


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # see test_fleet_bad_input.py: a runner may inherit it ignored


@pytest.mark.timeout(600)
def test_with_no_worker_left_the_submitter_decides_the_dead_machines_run(tmp_path: Path) -> None:
    # The app records the POST, then answers only much later: the row is mid-run when its machine dies.
    with serve_records(answer_after_s=120) as records, loopback_redis(tmp_path / "redis") as url:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=200), encoding="utf-8")
        (tmp_path / "rows.csv").write_text("name\nperson-01\n", encoding="utf-8")
        env = cli_env({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, DESKHAND_HOME=str(tmp_path / "home"))
        env["DESKHAND_FLEET_KEY"] = "k-dead"
        db = tmp_path / "home" / "runs.db"
        worker_command = [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "1"]
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [*worker_command, "--lease", "10"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        submit = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        submitter = subprocess.Popen(
            [*submit, str(tmp_path / "rows.csv"), "--broker", url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
        assert submitter.stdout is not None
        os.set_blocking(submitter.stdout.fileno(), False)
        told = b""
        try:
            deadline = time.monotonic() + 300
            while "person-01" not in records.names():  # the row's POST reached the app: the run is under way
                assert worker.poll() is None and submitter.poll() is None, (tmp_path / "worker.log").read_text()
                assert time.monotonic() < deadline, (_runs(db), (tmp_path / "worker.log").read_text()[-3000:])
                time.sleep(0.2)
            [(run_id, status, _)] = _runs(db)
            assert status == "running"
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(30)
            # The lease runs out in 10 s, the heartbeat counts as silent after 30 s; the submitter looks every 10 s.
            deadline = time.monotonic() + 180
            while b"marked interrupted" not in told:
                assert submitter.poll() is None and time.monotonic() < deadline, (told, _runs(db))
                select.select([submitter.stdout], [], [], 1.0)
                told += submitter.stdout.read() or b""
            [(same, status, error)] = _runs(db)
            assert same == run_id and status == "interrupted", (status, error)
            message = json.loads(error or "{}")["message"]
            assert "stopped renewing the lease of row 1" in message and "pid " in message, message
            # Not while the worker's heartbeat was fresh (it says the run may still be going on): decided more
            # than SILENT_AFTER_S after the dead worker's last heartbeat, by the store's own times.
            with sqlite3.connect(db, timeout=30) as conn:
                [(beat, ended)] = conn.execute(
                    "SELECT w.heartbeat_at, r.finished_at FROM workers w, runs r WHERE w.pid = ? AND r.id = ?",
                    (worker.pid, run_id),
                )
            silent_for = (datetime.fromisoformat(ended) - datetime.fromisoformat(beat)).total_seconds()
            assert silent_for > SILENT_AFTER_S, (beat, ended)
            submitter.send_signal(signal.SIGINT)  # the row waits in the queue; stop following it
            submitter.wait(60)
            told += submitter.stdout.read() or b""
            assert submitter.returncode == 130, told
        finally:
            for process in (submitter, worker):
                if process.poll() is None:
                    process.kill()
                    process.wait(30)
            with contextlib.suppress(ProcessLookupError):  # its desktop, if the test ended before the kill
                os.killpg(worker.pid, signal.SIGKILL)
    text = " ".join(told.decode().split())
    assert f"run {run_id} was left running" in text and "no worker serves" in text, text
