"""LibreOffice's drawn part placed where it is on screen, whatever its root pane reported (vcl_frame.py)."""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.vcl_frame import FrameFix
from deskhand.tree.node import Bounds


@dataclass
class Raw:
    path: str
    parent: str
    role_number: int
    bounds: Bounds | None = None


def _tree(button_box: Bounds) -> dict[str, Raw]:
    nodes = [
        Raw("/app", "", c.ROLE_APPLICATION),
        Raw("/win", "/app", 23, Bounds(57, 50, 1165, 700)),
        Raw("/panel", "/win", c.ROLE_PANEL, Bounds(57, 75, 1165, 675)),
        Raw("/pane", "/panel", c.ROLE_ROOT_PANE),
        Raw("/bar", "/pane", 63),
        Raw("/button", "/bar", 43, button_box),
    ]
    return {n.path: n for n in nodes}


def test_places_read_while_the_root_pane_is_off_its_panel_move_onto_the_screen() -> None:
    nodes = _tree(Bounds(1112, 91, 33, 35))
    fix = FrameFix(nodes)
    fix.note(nodes["/button"])
    assert [call[0] for call in fix.calls()] == ["/pane", "/panel"]
    fix.apply([[(57, 50, 1165, 675)], [(57, 75, 1165, 675)]])
    assert nodes["/button"].bounds == Bounds(1112, 116, 33, 35)


def test_places_read_once_the_root_pane_lies_on_its_panel_stay() -> None:
    nodes = _tree(Bounds(1112, 116, 33, 35))
    fix = FrameFix(nodes)
    fix.note(nodes["/button"])
    fix.apply([[(57, 75, 1165, 675)], [(57, 75, 1165, 675)]])
    assert nodes["/button"].bounds == Bounds(1112, 116, 33, 35)


def test_nodes_outside_a_root_pane_ask_nothing_more() -> None:
    nodes = _tree(Bounds(1112, 91, 33, 35))
    fix = FrameFix(nodes)
    fix.note(nodes["/panel"])
    assert fix.calls() == []


def test_an_unanswered_root_pane_moves_nothing() -> None:
    nodes = _tree(Bounds(1112, 91, 33, 35))
    fix = FrameFix(nodes)
    fix.note(nodes["/button"])
    fix.apply([RuntimeError("gone"), [(57, 75, 1165, 675)]])
    assert nodes["/button"].bounds == Bounds(1112, 91, 33, 35)
