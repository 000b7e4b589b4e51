"""Key chords as people write them (``ctrl + shift + s``) in one canonical spelling (``Ctrl+Shift+S``)."""

from __future__ import annotations

import re

# Canonical modifier order; chords are written Ctrl+Alt+Shift+Super+Key.
_MODIFIERS: dict[str, str] = {
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "ctl": "Ctrl",
    "alt": "Alt",
    "option": "Alt",
    "shift": "Shift",
    "super": "Super",
    "win": "Super",
    "windows": "Super",
    "meta": "Super",
    "cmd": "Super",
    "command": "Super",
}
_MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Super")

_NAMED_KEYS: dict[str, str] = {
    "enter": "Enter",
    "return": "Enter",
    "tab": "Tab",
    "escape": "Escape",
    "esc": "Escape",
    "space": "Space",
    "spacebar": "Space",
    "backspace": "Backspace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "ins": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pgup": "PageUp",
    "pagedown": "PageDown",
    "pgdn": "PageDown",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "uparrow": "Up",
    "downarrow": "Down",
    "leftarrow": "Left",
    "rightarrow": "Right",
    "menu": "Menu",
    "printscreen": "Print",
    "print": "Print",
    "plus": "Plus",
    "minus": "Minus",
    "comma": "Comma",
    "period": "Period",
}
_FUNCTION_KEY = re.compile(r"^f([1-9]|1[0-9]|2[0-4])$")
_SEPARATOR = re.compile(r"\s*\+\s*|(?<=\w)-(?=\w)")
_PUNCTUATION_KEYS = frozenset("`~!@#$%^&*()_=+-[]{}\\|;:'\",.<>/?")


def normalise_key(name: str) -> str | None:
    """The canonical name of one non-modifier key, or ``None`` if it is not a key."""
    squashed = re.sub(r"[\s_]", "", name).casefold()
    if squashed in _NAMED_KEYS:
        return _NAMED_KEYS[squashed]
    if _FUNCTION_KEY.match(squashed):
        return squashed.upper()
    if len(name) == 1 and (name.isalnum() or name in _PUNCTUATION_KEYS):
        return name.upper()
    return None


def normalise_chord(text: str) -> str | None:
    """``ctrl+shift+s`` → ``Ctrl+Shift+S``; ``None`` when ``text`` is not a key or chord."""
    text = text.strip()
    if not text:
        return None
    if text in ("+", "-"):
        return text
    parts = _SEPARATOR.split(text)
    if text.endswith("++"):
        parts = [*_SEPARATOR.split(text[:-2]), "+"]  # "Ctrl++" zooms in
    modifiers: set[str] = set()
    for part in parts[:-1]:
        modifier = _MODIFIERS.get(part.casefold())
        if modifier is None or modifier in modifiers:
            return None
        modifiers.add(modifier)
    last = parts[-1]
    key = normalise_key(last)
    if key is None:
        lone_modifier = _MODIFIERS.get(last.casefold())
        if lone_modifier is None or modifiers:
            return None
        key = lone_modifier
    ordered = [m for m in _MODIFIER_ORDER if m in modifiers]
    return "+".join([*ordered, key])


def mentions_modifier(text: str) -> bool:
    """Whether ``text`` names a modifier key, as a mistyped chord such as ``ctrl s`` does."""
    return any(part.casefold() in _MODIFIERS for part in re.split(r"[\s+\-]+", text))
