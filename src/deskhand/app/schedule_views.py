"""What a schedule looks like to people (the console's /schedules page, `deskhand schedule list`): what it
means in words, the next run, the last run and its status, and the runs missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deskhand.runs.schedules import ScheduleBook, ScheduleRecord
from deskhand.workflows.when import parse_when

RAN = ("started", "overlap", "error")


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One schedule (the attributes of the console's ScheduleView, and a few more)."""

    id: str
    workflow: str
    when: str
    cron: str
    means: str
    missed_policy: str
    source: str
    next_run: str
    last_run: str = ""
    last_status: str = ""
    last_run_id: str = ""
    missed: tuple[str, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workflow": self.workflow,
            "schedule": self.when,
            "cron": self.cron,
            "means": self.means,
            "missed_policy": self.missed_policy,
            "source": self.source,
            "next": self.next_run,
            "last": {"due": self.last_run, "status": self.last_status, "run_id": self.last_run_id or None}
            if self.last_run
            else None,
            "missed": list(self.missed),
            "note": self.note,
        }


def schedule_line(book: ScheduleBook, schedule: ScheduleRecord, now: datetime) -> ScheduleLine:
    when = parse_when(schedule.cron)
    fires = book.fires(schedule.id, limit=200)
    last = next((fire for fire in fires if fire.status in RAN), None)
    missed = tuple(fire.due_at for fire in fires if fire.status in ("missed", "skipped"))
    status = ""
    if last is not None:
        status = book.run_status(last.run_id) if last.run_id else last.status
    note = ""
    if missed:
        note = f"{len(missed)} missed while deskhand was not running: " + (
            "ran once when it was back" if schedule.missed == "run" else "skipped (missed: skip)"
        )
    if last is not None and last.status in ("overlap", "error") and last.note:
        note = f"{note}; last firing: {last.note}" if note else f"last firing: {last.note}"
    return ScheduleLine(
        id=schedule.id,
        workflow=schedule.workflow_path,
        when=schedule.expression,
        cron=schedule.cron,
        means=when.describe(),
        missed_policy=schedule.missed,
        source=schedule.source,
        next_run=when.next_after(max(now, schedule.since.astimezone(now.tzinfo))).isoformat(timespec="minutes"),
        last_run=last.due_at if last is not None else "",
        last_status=status,
        last_run_id=(last.run_id or "") if last is not None else "",
        missed=missed,
        note=note,
    )


def schedule_lines(book: ScheduleBook, now: datetime) -> list[ScheduleLine]:
    return [schedule_line(book, schedule, now) for schedule in book.all()]
