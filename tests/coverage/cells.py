"""Running one coverage cell: a few sentences of the step language through deskhand's runner, then a read-back.

A :class:`Cell` is what a person would write to use one widget: read it, act on it, check it. The runner
carries the sentences out on the column's app; then ``verify`` reads back what the app will use (the app's
own output, or the committed value it exposes) and returns why that is not what the sentences asked for.
A step that fails becomes the cell's ✗ with deskhand's own error text; nothing is retried.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.coverage.matrix import FAIL, NA, OK, CellResult

from deskhand.app.launcher import DesktopLauncher
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.selector import Selector
from deskhand.workflows.parse import parse_workflow

STEP_TIMEOUT_S = 3.0
# The runner's diagnosis repeats the sentence ("Step 2 ('Type ...') failed: "); the cell names the step.
_STEP_PREFIX = re.compile(r"^Step \d+ \(.*?\) failed: ")


@dataclass
class Probe:
    """What a read-back may look at: the desktop, the app, and the app's own output since the cell began."""

    desktop: Desktop
    app: str
    output: Callable[[], list[str]]


Verify = Callable[[Probe], str | None]


@dataclass(frozen=True)
class Cell:
    """Sentences of the step language, then a read-back; ``verify`` returns a reason when it does not hold."""

    steps: tuple[str, ...]
    verify: Verify | None = None


@dataclass(frozen=True)
class NotApplicable:
    reason: str


@dataclass(frozen=True)
class NoCellYet:
    """A kind the app has that no cell exercises yet: recorded as ✗ so the page does not claim it works."""

    reason: str


Spec = Cell | NotApplicable | NoCellYet


@dataclass
class Column:
    """One app on one virtual desktop, with a runner for its cells; ``output`` reads the app's own reports."""

    key: str
    virtual: VirtualDesktop
    desktop: Desktop
    app: str
    work_dir: Path
    output: Callable[[], list[str]] = field(default=lambda: [])
    broken: str | None = None  # set when the column's app could not be brought up: every cell fails with it
    step_timeout: float = STEP_TIMEOUT_S
    after: Callable[[], None] | None = None  # brings the app back to its start after a cell (closes dialogs)
    exited: Callable[[], bool] = lambda: False  # the app's process is gone (it crashed during the cell)
    # Makes a new Desktop when deskhand's own connection to the bus broke in a cell, so one broken cell
    # does not fail every cell after it.
    connect: Callable[[], Desktop] | None = None

    def __post_init__(self) -> None:
        self.store = RunStore(self.work_dir / "runs.db")
        self._own_desktops: list[Desktop] = []
        self._make_runner()
        self._count = 0

    def _make_runner(self) -> None:
        launcher = DesktopLauncher(self.desktop, self.virtual)
        self.runner = Runner(self.desktop, launcher, self.store, timeout=self.step_timeout, capture=False)

    def _reconnect_if_broken(self) -> None:
        if self.connect is None:
            return
        try:
            self.desktop.apps()
        except DeskhandError:
            self.desktop = self.connect()
            self._own_desktops.append(self.desktop)
            self._make_runner()

    def close(self) -> None:
        for desktop in self._own_desktops:
            desktop.close()
        self.store.close()

    def run(self, row: str, spec: Spec) -> CellResult:
        if isinstance(spec, NotApplicable):
            return CellResult(self.key, row, NA, spec.reason)
        if isinstance(spec, NoCellYet):
            return CellResult(self.key, row, FAIL, f"no cell yet: {spec.reason}")
        if self.broken is not None:
            return CellResult(self.key, row, FAIL, self.broken)
        seen = len(self.output())
        reason = self._run_steps(row, spec.steps)
        if reason is None and spec.verify is not None:
            probe = Probe(self.desktop, self.app, lambda: self.output()[seen:])
            try:
                reason = spec.verify(probe)
            except DeskhandError as error:
                reason = f"read-back: {error.message}"
        if reason is not None and self.exited():
            reason = f"the app crashed during this cell ({reason})"
        self._reconnect_if_broken()
        if self.after is not None:
            self.after()
        return CellResult(self.key, row, OK if reason is None else FAIL, reason or "")

    def prepare(self, *sentences: str) -> None:
        """Bring the column's app up (or to its start) through the step language; if that fails, every cell
        fails with why."""
        self.broken = self._run_steps("prepare", sentences)

    def _run_steps(self, row: str, steps: tuple[str, ...]) -> str | None:
        self._count += 1
        body = "\n".join(f"{n}. {sentence}" for n, sentence in enumerate(steps, 1))
        path = self.work_dir / f"cell-{self._count}.md"
        text = f"---\nname: {self.key}-{row.replace(' ', '-').replace('/', '-')}\n---\n{body}\n"
        path.write_text(text)
        try:
            workflow = parse_workflow(text, str(path), allow_free_form=False)
        except DeskhandError as error:
            return f"not in the step language: {error.message}"
        try:
            outcome = self.runner.run(workflow, {}, use_lock=False)
        except Exception as error:  # deskhand itself broke (not a step failing): the cell says so
            return f"deskhand raised {type(error).__name__}: {error}"
        if outcome.status == "succeeded":
            return None
        error = outcome.error or {}
        message = _STEP_PREFIX.sub("", str(error.get("message", outcome.status)))
        return f"step {error.get('step', '?')}: {message}"


def close_extra_windows(desktop: Desktop, app: str) -> None:
    """A cell may leave a dialog open (or open a wrong one): close every window but the app's first, as
    Escape does for a person, so the next cell starts where the column began — with that window active
    again and settled: keys sent after a dialog goes and before the app has its window active and its focus
    back (~110 ms in Calc) reach no widget (the next cell's Ctrl+1 was lost so)."""
    closed = False
    for _attempt in range(3):
        try:
            found = desktop.find_app(app)
            extra = found.windows[1:] if found is not None else []
            if not extra and not desktop.app(app).locator(Selector(role="dialog")).resolve_all():
                if closed:
                    _wait_first_window_active(desktop, app)
                return
            desktop.press("Escape")
            closed = True
            _wait_gone(desktop, app, len(found.windows) if found is not None else 0)
        except DeskhandError:
            return


def _wait_gone(desktop: Desktop, app: str, windows: int, cap_s: float = 1.0) -> None:
    """Until the app shows fewer windows than ``windows`` (one Escape closed one), not merely until the next
    event: a second Escape sent while the first one's dialog was still going reached the app's window."""
    deadline = time.monotonic() + cap_s
    while time.monotonic() < deadline:
        found = desktop.find_app(app)
        if found is None or len(found.windows) < windows:
            return
        desktop.backend.wait_for_change(0.05)


def _wait_first_window_active(desktop: Desktop, app: str, cap_s: float = 3.0) -> None:
    """Until the app's first window is active and the app has settled (its focus back on a widget: Calc
    moves it twice after activating its window, and a key before that reaches no widget)."""
    deadline = time.monotonic() + cap_s
    while time.monotonic() < deadline:
        found = desktop.find_app(app)
        if found is None or not found.windows or found.windows[0].active:
            break
        desktop.backend.wait_for_change(0.05)
    while time.monotonic() < deadline and desktop.backend.wait_for_change(0.25):
        pass
