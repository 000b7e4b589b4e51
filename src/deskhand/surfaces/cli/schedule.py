"""`deskhand schedule list | add | rm | run-now | run-loop`: what runs when, kept in the run store."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import typer

from deskhand.app.schedule_views import schedule_lines
from deskhand.app.scheduler import Scheduler, local_now
from deskhand.errors import InputError
from deskhand.runs.home import default_store
from deskhand.runs.schedules import ScheduleBook
from deskhand.workflows.parse import load_workflow
from deskhand.workflows.when import FORMS_HINT, MISSED_POLICIES, parse_when

group = typer.Typer(help="Run workflows on a schedule (`schedule:` in the front matter, or added here).")


def _book() -> ScheduleBook:
    return ScheduleBook(default_store())


@group.command("list")
def list_schedules(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """Every schedule: what it means, the next and last run, and runs missed."""
    book = _book()
    try:
        lines = schedule_lines(book, local_now())
    finally:
        book.close()
    if as_json:
        typer.echo(json.dumps([line.to_json() for line in lines], indent=2))
        return
    if not lines:
        typer.echo("No schedules. Add one with `deskhand schedule add WORKFLOW.md`.")
        return
    for line in lines:
        typer.echo(f"{line.id}  {Path(line.workflow).name}: {line.when}  ({line.means})")
        last = f"{line.last_status} {line.last_run}" if line.last_run else "never"
        last += f" run {line.last_run_id}" if line.last_run_id else ""
        typer.echo(f"    next {line.next_run}; last {last}; missed {len(line.missed)}")
        if line.note:
            typer.echo(f"    {line.note}")


@group.command("add")
def add_schedule(
    workflow_file: Path = typer.Argument(..., help="The workflow to run."),
    when: str = typer.Option(None, "--when", help="Cron or a plain form; default: the file's `schedule:`."),
    missed: str = typer.Option(None, "--missed", help="Runs missed while off: run (once) or skip."),
) -> None:
    """Schedule a workflow: by its front matter's `schedule:`, or at --when."""
    workflow = load_workflow(workflow_file)  # a bad file is an error here, with file:line
    path = str(workflow_file.expanduser().resolve())
    if missed is not None and missed not in MISSED_POLICIES:
        raise InputError(f"--missed {missed!r} is not a policy.", hint="Use --missed run or --missed skip.")
    if when is not None:
        try:
            whens, source = [parse_when(when)], "added"
        except ValueError as problem:
            raise InputError(f"--when {when!r} is not a schedule: {problem}.", hint=FORMS_HINT) from None
    else:
        whens, source = list(workflow.schedule.whens), "front matter"
        if not whens:
            raise InputError(
                f"{workflow_file} has no `schedule:` in its front matter.",
                hint='Add schedule: "every weekday at 9:00" to it, or give --when.',
            )
    book = _book()
    try:
        for item in whens:
            record = book.add(path, item.text, item.cron, missed or workflow.schedule.missed, source)
            typer.echo(f"{record.id}  {workflow.name}: {item.text}  ({item.describe()}; missed: {record.missed})")
    finally:
        book.close()


@group.command("rm")
def remove_schedule(
    which: str = typer.Argument(..., help="A schedule id, or a workflow file (all its schedules)."),
) -> None:
    """Remove a schedule."""
    book = _book()
    try:
        key = str(Path(which).expanduser().resolve()) if which.endswith(".md") else which
        for record in book.remove(key):
            typer.echo(f"removed {record.id}  {Path(record.workflow_path).name}: {record.expression}")
    finally:
        book.close()


@group.command("run-now")
def run_now(which: str = typer.Argument(..., help="A schedule id or its workflow file.")) -> None:
    """Start a scheduled workflow now, as the scheduler would (not while a run of it is under way)."""
    key = str(Path(which).expanduser().resolve()) if which.endswith(".md") else which
    scheduler = Scheduler(default_store())
    try:
        schedule = scheduler.book.find(key)[0]
        started = scheduler.run_now(schedule)
        if not started:
            fire = scheduler.book.fires(schedule.id, limit=1)[0]
            typer.echo(f"not started: {fire.note}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{Path(schedule.workflow_path).name}: started run {started}; see `deskhand runs show {started}`")
    finally:
        scheduler.book.close()


@group.command("run-loop")
def run_loop() -> None:
    """Run the scheduler in the foreground until stopped (`deskhand serve` runs the same inside the console)."""
    scheduler = Scheduler(default_store())
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    scheduler.start()
    typer.echo(f"scheduler running ({len(scheduler.book.all())} schedules); Ctrl-C stops it", err=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.close()


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="schedule")
