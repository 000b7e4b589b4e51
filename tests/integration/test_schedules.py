"""Schedules end to end on a real desktop: `deskhand schedule add|list|run-now|rm` through the CLI, and the
scheduler's passes starting real `deskhand run` processes — one at a time per workflow — whose effect is a
record at a loopback app."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.fixtures.web.records_app import Records, serve_records
from tests.integration.cli_shell import cli_env, deskhand
from tests.integration.served_chromium import launch_served_chromium

from deskhand.app.scheduler import Scheduler
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def records() -> Iterator[Records]:
    with serve_records() as running:
        yield running


@pytest.fixture(scope="module")
def desk() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desktop:
        launch_served_chromium(desktop, "about:blank")
        yield desktop


def workflow(folder: Path, base: str, name: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        f'---\nname: {name}\napps: [chromium]\nsites: ["{base}"]\npreapproved: [Click "Save record"]\n'
        "schedule: every weekday at 9:00\n---\n"
        f"1. Open {base}/new in the browser\n"
        '2. Wait until "New record" appears within 15 seconds\n'
        f'3. Fill "Name" with "{name}"\n'
        '4. Click "Save record"\n'
        '5. Wait until "Record saved" appears within 15 seconds\n',
        encoding="utf-8",
    )
    return path


def test_schedule_commands_add_list_run_now_and_remove(records: Records, desk: VirtualDesktop, tmp_path: Path) -> None:
    env = cli_env(desk.env, DESKHAND_HOME=str(tmp_path / "home"))
    path = workflow(tmp_path, records.base, "cli-scheduled")
    added = deskhand(["schedule", "add", str(path)], env, cwd=tmp_path)
    assert added.code == 0, added
    assert "cli-scheduled: every weekday at 9:00  (At 09:00 AM, Monday through Friday; missed: run)" in added.out
    extra = deskhand(
        ["schedule", "add", str(path), "--when", "every 15 minutes", "--missed", "skip"], env, cwd=tmp_path
    )
    assert extra.code == 0, extra
    bad = deskhand(["schedule", "add", str(path), "--when", "every 99 minutes"], env, cwd=tmp_path)
    assert bad.code == 2 and "the number must be 1 to 59" in bad.err, bad
    listed = json.loads(deskhand(["schedule", "list", "--json"], env, cwd=tmp_path).out)
    assert [(s["schedule"], s["cron"], s["missed_policy"]) for s in listed] == [
        ("every weekday at 9:00", "0 9 * * 1-5", "run"),
        ("every 15 minutes", "*/15 * * * *", "skip"),
    ]
    assert all(datetime.fromisoformat(s["next"]) > datetime.now().astimezone() for s in listed)
    ran = deskhand(["schedule", "run-now", str(path)], env, cwd=tmp_path)
    assert ran.code == 0, ran
    run_id = ran.out.split("started run ")[1].split(";")[0]
    deadline = time.monotonic() + 120
    while records.counts()["cli-scheduled"] < 1:
        assert time.monotonic() < deadline, records.names()
        time.sleep(0.1)
    assert records.counts()["cli-scheduled"] == 1
    shown = deskhand(["runs", "show", run_id, "--json"], env, cwd=tmp_path)
    assert shown.code == 0 and json.loads(shown.out)["status"] in ("running", "succeeded"), shown
    removed = deskhand(["schedule", "rm", str(path)], env, cwd=tmp_path)
    assert removed.code == 0 and removed.out.count("removed ") == 2, removed
    assert deskhand(["schedule", "list"], env, cwd=tmp_path).out.startswith("No schedules.")


def test_the_scheduler_starts_a_due_run_and_holds_one_that_would_overlap(
    records: Records, desk: VirtualDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in cli_env(desk.env, DESKHAND_HOME=str(tmp_path / "home")).items():
        monkeypatch.setenv(key, value)
    path = workflow(tmp_path, records.base, "loop-scheduled")
    sched = Scheduler(tmp_path / "home" / "runs.db")
    try:
        record = sched.book.add(str(path), "every weekday at 9:00", "0 9 * * 1-5", "run", "front matter")
        monday = datetime(2030, 1, 7, 9, 0).astimezone()
        sched.book._db.execute(
            "UPDATE schedules SET created_at = ? WHERE id = ?", ((monday - timedelta(hours=1)).isoformat(), record.id)
        )
        sched.tick(monday + timedelta(seconds=1))
        sched.tick(monday + timedelta(days=1, seconds=1))  # Tuesday's firing while Monday's run is going
        child = next(iter(sched._children.values())).process
        assert child.wait(180) == 0
        sched.tick(monday + timedelta(days=1, seconds=2))  # links the run to its firing
        fires = sched.book.fires(record.id)
        assert [f.status for f in fires] == ["overlap", "started"], fires
        assert fires[1].run_id is not None and fires[1].run_id.startswith("r-")
        assert records.counts()["loop-scheduled"] == 1
        logs = list((tmp_path / "home" / "scheduler-logs").glob("*-loop-scheduled.log"))
        assert len(logs) == 1 and '"status": "succeeded"' in logs[0].read_text(encoding="utf-8")
    finally:
        sched.close()
        for child in sched._children.values():
            if child.process.poll() is None:
                child.process.kill()
