"""What a Type step types into (runner.targets): something that takes text. Seen on Thunderbird under load: right
after `Click "Cc"` the Cc button (its name is "Cc") was the only element called "Cc" and was typed "into"; while
the mail body's document was being replaced, the frame around it (also named "Message body") was typed into and
its read-back waited the whole timeout for text a frame never holds."""

from __future__ import annotations

import pytest
from repair_apps import EDITABLE, SHOWN, n

from deskhand.backends.fake import FakeBackend
from deskhand.errors import NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.runner.targets import find_target, names
from deskhand.tree.node import Bounds, Node


def _compose(*rows: Node) -> Desktop:
    window = n("win", "window", "Write: (no subject)", n("ccbutton", "button", "Cc"), *rows)
    return Desktop(FakeBackend({"Thunderbird": window}))


def test_a_button_of_the_fields_name_is_not_typed_into() -> None:
    with pytest.raises(NoMatch, match="Nothing called 'Cc'"):
        find_target(_compose().app("Thunderbird"), "type_text", "Cc", timeout=0)


def test_the_field_it_opens_is_and_its_selector_finds_it_alone() -> None:
    label = n("cclabel", "label", "Cc")
    field = n("cc", "textbox", "Cc", value="", states=EDITABLE, labelled_by=("cclabel",))
    scope = _compose(label, field).app("Thunderbird")
    found, selector = find_target(scope, "type_text", "Cc", timeout=0)
    assert found.ref == "cc"
    # The step's action and read-back resolve the selector again: the button must not come back with it.
    assert [r.ref for r in scope.locator(selector).resolve_all()] == ["cc"]


def test_a_frame_named_like_the_body_waits_for_its_document() -> None:
    frame = n("frame", "window", "Message body")
    with pytest.raises(NoMatch):
        find_target(_compose(frame).app("Thunderbird"), "type_text", "Message body", timeout=0)
    body = n("doc", "document", "Message body", value="\n", states=EDITABLE | {"multiline"})
    scope = _compose(n("frame", "window", "Message body", body)).app("Thunderbird")
    found, selector = find_target(scope, "type_text", "Message body", timeout=0)
    assert found.ref == "doc"
    assert [r.ref for r in scope.locator(selector).resolve_all()] == ["doc"]


def test_what_takes_text_by_role_or_by_being_editable() -> None:
    assert not names("type_text", "Cc", n("b", "button", "Cc"))
    assert not names("type_text", "Body", n("w", "window", "Body"))
    assert names("type_text", "Cc", n("t", "textbox", "Cc", states=EDITABLE))
    assert names("type_text", "Notes", n("p", "generic", "Notes", states=SHOWN))
    assert names("type_text", "Cell", n("e", "label", "Cell", states=EDITABLE))
    # A page's colour well is a button that holds its colour: it takes one typed (Chromium's coverage cell).
    assert names("type_text", "Colour", n("c", "button", "Colour", value="#336699"))


def test_a_caption_control_names_the_nameless_entry_beside_it() -> None:
    # Claws Mail's header row: a "To:" combo box (its own entry shows the choice and cannot be edited),
    # then the address entry, which has no name or label of its own.
    box = Bounds
    chooser = n("kind", "combobox", "To:", n("shown", "textbox", "", value="To:"), bounds=box(0, 0, 200, 30))
    entry = n("addr", "textbox", "", value="", states=EDITABLE, bounds=box(200, 0, 300, 30))
    scope = Desktop(FakeBackend({"Claws": n("win", "window", "Compose message", chooser, entry)})).app("Claws")
    found, selector = find_target(scope, "type_text", "To", timeout=0)
    assert found.ref == "addr"
    assert [r.ref for r in scope.locator(selector).resolve_all()] == ["addr"]


def test_a_place_word_counts_what_is_shown_where_it_is() -> None:
    box = Bounds
    fields = [
        n("from", "textbox", "", value="", states=EDITABLE, bounds=box(0, 0, 100, 20)),
        n("body", "textbox", "", value="", states=EDITABLE | {"multiline"}, bounds=box(0, 40, 100, 200)),
        n("other_tab", "textbox", "", value="", states=EDITABLE - {"showing", "visible"}),
    ]
    scope = Desktop(FakeBackend({"Claws": n("win", "window", "Compose message", *fields)})).app("Claws")
    found, _ = find_target(scope, "type_text", "", timeout=0, position=-1, role="textbox")
    assert found.ref == "body"


def test_a_lock_written_by_older_rules_is_not_replayed_into_a_button() -> None:
    # A lock recorded before this rule held the Cc button under `label="Cc"`: replaying it would click
    # the button again and type nowhere readable.
    assert not names("type_text", "Cc", n("ccbutton", "button", "Cc"))
