"""Under load the recorder reads an app's tree long after the events it understands, so a read may already show
what a later press did. A press is placed on what was under it when it was made (``app/recording/held.py``):
the Done that quits its app is still written, and a dialog's OK is never written as the window behind it. A key
acts where the app had the focus when it took the key: a focus move told after the app quit, or told late by a
busy app, still counts (``focus_moves.py``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from deskhand.app.recording import watcher
from deskhand.app.recording.held import HeldTrees
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.watcher import Recorder
from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

BUS = ":1.2"
APP = f"{BUS}|/root"
SHOWN = frozenset({State.SHOWING, State.VISIBLE, State.ENABLED, State.SENSITIVE})


class Events:
    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]:
        return lambda: None


def _node(path: str, role: str, name: str, box: tuple[int, int, int, int], *kids: Node) -> Node:
    return Node(f"{BUS}|{path}", role, name, states=SHOWN, bounds=Bounds(*box), children=kids)


def _app(*windows: Node) -> Node:
    return Node(APP, Role.APPLICATION, "values", children=windows)


MAIN = _node(
    "/w",
    Role.WINDOW,
    "Values",
    (0, 0, 400, 300),
    _node("/delete", Role.BUTTON, "Delete", (150, 130, 100, 40)),
    _node("/plan-label", Role.LABEL, "Plan:", (10, 10, 40, 30)),
    Node(
        f"{BUS}|/plan",
        Role.COMBOBOX,
        "Basic",
        states=SHOWN,
        bounds=Bounds(60, 10, 100, 30),
        labelled_by=(f"{BUS}|/plan-label",),
    ),
)
DIALOG = _node("/d", Role.DIALOG, "Sure?", (100, 100, 200, 100), _node("/ok", Role.BUTTON, "OK", (160, 140, 80, 20)))
FOCUS_ON_MAIN = AtspiEvent(f"{BUS}|/w", BUS, "StateChanged", State.FOCUSED, 1)
FORM = _node(
    "/f",
    Role.DIALOG,
    "Add",
    (0, 0, 300, 200),
    _node("/cancel", Role.BUTTON, "Cancel", (10, 150, 80, 30)),
    _node("/ok", Role.BUTTON, "OK", (100, 150, 80, 30)),
)


def _focus(path: str) -> AtspiEvent:
    return AtspiEvent(f"{BUS}|{path}", BUS, "StateChanged", State.FOCUSED, 1)


def _key(name: str) -> Key:
    return Key(name, frozenset(), int(time.monotonic() * 1000))


def _record(before: Node, after: Node, *events: AtspiEvent, at: tuple[int, int] = (200, 150)) -> list[RecordedStep]:
    """The app shows ``before``; ``events`` arrive, a press is made at ``at``, then the app shows ``after``
    before the recorder gets to any of them (it lags behind)."""
    backend = FakeBackend({"values": before})
    recorder = Recorder(Desktop(backend, timeout=0), Events())
    recorder.start()
    for event in events:
        recorder.arrivals.event(event)
    time.sleep(0.01)
    recorder.arrivals.input(Press(*at, button=1, time=int(time.monotonic() * 1000)))
    time.sleep(0.01)
    backend.set_app("values", after)
    stop = threading.Event()
    stop.set()
    return recorder.run(stop)


def _written(steps: list[RecordedStep]) -> list[str]:
    return [step.sentence() + (f"  # {step.note}" if step.note else "") for step in steps]


def test_a_press_that_quits_its_app_is_written_from_the_tree_read_before_it() -> None:
    # The focus event is read after the press: the app has closed its window by then.
    steps = _record(_app(MAIN), _app(), FOCUS_ON_MAIN, at=(200, 150))
    assert _written(steps) == ['Switch to "Values"', 'Click "Delete"']


def test_a_dialog_button_is_not_written_as_the_window_behind_it_once_the_dialog_closed() -> None:
    # OK closed the dialog; a read made after the press shows the main window's Delete at that point.
    steps = _record(_app(MAIN, DIALOG), _app(MAIN), FOCUS_ON_MAIN, at=(200, 150))
    assert _written(steps) == ['Switch to "Sure?"', 'Click "OK"']


def test_a_combo_item_chosen_just_before_the_app_closed_is_taken_from_its_event() -> None:
    # GTK3 tells the combo's new item as its name; by the time the recorder reads, the window is gone.
    chose = AtspiEvent(f"{BUS}|/plan", BUS, "PropertyChange", "accessible-name", 0, "Pro")
    steps = _record(_app(MAIN), _app(), chose, at=(200, 150))
    assert _written(steps) == ['Switch to "Values"', 'Choose "Pro" in "Plan"', 'Click "Delete"']


def test_enter_on_a_button_focused_just_before_the_app_quit_is_its_click() -> None:
    # Tab moved the focus from Cancel to OK and Enter pressed OK; the recorder reads after the app quit.
    backend = FakeBackend({"values": _app(FORM)})
    recorder = Recorder(Desktop(backend, timeout=0), Events())
    recorder.start()
    recorder._understand(_focus("/cancel"))  # understood while the app still shows the form
    recorder.arrivals.event(_focus("/ok"))
    time.sleep(0.01)
    recorder.arrivals.input(_key("Return"))
    backend.set_app("values", _app())
    stop = threading.Event()
    stop.set()
    assert _written(recorder.run(stop)) == ['Switch to "Add"', 'Click "OK"']


def test_enter_waits_for_the_focus_move_of_the_tab_typed_before_it() -> None:
    # A busy app tells where Tab moved the focus 0.5 s after Enter was typed (longer than the recorder's quiet).
    backend = FakeBackend({"values": _app(FORM)})
    recorder = Recorder(Desktop(backend, timeout=0), Events())
    recorder.start()
    recorder._understand(_focus("/cancel"))
    recorder.arrivals.input(_key("Tab"))
    recorder.arrivals.input(_key("Return"))
    late = threading.Timer(0.5, recorder.arrivals.event, [_focus("/ok")])
    late.start()
    stop = threading.Event()
    stop.set()
    try:
        assert _written(recorder.run(stop)) == ['Switch to "Add"', 'Click "OK"']
    finally:
        late.join()


def test_a_key_whose_tab_the_app_never_answered_is_written_with_a_doubt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watcher, "_ANSWER_CAP_S", 0.5)
    backend = FakeBackend({"values": _app(FORM)})
    recorder = Recorder(Desktop(backend, timeout=0), Events())
    recorder.start()
    recorder._understand(_focus("/cancel"))
    recorder.arrivals.input(_key("Tab"))
    recorder.arrivals.input(_key("Return"))
    stop = threading.Event()
    stop.set()
    written = _written(recorder.run(stop))
    assert written[-1].startswith('Click "Cancel"  # the app did not tell where the Tab')


def test_held_trees_answer_by_when_each_was_read() -> None:
    held = HeldTrees()
    first, second = _app(MAIN, DIALOG), _app(MAIN)
    held.add(APP, 1.0, first)
    held.add(APP, 2.0, second)
    assert held.before(APP, 0.5) is None
    assert held.before(APP, 1.5) is first
    assert held.before(APP, 2.5) is second
    assert held.holding(APP, f"{BUS}|/ok") is first
    assert held.holding(APP, f"{BUS}|/delete") is second
    assert held.holding(APP, f"{BUS}|/nothing") is None
