"""Where a click reaches an element, and what part of a scrolled list shows: pure functions on the
backend's model, checked against the shapes measured on GTK3 and GTK 4 (an open expander; a GTK 4 list as
tall as all its rows inside a scrolled window that shows a part)."""

from __future__ import annotations

from deskhand.backends.atspi.model import RawNode
from deskhand.backends.atspi.pointing import centre_in, own_point, scrolling_clip
from deskhand.tree.node import Bounds, Node

WINDOW, GENERIC, LIST, LISTITEM = 23, 0, 31, 32


def test_an_open_expander_is_clicked_on_its_caption_not_its_content() -> None:
    content = Node("c", "generic", "", bounds=Bounds(1141, 261, 204, 273), children=(Node("i", "img", ""),))
    expander = Node("e", "button", "Expander", bounds=Bounds(1141, 244, 204, 290), children=(content,))
    x, y = own_point(expander)
    assert 244 <= y < 261  # the caption band above the content
    assert 1141 < x < 1141 + 102  # towards the leading edge, where the arrow and label are


def test_a_plain_button_is_clicked_at_its_centre() -> None:
    button = Node("b", "button", "OK", bounds=Bounds(10, 10, 80, 30), children=(Node("l", "label", "OK"),))
    assert own_point(button) == (50, 25)


def test_a_row_below_what_its_list_shows_is_outside_the_clip() -> None:
    nodes = {
        "w": RawNode("w", parent="/root", role_number=WINDOW, bounds=Bounds(0, 0, 1280, 800)),
        "sw": RawNode("sw", parent="w", role_number=GENERIC, bounds=Bounds(11, 384, 463, 400)),
        "list": RawNode("list", parent="sw", role_number=LIST, bounds=Bounds(11, 384, 463, 1940)),
        "near": RawNode("near", parent="list", role_number=LISTITEM, bounds=Bounds(17, 400, 400, 30)),
        "far": RawNode("far", parent="list", role_number=LISTITEM, bounds=Bounds(17, 2142, 400, 30)),
    }
    clip = scrolling_clip(nodes, "far")
    assert clip == Bounds(11, 384, 463, 400)  # the list cut by the scrolled window around it
    near, far = (Node(n, "listitem", "", bounds=nodes[n].bounds) for n in ("near", "far"))
    assert centre_in(near, clip) and not centre_in(far, clip)
    assert scrolling_clip(nodes, "sw") is None  # not in a list
