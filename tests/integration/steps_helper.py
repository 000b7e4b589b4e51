"""Running step-language sentences on a real desktop, for tests that judge a step by the app's output."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psutil

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runner.steps import StepContext, StepRunner
from deskhand.runs.store import RunStore
from deskhand.sandbox import LaunchedApp, VirtualDesktop
from deskhand.workflows.language import parse_step

APPS = Path(__file__).resolve().parents[1] / "apps"

Session = tuple[VirtualDesktop, Desktop]


@contextmanager
def runner_on_desktop(*, timeout: float, capture: bool = True) -> Iterator[tuple[VirtualDesktop, Runner, RunStore]]:
    """A fresh virtual desktop with a Runner on it over AT-SPI (``timeout`` for its waits and steps), recording
    into a store in the desktop's own folder; all closed after."""
    with VirtualDesktop() as virtual:
        desktop = Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=timeout)
        store = RunStore(Path(virtual.temp_dir) / "runs.db")
        runner = Runner(desktop, DesktopLauncher(desktop, virtual), store, timeout=timeout, capture=capture)
        try:
            yield virtual, runner, store
        finally:
            store.close()
            desktop.close()


@contextmanager
def app_and_runner(
    session: Session, command: Sequence[str], *, timeout: float
) -> Iterator[tuple[LaunchedApp, StepRunner]]:
    """``command`` started on the session's desktop and a step runner on it; the app is stopped after."""
    virtual, desk = session
    app = virtual.launch(command, timeout=timeout)
    try:
        yield app, step_runner(desk, virtual, app=app.name)
    finally:
        virtual.stop_app(app)


def printed_after_done(session: Session, command: Sequence[str], *sentences: str, timeout: float) -> dict[str, object]:
    """Run ``sentences`` on a fresh copy of a values app, click Done, and return the values it printed."""
    with app_and_runner(session, command, timeout=timeout) as (app, runner):
        run_steps(runner, *sentences, 'Click "Done"')
        return printed_json(app)


def step_runner(desk: Desktop, virtual: VirtualDesktop | None = None, *, app: str | None = None) -> StepRunner:
    launcher = DesktopLauncher(desk, virtual)
    ctx = StepContext(
        desktop=desk,
        values={},
        open_app=launcher.open_app,
        open_url=launcher.open_url,
        current_app=app,
        timeout=desk.timeout,
    )
    return StepRunner(ctx)


def run_steps(runner: StepRunner, *sentences: str) -> None:
    for sentence in sentences:
        action = parse_step(sentence)
        assert action is not None, f"not in the step language: {sentence}"
        runner.run(action)


def printed_json(app: LaunchedApp, timeout: float = 15.0) -> dict[str, object]:
    """The JSON line a test app prints when it exits."""
    psutil.Process(app.pid).wait(timeout)
    lines = [line for line in app.log_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    assert lines, app.log_path.read_text(encoding="utf-8")
    value = json.loads(lines[-1])
    assert isinstance(value, dict)
    return value
