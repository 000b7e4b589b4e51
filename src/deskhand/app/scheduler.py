"""The scheduler: starts each scheduled workflow when its time comes, one run of a workflow at a time, and
reports firings missed while deskhand was not running (then runs once or skips, by the schedule's policy).

Each run is its own `deskhand run` process (``--approve queue``: approvals wait in the console's queue), so a
run that crashes or is stopped never takes the scheduler (or the console it lives in) down. ``tick`` is one
pass, given the time, for tests; ``start``/``stop`` run it on a thread every second: `deskhand serve` runs it
as a console service (``schedules()`` fills its /schedules page), `deskhand schedule run-loop` on its own.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from deskhand.app.notify import session_notifier
from deskhand.app.schedule_views import ScheduleLine, schedule_lines
from deskhand.database import Where, is_postgres
from deskhand.errors import DeskhandError
from deskhand.notices.unattended import missed_message
from deskhand.policy.secrets import Redactor
from deskhand.runs.home import deskhand_home
from deskhand.runs.records import iso, utc_now
from deskhand.runs.schedules import ScheduleBook, ScheduleRecord
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow
from deskhand.workflows.when import parse_when

# A firing later than this is "missed" (the machine was off, or no scheduler ran), not merely late.
GRACE = timedelta(seconds=90)
TICK_S = 1.0


def local_now() -> datetime:
    return datetime.now().astimezone()


def run_command(workflow_path: str) -> list[str]:
    return [sys.executable, "-m", "deskhand", "run", workflow_path, "--approve", "queue", "--json"]


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    fire_id: int
    started: datetime


@dataclass
class Scheduler:
    store_path: Where
    clock: Callable[[], datetime] = local_now
    launch: Callable[[list[str], Path], subprocess.Popen[bytes]] = field(default=None)  # type: ignore[assignment]
    _children: dict[str, Child] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        if self.launch is None:
            self.launch = _launch
        self.book = ScheduleBook(self.store_path)

    # -- the loop -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Run ``tick`` every second on a daemon thread until ``stop``."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="deskhand-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop starting runs; runs under way go on to their end (they are their own processes)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def close(self) -> None:
        self.stop()
        self.book.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # one bad pass must not end the scheduler
                self.tick()
            self._stop.wait(TICK_S)

    # -- one pass -------------------------------------------------------------------------------------

    def tick(self, now: datetime | None = None) -> None:
        now = now or self.clock()
        self._reap()
        for schedule in self.book.all():
            self._consider(schedule, now)

    def schedules(self) -> list[ScheduleLine]:
        """The console's /schedules page (a SchedulesProvider of `deskhand serve`)."""
        return schedule_lines(self.book, self.clock())

    def run_now(self, schedule: ScheduleRecord, wait_s: float = 60.0) -> str:
        """Start the workflow now (``schedule run-now``) and return its run id once the store has it; "" when
        it was not started (a run of it is under way, or the file is broken: the firing says why)."""
        child = self._start_run(schedule, self.clock(), note="run now")
        if child is None:
            return ""
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            run_id = self.book.run_of_process(child.process.pid, child.started - timedelta(seconds=1))
            if run_id is not None:
                self.book.set_run(child.fire_id, run_id)
                return run_id
            if child.process.poll() is not None:
                break
            time.sleep(0.1)
        return f"(pid {child.process.pid}, no run recorded yet)"

    def _consider(self, schedule: ScheduleRecord, now: datetime) -> None:
        when = parse_when(schedule.cron)
        due = when.fires_between(schedule.since.astimezone(now.tzinfo), now)
        if not due:
            return
        if not self.book.claim(schedule, due[-1]):
            return  # another scheduler took these firings
        missed = [moment for moment in due if now - moment > GRACE]
        on_time = [moment for moment in due if now - moment <= GRACE]
        if missed:
            self._report_missed(schedule, missed, now)
        if on_time:
            self._start_run(schedule, on_time[-1], note="")
        elif schedule.missed == "run":
            self._start_run(schedule, missed[-1], note=f"once for {len(missed)} missed")

    def _report_missed(self, schedule: ScheduleRecord, missed: list[datetime], now: datetime) -> None:
        status = "skipped" if schedule.missed == "skip" else "missed"
        for moment in missed[-100:]:
            self.book.fired(schedule.id, moment, status, note=f"missed: deskhand was not running at {iso(moment)}")
        try:
            workflow = load_workflow(schedule.workflow_path)
            store = RunStore(self.store_path)
            try:
                notifier = session_notifier(store, Redactor())
                shown = [moment.strftime("%Y-%m-%d %H:%M") for moment in missed]
                notifier.tell(
                    "", workflow, missed_message(workflow.name, schedule.expression, shown, schedule.missed, None)
                )
                notifier.wait(5.0)
            finally:
                store.close()
        except DeskhandError as error:
            self.book.fired(schedule.id, now, "error", note=error.message)

    def _start_run(self, schedule: ScheduleRecord, due: datetime, *, note: str) -> Child | None:
        path = schedule.workflow_path
        running = self._running(path)
        if running:
            self.book.fired(schedule.id, due, "overlap", note=f"not started: {running} still running")
            return None
        try:
            load_workflow(path)  # a broken file is recorded at its firing, with file:line
            home = deskhand_home() if is_postgres(self.store_path) else Path(self.store_path).parent
            process = self.launch(run_command(path), home)
        except (DeskhandError, OSError) as error:
            self.book.fired(schedule.id, due, "error", note=str(error))
            return None
        fire_id = self.book.fired(schedule.id, due, "started", note=note)
        child = self._children[path] = Child(process, fire_id, utc_now())
        return child

    def _running(self, path: str) -> str:
        """What of this workflow is running now: our own child, or a run another process started."""
        child = self._children.get(path)
        if child is not None and child.process.poll() is None:
            return f"the run started by this scheduler (pid {child.process.pid})"
        store = RunStore(self.store_path)
        try:
            store.mark_interrupted_runs()
        finally:
            store.close()
        runs = self.book.running_runs_of(str(Path(path).expanduser().resolve()))
        return f"run {runs[0]}" if runs else ""

    def _reap(self) -> None:
        """Tie each child to its run id once the store has it; forget children that ended."""
        for path, child in list(self._children.items()):
            run_id = self.book.run_of_process(child.process.pid, child.started - timedelta(seconds=1))
            if run_id is not None:
                self.book.set_run(child.fire_id, run_id)
            if child.process.poll() is not None:
                del self._children[path]


def _launch(command: list[str], home: Path) -> subprocess.Popen[bytes]:
    logs = (home if home.exists() else deskhand_home()) / "scheduler-logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = (logs / f"{utc_now():%Y%m%d-%H%M%S}-{Path(command[4]).stem}.log").open("wb")
    with log:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
