"""After an edit, the element is read again until it holds what was asked: the effect must really be there."""

from __future__ import annotations

import time
from collections.abc import Callable

from deskhand.backends.base import Backend
from deskhand.errors import ActionFailed, NodeGone
from deskhand.locate.commit import RANGE_ROLES, held
from deskhand.tree.match import describe
from deskhand.tree.node import Node

# How long a range control may take to show the value it was given.
RANGE_SETTLE_S = 2.0


def read_back(
    backend: Backend,
    node: Node,
    holds: Callable[[Node], bool],
    wanted: str,
    timeout: float,
    first: Node | None = None,
) -> Node:
    """Re-read ``node`` until ``holds(node)`` or the deadline; ActionFailed saying what the app holds then.
    ``first``: the element as already read back right after the action."""
    # A range control takes its value at once (the Value interface is synchronous): what it holds a moment
    # later is its answer, and a clamped value must not cost the whole timeout.
    limit = min(timeout, RANGE_SETTLE_S) if node.role in RANGE_ROLES else timeout
    deadline = time.monotonic() + limit
    current = node
    while True:
        try:
            current = first if first is not None else backend.refresh(node.ref)
            first = None
        except NodeGone:
            raise ActionFailed(f"{describe(node)} disappeared while being changed.") from None
        if holds(current):
            return current
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ActionFailed(
                f"Expected {describe(node)} {wanted}, but the app holds {held(current)}.",
                hint="The app did not take the value (it clamps, rejects or reformats it): write a value it accepts.",
            )
        backend.wait_for_change(min(remaining, 0.05))
