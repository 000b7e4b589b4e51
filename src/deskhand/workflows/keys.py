"""Key chords as people write them (``ctrl + shift + s``) in one canonical spelling (``Ctrl+Shift+S``), and as
X spells them (``Control_L+Return``) down to the keysym that is sent."""

from __future__ import annotations

import pkgutil
import re
from dataclasses import dataclass
from functools import cache

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


# ---- chords as X sends them: every spelling a source may use, down to the X keysym ----------------------
# Each source of keys (the step language, lock replay, a model's tool call, an MCP client) may spell a key
# the way X does (``Control_L+Return``, ``KP_Enter``, ``kp_enter``): the guard judges and sends the one
# canonical chord parsed here, so what is judged is exactly what is sent.

# Keysyms of keys that only modify others; the friendly ones are spelled as people write them.
_MODIFIER_KEYSYMS: dict[str, str] = {
    "Control_L": "Ctrl",
    "Control_R": "Ctrl",
    "Alt_L": "Alt",
    "Alt_R": "Alt",
    "Shift_L": "Shift",
    "Shift_R": "Shift",
    "Super_L": "Super",
    "Super_R": "Super",
}
_FRIENDLY_X_NAMES: dict[str, str] = {
    "Enter": "Return",
    "Space": "space",
    "Backspace": "BackSpace",
    "PageUp": "Prior",
    "PageDown": "Next",
    "Plus": "plus",
    "Minus": "minus",
    "Comma": "comma",
    "Period": "period",
}
_LONE_MODIFIER_KEYS = {"Ctrl": "Control_L", "Alt": "Alt_L", "Shift": "Shift_L", "Super": "Super_L"}
# Friendly names the X input backend does not spell itself: sent under their X name.
_SENT_AS_X = frozenset({"Comma", "Period"})
# Control characters inside typed text, as the key a keyboard sends for them.
KEY_OF_CHARACTER: dict[str, str] = {
    "\n": "Return",
    "\r": "Return",
    "\t": "Tab",
    "\b": "BackSpace",
    "\x1b": "Escape",
    "\x7f": "Delete",
}


@dataclass(frozen=True, slots=True)
class Chord:
    """Modifiers held while one key is tapped. ``modifiers`` and ``key`` are spelled as they are sent (friendly
    names where deskhand has them, X keysym names otherwise); ``keysym`` is the X keysym of the key, with a
    letter's lower-case keysym (the key, not the character)."""

    modifiers: tuple[str, ...]
    key: str
    keysym: int

    @property
    def spelling(self) -> str:
        return "+".join([*self.modifiers, self.key])


@cache
def _keysym_names() -> tuple[dict[str, int], dict[str, tuple[str, int]]]:
    """Every keysym name python-xlib knows (the X server's list): exact, and case-folded → (name, keysym)."""
    from Xlib import XK
    from Xlib import keysymdef as groups

    for group in pkgutil.iter_modules(groups.__path__):
        XK.load_keysym_group(group.name)
    exact = {name[3:]: int(getattr(XK, name)) for name in dir(XK) if name.startswith("XK_")}
    folded: dict[str, tuple[str, int]] = {}
    for name, keysym in sorted(exact.items()):
        folded.setdefault(name.casefold(), (name, keysym))
        if name.startswith("XF86_"):
            # The X server spells these XF86Close; python-xlib spells them XF86_Close.
            folded.setdefault(("XF86" + name[5:]).casefold(), (name, keysym))
    return exact, folded


def x_keysym_names() -> dict[str, int]:
    """Every keysym name X knows, with its keysym (for tests and diagnostics)."""
    return dict(_keysym_names()[0])


def _character_keysym(char: str) -> int:
    # Latin-1 keysyms equal their code point; the rest live at 0x01000000 + the code point.
    point = ord(char.lower()) if char.isalpha() and char.isascii() else ord(char)
    return point if point < 0x100 else 0x01000000 | point


def _key(part: str) -> tuple[str, int] | None:
    """(the name to send, the keysym) of one key as written, or None when it is not a key."""
    if len(part) == 1:
        if part in KEY_OF_CHARACTER:
            name = KEY_OF_CHARACTER[part]
            return name, _keysym_names()[0][name]
        if not part.isprintable():
            return None
        friendly = normalise_key(part)
        return (friendly or part), _character_keysym(part)
    friendly = normalise_key(part)
    exact, folded = _keysym_names()
    if friendly is not None:
        x_name = _FRIENDLY_X_NAMES.get(friendly, friendly)
        keysym = exact.get(x_name)
        # An exact X name (downarrow is the ↓ character in X) means what X says it means.
        if keysym is not None and exact.get(part, keysym) == keysym:
            return (x_name if friendly in _SENT_AS_X else friendly), keysym
    found = (part, exact[part]) if part in exact else folded.get(part.casefold())
    if found is None:
        return None
    name, keysym = found
    if len(name) == 1:  # "A" written as a name: the letter's key
        return name.upper() if name.isalpha() else name, _character_keysym(name)
    return name, keysym


def _modifier(part: str) -> str | None:
    """The spelling of a modifier key as sent, or None when ``part`` is no modifier."""
    friendly = _MODIFIERS.get(part.casefold())
    if friendly is not None:
        return friendly
    found = _keysym_names()[1].get(part.casefold())
    if found is None or not is_modifier_keysym(found[1]):
        return None
    return _MODIFIER_KEYSYMS.get(found[0], found[0])


def is_modifier_keysym(keysym: int) -> bool:
    """Shift, Control, Alt, Meta, Super, Hyper, the locks, and the ISO level and group shifts."""
    return 0xFFE1 <= keysym <= 0xFFEE or 0xFE01 <= keysym <= 0xFE0F or keysym in (0xFF7E, 0xFF7F, 0xFF14)


def parse_chord(text: str) -> Chord | None:
    """``Control_L+Return`` → Ctrl+Enter; ``kp_enter`` → KP_Enter; ``alt_l + f4`` → Alt+F4; None when ``text``
    is not a chord of keys X knows (nothing is sent then)."""
    stripped = text.strip() if len(text.strip()) else text
    if not stripped:
        return None
    if len(stripped) == 1:
        parts = [stripped]
    elif stripped.endswith("++"):
        parts = [*_SEPARATOR.split(stripped[:-2]), "+"]
    else:
        parts = _SEPARATOR.split(stripped)
    if any(not p for p in parts):
        return None
    modifiers: list[str] = []
    for part in parts[:-1]:
        modifier = _modifier(part)
        if modifier is None or modifier in modifiers:
            return None
        modifiers.append(modifier)
    key = _key(parts[-1])
    if key is None and len(parts) == 1 and _modifier(parts[0]) is not None:
        # A modifier tapped on its own (Super opens a desktop's launcher): sent as its X key.
        modifier = _modifier(parts[0]) or ""
        name = _LONE_MODIFIER_KEYS.get(modifier, modifier)
        key = (name, _keysym_names()[0][name])
    if key is None:
        return None
    order = {m: i for i, m in enumerate(_MODIFIER_ORDER)}
    ordered = sorted(modifiers, key=lambda m: (order.get(m, len(order)), m))
    return Chord(tuple(ordered), key[0], key[1])
