"""The hook `deskhand serve` gives a scheduler: started before the first request, stopped at shutdown, and
its schedules shown on /schedules (plain objects with the documented attributes; mappings work too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deskhand.app.scheduler import Scheduler
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.policy.secrets import Redactor
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli.serve import console_services
from deskhand.surfaces.web.app import create_app
from deskhand.surfaces.web.auth import Sessions
from deskhand.surfaces.web.services import ConsoleService, SchedulesProvider
from deskhand.surfaces.web.state import Console


@dataclass(frozen=True)
class Line:
    workflow: str
    when: str
    next_run: str
    last_run: str
    last_status: str
    last_run_id: str
    missed: tuple[str, ...]
    note: str


@dataclass
class FakeScheduler:
    events: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.events.append("start")

    def stop(self) -> None:
        self.events.append("stop")

    def schedules(self) -> list[object]:
        return [
            Line(
                "invoices",
                "every weekday at 9:00",
                "2026-12-07T09:00:00+00:00",
                "2026-12-04T09:00:01+00:00",
                "failed",
                "r-20261204-090001-abcd",
                ("2026-12-03T09:00:00+00:00",),
                "missed while the machine was off: run at start",
            ),
            {
                "workflow": "backup",
                "when": "0 2 * * *",
                "next_run": "",
                "last_run": "",
                "last_status": "",
                "last_run_id": "",
                "missed": [],
                "note": "",
            },
        ]


def test_a_scheduler_starts_and_stops_with_the_console_and_fills_the_schedules_page(tmp_path: Path) -> None:
    scheduler = FakeScheduler()
    assert isinstance(scheduler, ConsoleService) and isinstance(scheduler, SchedulesProvider)
    store = RunStore(tmp_path / "runs.db")
    console = Console(
        store=store,
        approvals=ApprovalQueue(tmp_path / "approvals.db"),
        stop_dir=tmp_path / "stop",
        sessions=Sessions("t0ken"),
        redactor=Redactor(),
        services=[scheduler],
    )
    with TestClient(create_app(console)) as client:
        assert scheduler.events == ["start"]
        page = client.get("/schedules", headers={"Authorization": "Bearer t0ken"})
        assert page.status_code == 200
        assert "every weekday at 9:00" in page.text and "2026-12-07 09:00:00" in page.text
        assert 'href="/runs/r-20261204-090001-abcd"' in page.text and "missed while the machine was off" in page.text
        assert "2026-12-03 09:00:00" in page.text and "0 2 * * *" in page.text
    assert scheduler.events == ["start", "stop"]
    store.close()


def test_serve_runs_the_scheduler_and_its_schedules_fill_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path))
    (scheduler,) = console_services()
    assert isinstance(scheduler, Scheduler)
    assert isinstance(scheduler, ConsoleService) and isinstance(scheduler, SchedulesProvider)
    workflow = tmp_path / "report.md"
    workflow.write_text("---\nname: report\n---\n1. Open mousepad\n", encoding="utf-8")
    record = scheduler.book.add(str(workflow), "every weekday at 9:00", "0 9 * * 1-5", "skip", "front matter")
    scheduler.book.fired(record.id, datetime(2026, 12, 3, 9, 0).astimezone(), "skipped", note="missed")
    store = RunStore(tmp_path / "runs.db")
    console = Console(
        store=store,
        approvals=ApprovalQueue(tmp_path / "approvals.db"),
        stop_dir=tmp_path / "stop",
        sessions=Sessions("t0ken"),
        redactor=Redactor(),
        services=[scheduler],
    )
    with TestClient(create_app(console)) as client:
        page = client.get("/schedules", headers={"Authorization": "Bearer t0ken"})
        assert page.status_code == 200
        assert str(workflow) in page.text and "every weekday at 9:00" in page.text
        assert "2026-12-03 09:00:00" in page.text and "1 missed while deskhand was not running: skipped" in page.text
    scheduler.close()
    store.close()
