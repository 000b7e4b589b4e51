"""A PNG of the screen, or of one box of it, on an X display (the backend's ``screenshot``)."""

from __future__ import annotations

from deskhand.tree.node import Bounds


def grab_png(display: str, bounds: Bounds | None = None) -> bytes:
    import mss  # imported when a screenshot is taken, not with the backend
    import mss.tools

    with mss.MSS(display=display.encode() if display else None) as grabber:
        monitor = grabber.monitors[0]
        # A box reaching past the screen's right or bottom edge (a window wider than the screen) is grabbed
        # up to the edge: X refuses a grab outside the screen.
        area = (
            {
                "left": bounds.x,
                "top": bounds.y,
                "width": max(min(bounds.width, monitor["width"] - bounds.x), 1),
                "height": max(min(bounds.height, monitor["height"] - bounds.y), 1),
            }
            if bounds is not None
            else monitor
        )
        shot = grabber.grab(area)
        return bytes(mss.tools.to_png(shot.rgb, shot.size) or b"")
