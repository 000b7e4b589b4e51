"""Untargeted keys wait for the app's focus and for the field to show them (runner/keys_taken.py)."""

from __future__ import annotations

import time

from deskhand.backends.fake import FakeBackend
from deskhand.locate.focusing import FOCUS_WAIT_S, wait_for_focus
from deskhand.runner.keys_taken import FocusHistory, press_to_focus, type_and_wait_taken
from deskhand.tree.node import Node
from deskhand.tree.roles import State


def editor(*field_states: State, value: str = "") -> FakeBackend:
    field = Node("text", "textbox", "Text", value=value, states=frozenset(field_states))
    return FakeBackend({"notes": Node("win", "window", "Notes", children=(field,))})


def test_keys_go_once_a_field_has_the_focus_and_the_typing_waits_for_the_field_to_show_them() -> None:
    fake = editor(State.FOCUSED, State.EDITABLE, State.FOCUSABLE, value="draft ")
    sent: list[str] = []

    def send() -> None:
        sent.append("sent")
        fake.type_text("final")

    type_and_wait_taken(fake, "notes", "final", send, FocusHistory())
    assert sent == ["sent"] and fake.refresh("text").value == "draft final"


def test_with_no_focused_element_the_keys_wait_only_the_bound_then_go() -> None:
    fake = editor(State.EDITABLE, State.FOCUSABLE)
    started = time.monotonic()
    assert wait_for_focus(fake, "notes", limit=0.2) is None
    assert 0.2 <= time.monotonic() - started < 0.2 + FOCUS_WAIT_S


def test_no_current_app_means_no_wait() -> None:
    fake = editor()
    started = time.monotonic()
    type_and_wait_taken(fake, None, "x", lambda: None, FocusHistory())
    assert time.monotonic() - started < 0.1


def timed_press(fake: FakeBackend, seen: FocusHistory) -> float:
    started = time.monotonic()
    press_to_focus(fake, "notes", lambda: None, seen)
    return time.monotonic() - started


def test_an_app_that_never_reports_a_focus_costs_the_bound_once_per_run() -> None:
    fake = editor(State.EDITABLE, State.FOCUSABLE)
    seen = FocusHistory(limit=0.3)
    assert timed_press(fake, seen) >= 0.3
    assert timed_press(fake, seen) < 0.2  # looked at once, not waited for
    fake.update("text", states=frozenset({State.EDITABLE, State.FOCUSABLE, State.FOCUSED}))
    assert timed_press(fake, seen) < 0.2 and "notes" in seen.reported


def test_an_app_that_reported_a_focus_once_is_always_waited_for() -> None:
    fake = editor(State.EDITABLE, State.FOCUSABLE, State.FOCUSED)
    seen = FocusHistory(limit=0.3)
    assert timed_press(fake, seen) < 0.2
    fake.update("text", states=frozenset({State.EDITABLE, State.FOCUSABLE}))
    assert timed_press(fake, seen) >= 0.3  # a switch or a dialog closing: the focus comes back late
    assert timed_press(fake, seen) >= 0.3
