"""A Save in a save dialog is one `Save the file as` step, judged by its effect: the dialog gone. GTK3's chooser
ignores Enter while its Save button is insensitive (for 150 ms after each change to the name: see
docs/platform-notes.md), so a person may press Enter twice for one save; an Enter the dialog never took is no
step."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from deskhand.app.recording import save_watch
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.watcher import Recorder
from deskhand.app.recording.xpresses import Key
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

BUS = ":1.2"
SHOWN = frozenset({State.SHOWING, State.VISIBLE, State.ENABLED, State.SENSITIVE})


class Events:
    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]:
        return lambda: None


def _node(path: str, role: str, name: str, *kids: Node, value: str | None = None) -> Node:
    return Node(f"{BUS}|{path}", role, name, value=value, states=SHOWN, bounds=Bounds(0, 0, 50, 20), children=kids)


EDITOR = _node("/w", Role.WINDOW, "Untitled 1 - Mousepad", _node("/view", Role.TEXTBOX, "", value="final"))
SAVE_AS = _node(
    "/d",
    Role.DIALOG,
    "Save As",
    _node("/chooser", Role.DIALOG, ""),
    _node("/name", Role.TEXTBOX, "", value="~/notes/note.txt"),
    _node("/cancel", Role.BUTTON, "_Cancel"),
    _node("/save", Role.BUTTON, "_Save"),
)


def _app(*windows: Node) -> Node:
    return Node(f"{BUS}|/root", Role.APPLICATION, "mousepad", children=windows)


def _enter() -> Key:
    return Key("Return", frozenset(), int(time.monotonic() * 1000))


def _in_the_dialog() -> tuple[FakeBackend, Recorder]:
    """A recorder that has seen the person put the focus in the dialog's name field (holding the path)."""
    backend = FakeBackend({"mousepad": _app(EDITOR, SAVE_AS)})
    recorder = Recorder(Desktop(backend, timeout=0), Events())
    recorder.start()
    recorder._understand(AtspiEvent(f"{BUS}|/name", BUS, "StateChanged", State.FOCUSED, 1))
    return backend, recorder


def _saves(steps: list[RecordedStep]) -> list[str]:
    return [step.sentence() for step in steps if step.kind == "save_as"]


def test_enter_pressed_twice_for_one_save_is_one_step() -> None:
    backend, recorder = _in_the_dialog()
    recorder._understand(_enter())  # ignored by the dialog: it stays open
    recorder._save_waited(quiet=True)
    recorder._understand(_enter())  # the person presses again, the dialog takes it and closes
    backend.set_app("mousepad", _app(EDITOR))
    stop = threading.Event()
    stop.set()
    assert _saves(recorder.run(stop)) == ['Save the file as "~/notes/note.txt"']


def test_an_enter_the_dialog_never_took_is_no_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(save_watch, "_END_WAIT_S", 0.2, raising=False)
    _, recorder = _in_the_dialog()
    recorder._understand(_enter())
    stop = threading.Event()
    stop.set()
    assert _saves(recorder.run(stop)) == []  # the dialog is still open when the recording ends


def test_cancel_after_an_ignored_enter_is_no_step() -> None:
    backend, recorder = _in_the_dialog()
    recorder._understand(_enter())
    recorder._understand(Key("Escape", frozenset(), int(time.monotonic() * 1000)))
    backend.set_app("mousepad", _app(EDITOR))
    stop = threading.Event()
    stop.set()
    assert _saves(recorder.run(stop)) == []


def test_an_enter_understood_after_the_app_closed_the_dialog_keeps_the_names_last_letters() -> None:
    # Under load the recorder understands the person's last Enter after the app took it and closed the dialog,
    # and before the name field's last letters: reading the dialog then would write the name cut short.
    backend, recorder = _in_the_dialog()
    recorder._understand(_enter())  # too soon: ignored, the dialog stays
    backend.set_app("mousepad", _app(EDITOR))  # the Enter below was taken: the dialog is gone
    recorder._understand(_enter())
    recorder._understand(AtspiEvent(f"{BUS}|/name", BUS, "TextChanged", "insert", 16, ".bak"))
    stop = threading.Event()
    stop.set()
    assert _saves(recorder.run(stop)) == ['Save the file as "~/notes/note.txt.bak"']
