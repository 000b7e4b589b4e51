"""Opening an X display with python-xlib, each user its own connection (python-xlib is not thread-safe)."""

from __future__ import annotations

from typing import Any

from deskhand.errors import BackendUnavailable


def open_display(display: str) -> Any:
    """A new connection to ``display``, or BackendUnavailable saying why there is none."""
    try:
        from Xlib import display as xdisplay
    except ImportError as error:  # pragma: no cover - python-xlib is a hard dependency
        raise BackendUnavailable(f"python-xlib is missing: {error}") from None
    try:
        return xdisplay.Display(display)
    except Exception as error:
        raise BackendUnavailable(f"Cannot open X display {display!r}: {error}.") from None
