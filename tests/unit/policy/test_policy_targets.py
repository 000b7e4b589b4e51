"""What the guard takes an action to land on: a web page's document counts as the page."""

from __future__ import annotations

from deskhand.policy.targets import Seen
from deskhand.tree.node import Node
from deskhand.tree.roles import Role


def test_the_page_document_itself_is_in_the_page() -> None:
    # After a navigation the document often holds the focus; a key pressed there lands on the page.
    field = Node(ref="t", role=Role.TEXTBOX, name="Customer data")
    document = Node(ref="d", role=Role.DOCUMENT, name="Partner", children=(field,))
    frame = Node(ref="f", role=Role.WINDOW, name="Partner - Chromium", children=(document,))
    assert Seen(document, "Chromium", frame, (frame,)).in_web_page
    assert Seen(field, "Chromium", frame, (frame, document)).in_web_page
    assert not Seen(frame, "Chromium", frame, ()).in_web_page
    assert not Seen(document, "mousepad", frame, (frame,)).in_web_page
