"""Failing fast when the answer is known: the target is absent and the screen has settled.

A step that did not ask to wait (no ``Wait until … within N seconds``) need not sit out the whole timeout
when nothing is changing: no accessibility event for a quiet window, the trees read the same, and no web
page still loading. Then looking again cannot help, and the run fails at once with its diagnosis.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar, runtime_checkable

from deskhand.backends.base import Backend
from deskhand.errors import LocatorError, NoMatch, UnexpectedDialog
from deskhand.locate.locator import Locator, Resolved
from deskhand.locate.waiting import POLL_CAP_S
from deskhand.runner.targets import describe_position, find_target
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, Role
from deskhand.tree.selector import Selector

T = TypeVar("T")

# No event and no change in what the scope shows for this long means the screen has settled.
QUIET_S = 1.0
_NO_WAIT = re.compile(r" \(waited 0\.0 s\)$")


@runtime_checkable
class KnowsLoading(Protocol):
    """A backend that can tell whether a page is still loading (the composite backend can)."""

    def loading(self) -> bool: ...


def digest(read: Callable[[], list[tuple[str, str, str, str, frozenset[str]]]]) -> str:
    text = repr(sorted(read(), key=repr))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def retry_until_settled(
    backend: Backend,
    attempt: Callable[[], T],
    *,
    timeout: float,
    on_timeout: Callable[[LocatorError | None, bool], Exception],
    look: Callable[[], str],
) -> T:
    """Like ``retry_until``, but gives up early once ``look()`` (a digest of what the scope shows) has stayed
    the same for ``QUIET_S``, across a fresh read half way, and no page is loading.

    ``on_timeout(last, settled)`` builds the error; ``settled`` says the early way out was taken.
    """
    deadline = time.monotonic() + max(timeout, 0.0)
    last: LocatorError | None = None
    dialog: UnexpectedDialog | None = None
    seen_look, quiet_since = "", time.monotonic()
    fresh = False  # read afresh (not from event-updated caches) since the screen last changed
    first = True
    while True:
        try:
            return attempt()
        except LocatorError as error:
            last, dialog = error, None
        except UnexpectedDialog as error:
            # A dialog answered by the step before may still be closing: it is in the way only if it stays.
            # The first report of it is kept (the accessibility one names its buttons; a page blocked by an
            # alert() may later report it again with less).
            dialog = dialog or error
        if first:
            # The target is not in the caches: look once more at a fresh read before timing the quiet.
            first = False
            backend.invalidate()
            continue
        now = time.monotonic()
        if now >= deadline:
            raise dialog or on_timeout(last, False)
        # What is shown, not the event counter: a browser's toolbar sends events all the time.
        shown = look()
        if shown != seen_look or _loading(backend):
            seen_look, quiet_since, fresh = shown, now, False
        elif now - quiet_since >= QUIET_S and fresh:
            raise dialog or on_timeout(last, True)
        elif now - quiet_since >= QUIET_S / 2 and not fresh:
            # Half way, read everything afresh in case a toolkit changed something without an event.
            backend.invalidate()
            fresh = True
            continue
        backend.wait_for_change(min(deadline - now, POLL_CAP_S))


def _loading(backend: Backend) -> bool:
    inner = getattr(backend, "inner", backend)
    for candidate in (backend, inner):
        if isinstance(candidate, KnowsLoading):
            return candidate.loading()
    return False


def scope_look(scope: Locator) -> Callable[[], str]:
    """A digest of everything ``scope`` shows now (role, name, value, states of every element)."""
    whole = Locator(scope.desktop, scope.app_name, None, scope.window_title)

    def rows() -> list[tuple[str, str, str, str, frozenset[str]]]:
        try:
            roots = whole.resolve_all()
        except LocatorError:
            return []
        except UnexpectedDialog as blocked:
            # A page behind an alert() cannot be read; the alert itself is what is shown.
            return [("dialog", blocked.dialog, blocked.message, "", frozenset())]
        return [(n.ref, n.role, n.name, n.value or "", n.states) for r in roots for n in _watched(r.node)]

    return lambda: digest(rows)


def _watched(root: Node) -> Iterator[Node]:
    """What can change the answer: a browser's pages and its windows coming and going, not its toolbar
    (tab hover cards and memory figures change on their own); everything in any other app."""
    pages = [n for n in root.walk() if n.role == Role.DOCUMENT]
    if not pages:
        yield from root.walk()
        return
    for page in pages:
        yield from page.walk()
    for node in root.walk():
        if node.role in WINDOW_ROLES:
            yield Node(node.ref, node.role)


def find_target_fast(
    scope: Locator, kind: str, text: str, *, timeout: float, position: int | None = None, role: str | None = None
) -> tuple[Resolved, Selector]:
    """``find_target``, failing as soon as the screen has settled without the target."""

    def attempt() -> tuple[Resolved, Selector]:
        try:
            return find_target(scope, kind, text, timeout=0, position=position, role=role)
        except LocatorError as error:
            error.message = _NO_WAIT.sub("", error.message)
            raise

    def on_timeout(last: LocatorError | None, settled: bool) -> Exception:
        error = last or NoMatch(f"Nothing called {describe_position(text, position, role)} in {scope.describe()}.")
        waited = "the screen settled with nothing changing" if settled else f"waited {timeout:.1f} s"
        error.message = f"{error.message} ({waited})"
        return error

    return retry_until_settled(
        scope.desktop.backend, attempt, timeout=timeout, on_timeout=on_timeout, look=scope_look(scope)
    )
