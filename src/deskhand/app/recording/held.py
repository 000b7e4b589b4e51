"""The trees the recorder read of each app, each with the moment its read was done.

The recorder understands what happened in order, but it reads an app's tree when it gets to an event, which under
load is long after the event: a read made then may show what a later press did (the window a Done closed is
gone; a dialog's OK replaced by the window behind it). A tree read before the press was made shows nothing the
press did, so a press is also placed on the newest tree read before it (``clicks``); an element an event names
that the app no longer shows is taken from the newest tree that held it (``watcher``).
"""

from __future__ import annotations

from collections import deque

from deskhand.tree.node import Node

# Enough reads to reach back past the recorder's lag under load (a few seconds of events of note).
_KEPT = 64


class HeldTrees:
    """Each app's trees as read, oldest first, with when each read was done (this process's monotonic clock)."""

    def __init__(self) -> None:
        self._reads: dict[str, deque[tuple[float, Node]]] = {}

    def add(self, app_ref: str, done: float, tree: Node) -> None:
        self._reads.setdefault(app_ref, deque(maxlen=_KEPT)).append((done, tree))

    def before(self, app_ref: str, moment: float) -> Node | None:
        """The newest tree read before ``moment``; None when every read kept was done after it."""
        found: Node | None = None
        for done, tree in self._reads.get(app_ref, ()):
            if done >= moment:
                break
            found = tree
        return found

    def holding(self, app_ref: str, ref: str) -> Node | None:
        """The newest tree that held the element ``ref``."""
        for _, tree in reversed(self._reads.get(app_ref, ())):
            if tree.find(ref) is not None:
                return tree
        return None
