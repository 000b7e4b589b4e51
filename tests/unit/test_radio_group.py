"""`Choose "Sick" in "Kind of leave"`: a group holding radios is chosen in by the radio's name."""

from __future__ import annotations

import pytest

from deskhand.errors import NoMatch
from deskhand.locate.radio_group import is_radio_group, radio_named
from deskhand.runner.targets import names
from deskhand.tree.node import Node
from deskhand.tree.roles import Role


def _leave() -> Node:
    radios = tuple(Node(f"app|/{n}", Role.RADIO, n) for n in ("Annual", "Sick", "Sick (unpaid)"))
    return Node("app|/g", Role.GROUP, "Kind of leave", children=(Node("app|/l", Role.LABEL, "Kind of leave"), *radios))


def test_the_radio_of_that_name_whole_before_one_that_contains_it() -> None:
    assert radio_named(_leave(), "sick").ref == "app|/Sick"
    assert radio_named(_leave(), "Annual").ref == "app|/Annual"


def test_a_missing_choice_names_the_choices_there() -> None:
    with pytest.raises(NoMatch) as missing:
        radio_named(_leave(), "Parental")
    assert "No radio is called 'Parental' in the group 'Kind of leave'" in missing.value.message
    assert missing.value.candidates == ["Annual", "Sick", "Sick (unpaid)"]


def test_only_a_group_holding_radios_is_chosen_in() -> None:
    toolbar_item = Node("app|/f", Role.GROUP, "Font Size", children=(Node("app|/e", Role.TEXTBOX),))
    assert is_radio_group(_leave()) and names("choose", "Kind of leave", _leave())
    assert not is_radio_group(toolbar_item) and not names("choose", "Font Size", toolbar_item)
