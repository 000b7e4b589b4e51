"""A fleet's only worker and its submitting command are both SIGKILLed while a row runs (its POST at the app, the
answer held back): nobody who can read the row's lease is left. Any reader of the run store — here `deskhand runs
list` on an operator's machine, which knows nothing of the broker — decides the run `interrupted`, but only once
neither the dead desktop's beat nor its worker's heartbeat has reached the store for SILENT_AFTER_S by the store's
own clock; until then the run stays `running`. The machines share only the broker and a PostgreSQL store (each
its own DESKHAND_HOME and DESKHAND_MACHINE name), so the reader cannot judge the run by its pid."""

from __future__ import annotations

import contextlib
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

from deskhand.runs.workers import SILENT_AFTER_S

pytestmark = pytest.mark.desktop


@pytest.mark.timeout(600)
def test_with_no_worker_and_no_submitter_a_reader_of_the_store_decides_the_run(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    with serve_records(answer_after_s=300) as records, loopback_redis(tmp_path / "redis") as url:
        (tmp_path / "records.md").write_text(records_workflow(records.base, wait_s=300), encoding="utf-8")
        (tmp_path / "rows.csv").write_text("name\nperson-01\n", encoding="utf-8")
        db = postgres.new_database()

        def env(machine: str) -> dict[str, str]:
            base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
            home = str(tmp_path / machine)
            return cli_env(base, DESKHAND_HOME=home, DESKHAND_MACHINE=machine, DESKHAND_DB=db, DESKHAND_FLEET_KEY="k")

        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "1"],
                env=env("host-w"),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        submit = ["run", str(tmp_path / "records.md"), "--inputs", str(tmp_path / "rows.csv"), "--broker", url]
        submitter = subprocess.Popen(
            [sys.executable, "-m", "deskhand", *submit],
            env=env("host-s"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 300
            while "person-01" not in records.names():  # the row's POST reached the app: the run is under way
                assert worker.poll() is None and submitter.poll() is None, (tmp_path / "worker.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
                time.sleep(0.2)
            for process in (worker, submitter):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
            killed_at = time.time()
            [(run_id, status)] = query_store(db, "SELECT id, status FROM runs")
            assert status == "running"
            ops = env("host-ops")
            looks = 0
            deadline = time.monotonic() + 240
            while True:
                listed = deskhand(["runs", "list", "--json"], ops, cwd=tmp_path)
                assert listed.code == 0, listed
                [run] = [r for r in json.loads(listed.out) if r["run_id"] == run_id]
                looks += 1
                if run["status"] != "running":
                    break
                assert time.monotonic() < deadline, run
                time.sleep(2.0)
            assert run["status"] == "interrupted", run
            assert looks > 1  # the first look, seconds after the kill, left it running: its beats were fresh
            [(error, finished)] = query_store(db, f"SELECT error_json, finished_at FROM runs WHERE id = '{run_id}'")
            message = json.loads(error)["message"]
            assert "neither its desktop (host-w, pid " in message and "decided by host-ops" in message, message
            # Decided only once both beats were older than SILENT_AFTER_S by the store's clock (one machine here,
            # so the reader's clock that wrote finished_at is the store's).
            [(desktop_beat,)] = query_store(db, "SELECT beat FROM desktop_beats")
            [(worker_beat,)] = query_store(db, "SELECT beat FROM workers")
            decided = datetime.fromisoformat(finished).timestamp()
            assert decided - max(desktop_beat, worker_beat) > SILENT_AFTER_S, (decided, desktop_beat, worker_beat)
            assert max(desktop_beat, worker_beat) < killed_at + 1  # no beat after the kill
            rows = dict(query_store(db, "SELECT row_index, status FROM batch_rows"))
            assert rows == {0: "running"}, rows  # the row itself waits: the batch rules decide it when it comes back
        finally:
            for process in (submitter, worker):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
