"""Screenshots of a whole X display as PNG bytes."""

from __future__ import annotations

import mss
import mss.tools

from deskhand.errors import SandboxError


def grab_png(display: str) -> bytes:
    """A PNG of the whole screen of ``display`` (e.g. ':5')."""
    try:
        with mss.MSS(display=display) as capture:
            shot = capture.grab(capture.monitors[0])
            png = mss.tools.to_png(shot.rgb, shot.size)
    except mss.exception.ScreenShotError as error:
        raise SandboxError(
            f"Could not take a screenshot of display {display}: {error}.",
            hint="Check that the display is up (deskhand desktop status / deskhand doctor).",
        ) from error
    if png is None:  # to_png returns None only when asked to write a file
        raise SandboxError(f"Taking a screenshot of display {display} produced no image.")
    return png
