"""Key names as people write them in a chord ("Ctrl+Shift+S", "Enter"), shared by the X and the sway input."""

from __future__ import annotations

# Modifier names → the four modifiers both inputs hold.
MODIFIERS = {
    "ctrl": "ctrl",
    "control": "ctrl",
    "alt": "alt",
    "shift": "shift",
    "super": "super",
    "meta": "super",
    "win": "super",
}
# Key names → XKB keysym names.
KEYSYM_NAMES = {
    "enter": "Return",
    "return": "Return",
    "esc": "Escape",
    "escape": "Escape",
    "tab": "Tab",
    "space": "space",
    "backspace": "BackSpace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "Page_Up",
    "pagedown": "Page_Down",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "plus": "plus",
    "minus": "minus",
}


def split_chord(chord: str) -> tuple[list[str], str]:
    """The modifiers and the key of ``chord``: ``Ctrl+Shift+S`` → (["Ctrl", "Shift"], "S"); ``+`` is a key."""
    parts = [p.strip() for p in chord.replace(" ", "").split("+") if p.strip()] or ["+"]
    *modifiers, key = parts
    return modifiers, key
