"""A box on a toolbar (LibreOffice's "Font Size": a named panel holding a combo's nameless entry) is typed into
through its one shown field, and has applied the text when it shows it, with or without the unit it adds."""

from __future__ import annotations

from deskhand.locate.toolbar_box import shows_applied, toolbar_box_entry
from deskhand.tree.match import Match
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_FIELD = frozenset({State.EDITABLE, State.SHOWING, State.VISIBLE})


def _entry(ref: str, value: str = "12", states: frozenset[str] = _FIELD) -> Node:
    return Node(ref, Role.TEXTBOX, value=value, states=states)


def _box(*parts: Node, role: str = Role.GROUP, name: str = "Font Size") -> Node:
    inner = Node("app|/inner", Role.GROUP, children=parts)
    return Node("app|/box", role, name, children=(inner,))


_TOOLBAR = Node("app|/bar", Role.TOOLBAR, "Formatting")


def test_a_named_toolbar_item_is_typed_into_through_its_one_shown_field() -> None:
    shown = _entry("app|/shown")
    popup_search = _entry("app|/hidden", "", frozenset({State.EDITABLE}))  # the combo's closed popup
    box = _box(shown, popup_search, Node("app|/drop", Role.BUTTON))
    assert toolbar_box_entry(Match(box, (_TOOLBAR,))) is shown


def test_off_a_toolbar_or_with_two_fields_or_nameless_it_is_no_toolbar_box() -> None:
    assert toolbar_box_entry(Match(_box(_entry("app|/e")), ())) is None
    assert toolbar_box_entry(Match(_box(_entry("app|/a"), _entry("app|/b")), (_TOOLBAR,))) is None
    assert toolbar_box_entry(Match(_box(_entry("app|/e"), name=""), (_TOOLBAR,))) is None
    assert toolbar_box_entry(Match(_entry("app|/e"), (_TOOLBAR,))) is None  # a field itself: filled as it is
    page = Node("app|/page", Role.DOCUMENT, "Shop")
    assert toolbar_box_entry(Match(_box(_entry("app|/e")), (page, _TOOLBAR))) is None  # Enter could submit


def test_the_box_has_applied_a_number_it_shows_with_its_unit() -> None:
    assert shows_applied(_entry("e", "20 pt"), "20")
    assert shows_applied(_entry("e", "20"), "20")
    assert shows_applied(_entry("e", "DejaVu Sans"), "DejaVu Sans")
    assert not shows_applied(_entry("e", "12 pt"), "20")  # rejected: the old size is back
    assert not shows_applied(_entry("e", "Liberation Serif"), "DejaVu Sans")
