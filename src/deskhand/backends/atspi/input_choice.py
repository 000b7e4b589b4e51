"""Which input a desktop gets: X (XTest) on an X display, a virtual keyboard and pointer on sway, else none,
with an error that says which compositor facility would give it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deskhand.errors import BackendUnavailable


def open_input(display: str, sway_env: Mapping[str, str] | None, input_note: str) -> Any:
    """An XInput or a SwayInput (the same calls); BackendUnavailable when the session can give none."""
    if display:
        from deskhand.backends.atspi.xinput import XInput

        return XInput(display)
    if sway_env is not None:
        from deskhand.backends.atspi.sway_input import SwayInput

        return SwayInput(sway_env)
    if input_note:
        raise BackendUnavailable(
            f"This step needs keyboard or pointer input, which this Wayland session cannot give: {input_note}.",
            hint="On Wayland without input deskhand acts through AT-SPI alone: clicking buttons, checking boxes, "
            "choosing options and typing into fields that take text over AT-SPI (GTK, Qt) work; pressing keys, "
            "right-clicks and typing into web pages need X (deskhand desktop up) or sway.",
        )
    raise BackendUnavailable("No X display: this action needs X input.", hint="Set DISPLAY.")
