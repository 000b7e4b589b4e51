"""A spreadsheet step meeting a question instead of a sheet (a recovery prompt is a starting app's only window)
fails at once naming it and the sentences that answer it; a dialog already gone lets the wait go on."""

from __future__ import annotations

import time

import pytest

from deskhand.backends.fake import FakeBackend
from deskhand.errors import LocatorError, UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.locate.sheet import Sheet
from deskhand.tree.node import Node

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive"})


def recovering() -> FakeBackend:
    question = Node("q", "label", "LibreOffice will attempt to recover the state of the files.", states=SHOWN)
    buttons = (Node("start", "button", "Start", states=SHOWN), Node("discard", "button", "Discard", states=SHOWN))
    dialog = Node("rec", "dialog", "Document Recovery", children=(question, *buttons), states=SHOWN | {"modal"})
    return FakeBackend({"soffice": Node("app", "application", "soffice", children=(dialog,))})


def test_a_question_instead_of_a_sheet_is_named_at_once() -> None:
    sheet = Sheet(Desktop(recovering(), timeout=10.0).app("soffice"))
    started = time.monotonic()
    with pytest.raises(UnexpectedDialog) as caught:
        sheet.read("A5")
    assert time.monotonic() - started < 5.0  # not the step's 10 s
    assert "'Document Recovery' of soffice is open and in the way of finding the spreadsheet" in caught.value.message
    assert '`Click "Discard" in "Document Recovery"`' in caught.value.hint


def test_a_question_already_answered_is_not_named() -> None:
    fake = recovering()
    fake.on_click("discard", lambda f: f.remove("rec"))
    fake.click("discard")
    with pytest.raises(LocatorError) as caught:
        Sheet(Desktop(fake, timeout=0.5).app("soffice")).read("A5")
    assert not isinstance(caught.value, UnexpectedDialog)
