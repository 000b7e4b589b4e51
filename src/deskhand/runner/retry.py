"""Which failures a step may be tried again for (``retries:`` in the front matter), and proof that the
failed try sent nothing to an app.

Passing failures: the app is not up yet (AppNotFound), the window or page went away (NodeGone), the browser
or its debugging connection is gone (BackendUnavailable). A business failure — an Expect that failed, an
action the guard blocked or a person refused, a NoMatch after the wait — is an answer, never retried.
A try that already sent an input to an app (a click, typed text, a key) is not retried either, whatever
the error says: the action may have happened, and repeating an irreversible one is worse than stopping.
"""

from __future__ import annotations

from typing import Any

from deskhand.backends.base import Backend
from deskhand.errors import AppNotFound, BackendUnavailable, DeskhandError, NodeGone

TRANSIENT = (AppNotFound, NodeGone, BackendUnavailable)
# Backend calls that only look: everything else is counted as having acted on an app.
_READS = frozenset(
    {
        "applications",
        "snapshot",
        "snapshot_matching",
        "refresh",
        "invalidate",
        "version",
        "wait_for_change",
        "screenshot",
        "table_size",
        "table_texts",
        "kept_cells",
    }
)


def transient(failure: DeskhandError) -> bool:
    # An app that is not installed will not come up by waiting; one not on the bus yet may.
    if isinstance(failure, AppNotFound) and failure.installed:
        return False
    return isinstance(failure, TRANSIENT)


class ActingCounter:
    """A backend that passes every call through and counts the ones that act on an app."""

    def __init__(self, inner: Backend) -> None:
        self._inner = inner
        self.acted = 0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name in _READS or name.startswith("_") or not callable(value):
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.acted += 1
            return value(*args, **kwargs)

        return counted
