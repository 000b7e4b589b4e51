"""A field's value carried on by its text events' own text (app/recording/event_text.py)."""

from __future__ import annotations

from deskhand.app.recording.event_text import with_change
from deskhand.backends.atspi.event import AtspiEvent


def _change(detail: str, offset: int, text: str) -> AtspiEvent:
    return AtspiEvent(":1.2|/f", ":1.2", "TextChanged", detail, offset, text)


def _typed(value: str, *changes: AtspiEvent) -> str:
    for change in changes:
        value = with_change(value, change)
    return value


def test_letters_typed_at_the_end_are_added() -> None:
    assert _typed("not", _change("insert", 3, "e"), _change("insert", 4, ".txt")) == "note.txt"


def test_a_change_the_live_read_already_showed_is_not_added_twice() -> None:
    # Read live after "s" twice was typed; the events of both come later: only what is new is added.
    assert _typed("ass", _change("insert", 1, "s"), _change("insert", 2, "s"), _change("insert", 3, "!")) == "ass!"


def test_a_deletion_applies_once() -> None:
    assert _typed("note.txt", _change("delete", 4, ".txt")) == "note"
    assert _typed("note", _change("delete", 4, ".txt")) == "note"


def test_an_insert_with_no_text_changes_nothing() -> None:
    # GTK3's chooser sends its inline completion's insertion with no text; its deletion follows.
    assert _typed("/tm", _change("insert", 5, ""), _change("delete", 3, "p/"), _change("insert", 3, "p")) == "/tmp"
