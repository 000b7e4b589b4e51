"""A spin button that shows its unit holds the number typed (LibreOffice's formatted spin buttons)."""

from __future__ import annotations

from deskhand.locate.commit import holds_text, shown_number
from deskhand.tree.node import Node
from deskhand.tree.roles import Role


def _spin(value: str) -> Node:
    return Node(ref="app|/spin", role=Role.SPINBUTTON, value=value)


def test_a_number_with_its_unit_is_that_number() -> None:
    assert shown_number("40%") == 40
    assert shown_number("30°") == 30
    assert shown_number("12 pt") == 12
    assert shown_number("0.02″") == 0.02
    assert shown_number("1,5 cm") == 1.5


def test_text_that_is_no_number_with_a_unit_is_none() -> None:
    assert shown_number("10:30") is None
    assert shown_number("40 % off") is None
    assert shown_number("") is None


def test_a_spin_button_showing_40_percent_holds_40_but_not_41() -> None:
    assert holds_text(_spin("40%"), "40")
    assert not holds_text(_spin("40%"), "41")
    assert holds_text(_spin("40%"), "40%")
