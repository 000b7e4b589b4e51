"""A small form app for the agent's unit tests, as FakeBackend trees."""

from __future__ import annotations

from tests.unit.fake_nodes import SHOWN, n

from deskhand.tree.node import Bounds, Node


def form() -> Node:
    """Named fields, a field named only by its label, two unnamed twins (only nth tells them apart)."""
    return n(
        "win",
        "window",
        "Contact",
        n("name", "textbox", "Name", value="", states=SHOWN | {"focused", "editable"}),
        n("mail-label", "label", "Email", bounds=Bounds(10, 100, 60, 20)),
        n("mail", "textbox", "", value="", bounds=Bounds(80, 100, 200, 20), labelled_by=("mail-label",)),
        n("extra1", "textbox", "", value=""),
        n("extra2", "textbox", "", value=""),
        n("plan", "combobox", "Plan", n("menu", "menu", "", n("o1", "menuitem", "Basic"), n("o2", "menuitem", "Pro"))),
        n("sub", "checkbox", "Subscribe"),
        n("ok", "button", "OK"),
        states=SHOWN | {"active"},
    )
