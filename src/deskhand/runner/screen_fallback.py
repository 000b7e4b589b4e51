"""When the tree has no match: look in the window's pixels (OCR), and if they have none either, say what
both showed.

Only after the tree search has failed (a passing step never pays for OCR), the app's windows are read from
their pixels too for the rest of the step: the same candidate selectors then match OCR pseudo-nodes
(``via: screen``), and the step's action and read-back resolve them again like any element.
"""

from __future__ import annotations

import difflib
import time

from deskhand.backends.base import AppInfo, Backend
from deskhand.backends.screen.ocr import view_engine
from deskhand.backends.screen.tree import is_screen_ref
from deskhand.errors import LocatorError, NoMatch
from deskhand.locate.drawn_views import Search as ScrollSearch
from deskhand.locate.drawn_views import drawn_views
from deskhand.locate.locator import Locator, Resolved
from deskhand.runner.resolution import SCREEN
from deskhand.runner.settle import find_target_fast
from deskhand.tree.node import Node
from deskhand.tree.roles import INTERACTIVE_ROLES, Role
from deskhand.tree.selector import Selector

# One more look with the pixels: the screen settled already when the tree search gave up.
SCREEN_LOOK_S = 3.0
# The longest a search may scroll views that draw their rows unlisted (the step's own time when longer).
SCROLL_SEARCH_S = 10.0
_NAMED_ROLES = INTERACTIVE_ROLES | {Role.LABEL, Role.TEXT, Role.HEADING}


def reads_pixels(scope: Locator) -> bool:
    return hasattr(scope.desktop.backend, "read_pixels_too")


def begin_step(scope: Locator, timeout: float) -> None:
    """A new step: no tree app's pixels are read until its own tree search fails, and no OCR read may take
    longer than the step's timeout."""
    if reads_pixels(scope):
        scope.desktop.backend.read_pixels_too(None, timeout=timeout)  # type: ignore[attr-defined]


def end_step(scope: Locator) -> None:
    """The step is done: its pixel reads end with it, so what reads the app next (the next step's tree search,
    a read-back) sees its tree and pays for no OCR."""
    if reads_pixels(scope):
        scope.desktop.backend.read_pixels_too(None)  # type: ignore[attr-defined]


def shown_in_pixels(scope: Locator, text: str, missed: LocatorError) -> bool:
    """Whether ``text`` shows in the pixels of the scope's app (a tree app whose tree did not show it: text
    painted on a canvas). One look: the screen settled already when the tree's wait gave up."""
    app = _app_to_read(scope)
    if app is None:
        return False
    scope.desktop.backend.read_pixels_too(app.ref)  # type: ignore[attr-defined]
    try:
        return bool(scope.get_by_text(text).resolve_all())
    except LocatorError:
        return False


def find_on_screen(
    scope: Locator, kind: str, text: str, missed: NoMatch, *, timeout: float, position: int | None, role: str | None
) -> tuple[Resolved, Selector]:
    """The target found in the pixels of the scope's app, or NoMatch listing tree and screen candidates."""
    app = _app_to_read(scope)
    if app is None:
        raise missed
    backend = scope.desktop.backend
    # A view that draws its rows unlisted is read (and scrolled) on its own first: a few hundred pixels
    # square where the window is a whole screen; the window is read only when no view shows the words.
    views = [] if is_screen_ref(app.ref) else drawn_views(backend.snapshot(app.ref), backend)
    searches = _scroll_views(backend, views, text, timeout)
    showing = [s.view for s in searches if s.found]
    if showing:
        # The view shows the words: the target is what it shows, read from its box alone (never the same
        # words elsewhere in the window, and a fraction of the window's pixels).
        backend.read_views_too(app.ref, showing)  # type: ignore[attr-defined]
    else:
        backend.read_pixels_too(app.ref)  # type: ignore[attr-defined]
    try:
        return find_target_fast(scope, kind, text, timeout=min(timeout, SCREEN_LOOK_S), position=position, role=role)
    except NoMatch as again:
        unseen = _unseen_windows(scope) + _scrolled_through(searches)
        candidates = _candidates(scope, text, missed) + _seen_while_scrolling(searches, text)
        # The pixels were a last look for this target only: the diagnosis (suggested sentences, checked by
        # resolving them) must see the app's tree as it is, not the tree with OCR look-alikes of its labels.
        backend.read_pixels_too(app.ref, on=False)  # type: ignore[attr-defined]
        raise NoMatch(
            f"Nothing called {text!r} in {scope.describe()}: neither its accessibility tree nor its pixels (OCR) "
            f"show it.{unseen}",
            candidates=candidates,
            hint=again.hint or "Check the wording on screen; the nearest texts of both kinds are listed.",
        ) from None


def _scroll_views(backend: Backend, views: list[Node], text: str, timeout: float) -> list[ScrollSearch]:
    """Each view that draws rows it does not list, scrolled until it shows ``text`` (the first that does
    ends the search)."""
    deadline = time.monotonic() + max(timeout, SCROLL_SEARCH_S)
    searches: list[ScrollSearch] = []
    for view in views:
        search = ScrollSearch(backend, view_engine(), view, text, deadline)
        searches.append(search)
        if search.bring_in():
            break
    return searches


def _scrolled_through(searches: list[ScrollSearch]) -> str:
    return "".join(
        f" The {s.view.name} (it lists no rows to assistive technology) was read from the screen and scrolled "
        f"through: {'it showed words like them, not the words themselves' if s.found else 'they are not in it'}."
        for s in searches
    )


def _seen_while_scrolling(searches: list[ScrollSearch], text: str) -> list[str]:
    seen = [phrase for search in searches for phrase in search.seen]
    return [f'"{w}" (screen, scrolled into view)' for w in difflib.get_close_matches(text, seen, n=3, cutoff=0.0)]


def _app_to_read(scope: Locator) -> AppInfo | None:
    """Whose pixels to read: the scope's app, or, for a step that names none, the app whose window is active —
    the window a person looks at when they say "click X" without saying where."""
    if not reads_pixels(scope):
        return None
    if scope.app_name is not None:
        return scope.desktop.find_app(scope.app_name)
    return next((app for app in scope.desktop.apps() if any(w.active for w in app.windows)), None)


def _unseen_windows(scope: Locator) -> str:
    """Windows whose pixels cannot be read (off screen, minimized), said plainly: the likely cause."""
    try:
        roots = Locator(scope.desktop, scope.app_name, None, scope.window_title).resolve_all()
    except LocatorError:
        return ""
    notes = [
        f' The window {w.name!r} is {w.description}: move it with `Move the window "{w.name}" to 0, 0`.'
        if w.description.startswith("off screen")
        else f' The window {w.name!r} is minimized: bring it back with `Focus the window "{w.name}"`.'
        for r in roots
        for w in r.node.walk()
        if w.attributes.get("via") == SCREEN and w.description.startswith(("off screen", "minimized"))
    ]
    return "".join(notes)


def _candidates(scope: Locator, text: str, missed: NoMatch) -> list[str]:
    """The nearest of both kinds, each saying where it came from: the tree's (the locator's nearest, else
    the elements whose names are closest) and the OCR phrases, with the OCR's confidence."""
    try:
        roots = Locator(scope.desktop, scope.app_name, None, scope.window_title).resolve_all()
    except LocatorError:
        roots = []
    nodes = [n for r in roots for n in r.node.walk() if n.name and n.role in _NAMED_ROLES]
    read = {n.name: n.attributes.get("confidence", "") for n in nodes if n.attributes.get("via") == SCREEN}
    tree = {f'{n.role} "{n.name}"': n.name for n in nodes if n.attributes.get("via") != SCREEN}
    near_tree = list(missed.candidates[:3]) or [
        described for described, name in tree.items() if name in difflib.get_close_matches(text, tree.values(), 3, 0)
    ]
    near_screen = difflib.get_close_matches(text, list(read), n=3, cutoff=0.0)
    return [*(f"{c} (tree)" for c in near_tree), *(f'"{w}" (screen, confidence {read[w]})' for w in near_screen)]
