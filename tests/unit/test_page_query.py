"""When a locator's question goes to the page (WebPage.query) and when a read answers it: a label is asked
of the page whether deskhand holds the page or not; a name only when the page would be read whole; a
label the page leaves to the read (one that may name a field by its place) is not asked again until the
page changes. (What the page answers is compared with whole reads on real Chromium in
tests/integration/test_browser_label_query.py.)"""

from __future__ import annotations

import json
from typing import Any

from deskhand.backends.browser.page import DIRTY_BINDING, WebPage
from deskhand.backends.browser.page_rows import STATE_WORDS
from deskhand.locate import Desktop
from deskhand.tree.selector import Selector

SHOWN = 1 << STATE_WORDS.index("showing") | 1 << STATE_WORDS.index("enabled")
BODY = [1, -1, "generic", "", None, SHOWN, 0, 0, 800, 600]
LABEL = [2, 0, "LabelText", "First name", None, SHOWN, 10, 10, 80, 20]
FIELD = [3, 0, "textbox", "First name", "", SHOWN, 100, 10, 200, 20, "", "", [2]]


class Session:
    """Answers the page script's calls from a script of replies; records the expressions asked."""

    class target:  # noqa: N801 - the attribute CdpSession has
        id = "T1"

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.answers: dict[str, Any] = {}
        self.handlers: list[Any] = []
        self.events: list[tuple[str, dict[str, Any]]] = []  # arrived, taken in at the next drain or call

    def on_event(self, handler: object) -> None:
        self.handlers.append(handler)

    def drain(self) -> None:
        events, self.events = self.events, []
        for method, params in events:
            for handler in self.handlers:
                handler(method, params)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        params = params or {}
        self.drain()
        if method == "Page.getFrameTree":
            return {"frameTree": {"frame": {"id": "F1"}}}
        if method == "Page.createIsolatedWorld":
            return {"executionContextId": 2}
        if method != "Runtime.evaluate" or "deskhand's reader" in str(params["expression"]):
            self.asked.append(method if method != "Runtime.evaluate" else "install")
            return {"result": {"value": ["n1", True, True]}}
        expression = str(params["expression"])
        self.asked.append(expression)
        answer = next(value for key, value in self.answers.items() if key in expression)
        return {"result": {"value": json.dumps(answer)}}

    def announce(self, epoch: int) -> None:
        """The page script's call of its binding: a change after the last read."""
        self.events.append(
            ("Runtime.bindingCalled", {"name": DIRTY_BINDING, "executionContextId": 1, "payload": str(epoch)})
        )


def held_page() -> tuple[WebPage, Session]:
    session = Session()
    page = WebPage(session, "chromium")  # type: ignore[arg-type]
    page._context, page._announces = 1, True
    session.answers["snapshot("] = {"nonce": "n0", "epoch": 0, "nodes": [BODY, LABEL, FIELD]}
    page.read((0, 0))
    session.asked.clear()
    return page, session


def test_a_held_page_is_asked_about_a_label_but_not_about_a_name() -> None:
    page, session = held_page()
    session.answers["query("] = {"nonce": "n0", "epoch": 0, "nodes": [BODY, FIELD]}
    assert page.query((0, 0), "First name") is None  # a name: the held read answers, from memory
    assert session.asked == []
    nodes = page.query((0, 0), "First name", by_label=True)
    assert nodes is not None and [n.role for n in nodes] == ["textbox"]
    assert session.asked == ['JSON.stringify(globalThis.__deskhand.query("First name", false, true))']
    assert page.query((0, 0), "First name", by_label=True) is nodes  # kept until the page changes
    session.announce(1)
    page.query((0, 0), "First name", by_label=True)
    assert len(session.asked) == 2


def test_a_label_the_page_leaves_to_the_read_is_not_asked_again_until_the_page_changes() -> None:
    page, session = held_page()
    session.answers["query("] = None  # text that may name a field by its place
    assert page.query((0, 0), "Nickname", by_label=True) is None
    assert page.query((0, 0), "Nickname", by_label=True) is None
    assert len(session.asked) == 1
    session.announce(1)
    assert page.query((0, 0), "Nickname", by_label=True) is None
    assert len(session.asked) == 2


def test_a_locator_asks_for_a_cut_down_tree_by_label_name_or_text_but_not_by_placeholder() -> None:
    desk = Desktop(object())  # type: ignore[arg-type]
    needles = {
        "label": desk.app("x").get_by_label("Email")._needle(),
        "role and label": desk.app("x").locator(Selector(role="checkbox", label="I agree"))._needle(),
        "name": desk.app("x").get_by_role("button", name="Save")._needle(),
        "text": desk.app("x").get_by_text("Hello")._needle(),
        "placeholder": desk.app("x").get_by_placeholder("Your city")._needle(),
        "scoped": desk.app("x").get_by_role("dialog").get_by_label("Email")._needle(),
    }
    assert needles == {
        "label": ("Email", True),
        "role and label": ("I agree", True),
        "name": ("Save", False),
        "text": ("Hello", False),
        "placeholder": None,
        "scoped": None,
    }


def test_a_kept_answer_is_not_given_for_the_next_document_of_a_page_never_read_whole() -> None:
    """A query's answer is kept until the page changes; a navigation (the world destroyed) is such a change,
    even when deskhand never read the page whole (it once answered the old document's button)."""
    session = Session()
    page = WebPage(session, "chromium")  # type: ignore[arg-type]
    page._context, page._announces = 1, True
    session.answers["query("] = {"nonce": "n0", "epoch": 0, "nodes": [BODY, FIELD]}
    first = page.query((0, 0), "First name")
    assert page.query((0, 0), "First name") is first
    session.events.append(("Runtime.executionContextsCleared", {}))  # a reload
    session.answers = {"query(": {"nonce": "n1", "epoch": 0, "nodes": [BODY, FIELD]}}
    again = page.query((0, 0), "First name")
    assert again is not None and again[0].ref.endswith("|n1.3")
    # The world was made again at once (no call sent to the old one first), the reader installed in one call.
    asked = ["query" if "query(" in a else a for a in session.asked if "query(" in a or a == "install"]
    assert asked == ["query", "install", "query"] and page._context == 2
