"""Where GTK 4 really shows a popover: it reports a popover's contents as if its surface sat at its parent
widget (measured on 4.8), so the X popup of the same size on screen says where it is."""

from __future__ import annotations

from typing import Any

from deskhand.errors import BackendUnavailable
from deskhand.tree.node import Bounds


def popup_shift(host: Any, reported: Bounds) -> tuple[int, int] | None:
    """The shift from where GTK 4 says a popover is to the X popup of the same size really on screen
    (``host.xinput`` lists the popups); None when no such popup is on screen (not mapped yet, or gone): then
    the popover's contents have no place a click could use."""
    try:
        boxes = host.xinput.popups()
    except BackendUnavailable:
        return (0, 0)  # no X to ask: the place GTK reports is the best there is
    for x, y, width, height in boxes:
        if (width, height) == (reported.width, reported.height):
            return (x - reported.x, y - reported.y)
    return None
