"""The scheduler's passes, given the time: runs on time, never two of one workflow at once, and firings
missed while deskhand was off are recorded and told (then run once, or skipped, by the schedule's policy)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from deskhand.app.scheduler import Scheduler
from deskhand.runs.outbox import Outbox
from deskhand.runs.records import iso
from deskhand.runs.store import RunStore

ZONE = timezone(timedelta(hours=2))
NINE = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)  # a Monday


@pytest.fixture
def workflow(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text("---\nname: report\nschedule: every weekday at 9:00\n---\n1. Open mousepad\n", encoding="utf-8")
    return path


@pytest.fixture
def launched() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def scheduler(store_where: Path | str, launched: list[subprocess.Popen[bytes]], command: list[str]) -> Scheduler:
    def launch(args: list[str], home: Path) -> subprocess.Popen[bytes]:
        assert args[-5:] == ["run", args[-4], "--approve", "queue", "--json"]
        launched.append(subprocess.Popen(command))
        return launched[-1]

    return Scheduler(store_where, launch=launch)


def added(sched: Scheduler, workflow: Path, created: datetime, missed: str = "run") -> str:
    record = sched.book.add(str(workflow), "every weekday at 9:00", "0 9 * * 1-5", missed, "front matter")
    sched.book._db.execute("UPDATE schedules SET created_at = ? WHERE id = ?", (iso(created), record.id))
    return record.id


def test_a_firing_on_time_starts_one_run_and_a_second_while_it_runs_is_held(
    tmp_path: Path, store_where: Path | str, workflow: Path, launched: list[subprocess.Popen[bytes]]
) -> None:
    sched = scheduler(store_where, launched, ["sleep", "30"])
    schedule_id = added(sched, workflow, NINE - timedelta(hours=1))
    sched.tick(NINE - timedelta(minutes=1))
    assert launched == [] and sched.book.fires(schedule_id) == []
    sched.tick(NINE + timedelta(seconds=2))
    assert len(launched) == 1
    sched.tick(NINE + timedelta(seconds=3))  # the same firing is not started twice
    assert len(launched) == 1
    # Tuesday's run comes while Monday's is still going: held, and said why.
    sched.tick(NINE + timedelta(days=1, seconds=1))
    assert len(launched) == 1
    fires = sched.book.fires(schedule_id)
    assert [f.status for f in fires] == ["overlap", "started"]
    assert fires[0].note is not None and "still running" in fires[0].note
    launched[0].kill()
    launched[0].wait()
    sched.tick(NINE + timedelta(days=2, seconds=1))
    assert len(launched) == 2


@pytest.mark.parametrize(("policy", "runs"), [("run", 1), ("skip", 0)])
def test_firings_missed_while_off_are_recorded_and_told_then_run_once_or_skipped(
    tmp_path: Path,
    store_where: Path | str,
    workflow: Path,
    launched: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    policy: str,
    runs: int,
) -> None:
    monkeypatch.setenv("DESKHAND_NOTIFY", "json://127.0.0.1:9/hook")  # a closed port: the notice stays queued
    sched = scheduler(store_where, launched, ["true"])
    schedule_id = added(sched, workflow, NINE - timedelta(hours=1), policy)
    # The machine was off from Monday 8:00 to Wednesday 12:00: three firings (Mon, Tue, Wed at 9:00) missed.
    sched.tick(NINE + timedelta(days=2, hours=3))
    assert len(launched) == runs
    fires = sched.book.fires(schedule_id)
    missed_status = "missed" if policy == "run" else "skipped"
    assert sorted(f.status for f in fires) == sorted([missed_status] * 3 + ["started"] * runs)
    assert all("deskhand was not running" in (f.note or "") for f in fires if f.status == missed_status)
    notices = Outbox(store_where).recent(10)
    assert [n.title for n in notices] == ["deskhand: report missed 3 scheduled run(s)"]
    assert ("runs once now" if policy == "run" else "is skipped") in notices[0].body
    sched.tick(NINE + timedelta(days=2, hours=3, seconds=1))  # told once, not again on the next pass
    assert len(Outbox(store_where).recent(10)) == 1


def test_a_broken_workflow_file_is_recorded_at_its_firing(
    tmp_path: Path, store_where: Path | str, workflow: Path, launched: list[subprocess.Popen[bytes]]
) -> None:
    sched = scheduler(store_where, launched, ["true"])
    schedule_id = added(sched, workflow, NINE - timedelta(hours=1))
    workflow.write_text("---\nname: report\n---\n", encoding="utf-8")
    sched.tick(NINE + timedelta(seconds=1))
    assert launched == []
    fire = sched.book.fires(schedule_id)[0]
    assert fire.status == "error" and fire.note is not None and "has no steps" in fire.note


def test_a_run_of_the_workflow_started_elsewhere_holds_the_firing(
    tmp_path: Path, store_where: Path | str, workflow: Path, launched: list[subprocess.Popen[bytes]]
) -> None:
    sched = scheduler(store_where, launched, ["true"])
    schedule_id = added(sched, workflow, NINE - timedelta(hours=1))
    with RunStore(
        store_where, artifacts_root=tmp_path / "runs"
    ) as store:  # `deskhand run report.md` by hand, still going (this process)
        run_id = store.start_run(workflow, "report", {})
    sched.tick(NINE + timedelta(seconds=1))
    assert launched == []
    fire = sched.book.fires(schedule_id)[0]
    assert fire.status == "overlap" and fire.note == f"not started: run {run_id} still running"


def test_two_schedulers_on_one_store_start_a_firing_once(
    tmp_path: Path, store_where: Path | str, workflow: Path, launched: list[subprocess.Popen[bytes]]
) -> None:
    first = scheduler(store_where, launched, ["sleep", "30"])
    second = scheduler(store_where, launched, ["sleep", "30"])
    added(first, workflow, NINE - timedelta(hours=1))
    (seen_by_second,) = second.book.all()  # read in the same second, before the first took the firing
    first.tick(NINE + timedelta(seconds=1))
    second._consider(seen_by_second, NINE + timedelta(seconds=1))
    assert len(launched) == 1
