"""One recording from start to file: the desktop, the event source, the X presses, the written workflow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deskhand.app.compose import DesktopChoice, open_desktop
from deskhand.app.recording.document import secrets_used, typed_fields, workflow_text
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.unexposed import UnexposedApps
from deskhand.app.recording.watcher import EventSource, Recorder
from deskhand.app.recording.xpresses import PointerPresses
from deskhand.backends.x11.windows import XWindows
from deskhand.errors import BackendUnavailable


@dataclass(slots=True)
class RecordingResult:
    """What was written: the steps, the apps used, the secrets to set, and why it is partial (if it is)."""

    path: Path
    steps: list[RecordedStep]
    apps: list[str]
    secrets: list[str] = field(default_factory=list)
    partial: str = ""
    display: str = ""


def _event_source(backend: object) -> EventSource:
    """The AT-SPI backend inside the composite (the screen and composite wrappers pass attributes on)."""
    atspi = getattr(backend, "atspi", backend)
    if not hasattr(atspi, "listen"):
        raise BackendUnavailable("This desktop has no accessibility bus to record from.")
    return atspi


def record(
    out: Path,
    stop: threading.Event,
    *,
    apps: Sequence[str] = (),
    choice: DesktopChoice = "current",
    name: str = "",
    inputs: Sequence[str] = (),
    on_step: Callable[[RecordedStep], None] = lambda step: None,
    on_ready: Callable[[str], None] = lambda display: None,
    on_notice: Callable[[str], None] = lambda line: None,
    ask_inputs: Callable[[list[RecordedStep]], Sequence[str]] | None = None,
) -> RecordingResult:
    """Record until ``stop`` is set, then write ``out``; ``on_ready`` gets the display being watched,
    ``on_notice`` each line about apps that cannot be recorded (``unexposed``);
    ``ask_inputs`` (when given) is offered the fields typed into (``document.typed_fields``) and returns the
    labels whose values become inputs, besides ``inputs``."""
    with open_desktop(choice) as session:
        display = session.env.get("DISPLAY", "")
        events = _event_source(session.desktop.backend)
        windows = XWindows(display)
        unexposed = UnexposedApps(windows, session.desktop.apps, wanted=apps, tell=on_notice)
        recorder = Recorder(session.desktop, events, apps=apps, on_step=on_step, unexposed=unexposed)
        try:
            presses = PointerPresses(display, recorder.press, recorder.key)
        except BaseException:
            windows.close()
            raise
        recorder.arrivals.caught_up = presses.caught_up
        try:
            recorder.start()
            on_ready(display)
            unexposed.at_start()
            steps = recorder.run(stop)
        finally:
            presses.close()
            windows.close()
    partial = " ".join(
        part for part in ("" if steps else "stopped before any step was seen.", unexposed.note_for_file()) if part
    )
    if ask_inputs is not None and steps:
        inputs = [*inputs, *ask_inputs(typed_fields(steps))]
    out.write_text(
        workflow_text(name or out.stem, steps, recorder.apps_used, partial=partial, inputs=inputs), encoding="utf-8"
    )
    return RecordingResult(out, steps, recorder.apps_used, secrets_used(steps), partial, display)
