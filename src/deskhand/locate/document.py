"""A text document open in a word processor (LibreOffice Writer): its text, typing into it, its headings.

Writer shows a document as a ``document`` whose children are the paragraphs (``paragraph``, ``heading``)
it has laid out near the view — made on demand, so a long document exposes only its visible part; the
reader enumerates them (a few dozen); the whole text is read by selecting it (``document_text``).
Typing goes where a person types: the document gets the focus, the
cursor goes to the end (Ctrl+End), a new paragraph is started unless the last one is empty, the text is
typed (a line break is Enter); then the typed text must be
in the document's text, or the step fails saying what the document holds there.
"""

from __future__ import annotations

import time

from deskhand.errors import ActionFailed, LocatorError, LocatorTimeout, NoMatch
from deskhand.locate.document_text import whole_text
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.locate.waiting import retry_until
from deskhand.tree.node import Node
from deskhand.tree.roles import State

_PARAGRAPHS = ("paragraph", "heading", "text", "section")
_PAGE_LIMIT = 200  # pages looked through for a heading before giving up


class Document:
    """``Document(desktop.app("soffice")).append("Hello")``; found afresh on every call."""

    def __init__(self, scope: Locator) -> None:
        self.scope = scope
        self.desktop = scope.desktop
        self.timeout = scope.desktop.timeout if scope.timeout is None else scope.timeout

    def text(self) -> str:
        """The whole document's text, one line per paragraph: selected and taken from the app's answer
        (``document_text``); where there is no such answer, the paragraphs the app exposes near the view."""
        found = self._find()
        backend = self.desktop.backend
        if found.match.window is not None:
            backend.activate_window(found.match.window.ref)
        backend.focus(found.ref)
        whole = whole_text(self.desktop, found.ref, self._laid_out)
        if whole is not None:
            self._wait_cursor_at_end(found.app.ref)
            return whole
        return _text_of(self._find().node)

    def laid_out_text(self) -> str:
        """The text of the paragraphs the app exposes (laid out near the view), one line each."""
        return _text_of(self._find().node)

    def _laid_out(self) -> list[str]:
        found = self._find()
        self.desktop.backend.invalidate(found.app.ref)
        return _text_of(self._find().node).splitlines()

    def append(self, text: str) -> None:
        """Type ``text`` as a new paragraph at the end of the document, then check the document holds it."""
        found = self._find()
        ends_empty = not (found.node.children and (found.node.children[-1].value or "").strip())
        backend = self.desktop.backend
        if found.match.window is not None:
            backend.activate_window(found.match.window.ref)
        backend.focus(found.ref)
        backend.press("Ctrl+End")
        self._wait_cursor_at_end(found.app.ref)
        if not ends_empty:
            backend.press("Enter")
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if line:
                backend.type_text(line)
            if index < len(lines) - 1:
                backend.press("Enter")
        last = next((line for line in reversed(lines) if line.strip()), "")
        if not last:
            return

        def holds() -> None:
            if last not in self.laid_out_text():
                raise NoMatch(f"The document does not show {last!r} yet.")

        def failed(error: LocatorError | None) -> Exception:
            shown = self.laid_out_text().splitlines()
            return ActionFailed(
                f"Typed {last!r} at the end of the document, but it ends with {shown[-1] if shown else ''!r}.",
                hint="AutoCorrect or word completion may have changed it; turn them off or type what the app keeps.",
            )

        retry_until(backend, holds, timeout=min(self.timeout, 5.0), on_timeout=failed)

    def _wait_cursor_at_end(self, app_ref: str) -> None:
        """Keys typed before the app moved the cursor would land where it was: wait until the last paragraph
        holds the cursor (Writer marks it focused; it replaces paragraphs without events, so read afresh)."""

        def at_end() -> None:
            self.desktop.backend.invalidate(app_ref)
            paragraphs = self._find().node.children
            if not paragraphs or State.FOCUSED not in paragraphs[-1].states:
                raise NoMatch("The cursor is not at the end of the document yet.")

        retry_until(
            self.desktop.backend,
            at_end,
            timeout=min(self.timeout, 5.0),
            on_timeout=lambda last: ActionFailed("The cursor did not go to the end of the document (Ctrl+End)."),
        )

    def go_to_heading(self, heading: str) -> None:
        """Put the cursor at the start of the heading, paging down from the top as a person scrolls."""
        found = self._find()
        backend = self.desktop.backend
        if found.match.window is not None:
            backend.activate_window(found.match.window.ref)
        backend.focus(found.ref)
        backend.press("Ctrl+Home")
        seen: list[str] = []
        wanted = _norm(heading)
        last_page: tuple[str, ...] = ()
        for _ in range(_PAGE_LIMIT):
            page = self._settled_page(found.app.ref)
            headings = [p for p in page.children if p.role == "heading"]
            seen.extend(h.value or h.name for h in headings if (h.value or h.name) not in seen)
            match = next((h for h in headings if _norm(h.value or h.name) == wanted), None)
            if match is not None:
                backend.focus(match.ref)
                self._check_cursor_in(match, heading)
                return
            texts = tuple(p.value or "" for p in page.children)
            if texts == last_page:
                break  # the end of the document: paging changed nothing
            last_page = texts
            backend.press("PageDown")
        raise NoMatch(
            f"The document has no heading {heading!r}.",
            candidates=[f'"{h}"' for h in seen[:5]],
            hint=f"Headings: {', '.join(repr(h) for h in seen[:12]) or 'none'}. "
            + (f'Write: Go to the heading "{seen[0]}"' if seen else "Check the heading's text."),
        )

    def _settled_page(self, app_ref: str) -> Node:
        """The document after paging, once the app has laid out the new view (events stop for a moment).

        Writer replaces the paragraphs it exposes without telling (no children-changed on the document,
        measured on 7.4): the app is read afresh."""
        deadline = time.monotonic() + 0.5
        version = self.desktop.backend.version()
        while time.monotonic() < deadline:
            if not self.desktop.backend.wait_for_change(0.1) and self.desktop.backend.version() == version:
                break
            version = self.desktop.backend.version()
        self.desktop.backend.invalidate(app_ref)
        return self._find().node

    def _check_cursor_in(self, heading: Node, text: str) -> None:
        def focused() -> None:
            if State.FOCUSED not in self.desktop.backend.refresh(heading.ref).states:
                raise NoMatch(f"The cursor is not in the heading {text!r} yet.")

        retry_until(
            self.desktop.backend,
            focused,
            timeout=min(self.timeout, 5.0),
            on_timeout=lambda last: ActionFailed(f"The cursor did not go to the heading {text!r}."),
        )

    def _find(self) -> Resolved:
        def attempt() -> Resolved:
            documents = [r for r in self.scope.get_by_role("document").resolve_all() if is_visible(r.node)]
            editable = [r for r in documents if State.EDITABLE in r.node.states] or documents
            if not editable:
                raise NoMatch(f"No document is open {self.scope.describe()}.", hint="Open the document first.")
            return max(editable, key=lambda r: r.node.bounds.width * r.node.bounds.height if r.node.bounds else 0)

        return retry_until(
            self.desktop.backend,
            attempt,
            timeout=self.timeout,
            on_timeout=lambda last: last or LocatorTimeout(f"No document is open {self.scope.describe()}."),
        )


def _text_of(document: Node) -> str:
    return "\n".join(p.value or p.name for p in document.children if p.role in _PARAGRAPHS or p.value is not None)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()
