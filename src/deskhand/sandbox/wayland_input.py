"""What a Wayland session can give besides AT-SPI: keyboard and pointer input, screenshots.

On Wayland no client may inject input into another or read the screen; only the compositor can, through
its own protocols. On sway deskhand gives keys and a pointer through its own virtual keyboard and pointer
(wlroots protocols; backends/atspi/sway_input.py); elsewhere it acts through AT-SPI's semantic actions only,
and a step that needs keys or a pointer says which facility of which compositor would give it. Detected
from the environment (the compositor's own variables and socket), never by probing input devices.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass

WESTON = "weston"
SWAY = "sway"


@dataclass(frozen=True, slots=True)
class WaylandFacilities:
    """The session's compositor and what it offers; ``None`` fields mean "not offered here"."""

    compositor: str  # "weston", "sway", or "" when it cannot be told
    keyboard: str | None  # what gives keys, when deskhand can drive it
    pointer: str | None
    screenshots: str | None

    @property
    def input_note(self) -> str:
        """One sentence for a step that needs input deskhand cannot give on this session."""
        name = self.compositor or "this compositor"
        if self.keyboard and self.pointer:
            return ""
        if self.compositor == SWAY:
            return "sway offers virtual keyboard and pointer protocols, but swaymsg (package sway) is not on PATH"
        if self.compositor == WESTON:
            return "weston (headless) has no input at all; sway offers virtual keyboard and pointer protocols"
        return f"{name} offers no input protocol deskhand knows; sway's virtual keyboard and pointer would give it"


def is_wayland(env: Mapping[str, str]) -> bool:
    """A Wayland session with no X display to fall back on (an X display means XWayland/X11 input works)."""
    return bool(env.get("WAYLAND_DISPLAY")) and not env.get("DISPLAY")


def facilities(env: Mapping[str, str]) -> WaylandFacilities:
    if env.get("SWAYSOCK"):
        swaymsg = shutil.which("swaymsg", path=env.get("PATH"))
        grim = shutil.which("grim", path=env.get("PATH"))
        return WaylandFacilities(
            SWAY,
            "deskhand's virtual keyboard (zwp_virtual_keyboard_v1)" if swaymsg else None,
            "deskhand's virtual pointer (zwlr_virtual_pointer_v1)" if swaymsg else None,
            "grim (wlr screencopy)" if grim else None,
        )
    compositor = WESTON if "weston" in env.get("XDG_CURRENT_DESKTOP", "").lower() else ""
    if env.get("DESKHAND_COMPOSITOR"):
        compositor = env["DESKHAND_COMPOSITOR"]
    return WaylandFacilities(compositor, None, None, None)
