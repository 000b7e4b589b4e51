"""The key-effect table: what a chord does, judged by its keysym and modifiers, not by how it was spelled.

Every key deskhand sends (Press, control characters inside Type and Fill, a model's or an MCP client's press,
lock replay) is parsed to one :class:`~deskhand.workflows.keys.Chord` and looked up here. The same chord means
different things on different widgets, so the answer is per widget kind:

============== ================== ============== ============== =============== ==============
chord          address bar        web form field one-line field multi-line      control
============== ================== ============== ============== =============== ==============
any Enter      navigate           submit         activate       (new line)      press it
Ctrl+any Enter navigate (www…com) send           send           send            send
Space          (types)            (types)        (types)        (types)         press it
Tab            (moves the focus)  (moves focus)  (moves focus)  (moves focus)   (moves focus)
============== ================== ============== ============== =============== ==============

"Any Enter" is every keysym a toolkit treats as Enter: Return, KP_Enter, ISO_Enter, 3270_Enter, Linefeed,
XF86_RockerEnter, Select and Execute, with any modifiers held. Everywhere: Ctrl+Q, Alt+F4 (and Meta+F4),
XF86_Close… close or quit; Alt+S and the mail keys send; Shift+Delete deletes for good; Ctrl+N/T open a window;
Alt+Left/Right go back and forward; and keys meant for the desktop itself (Super, the launcher keys, Alt+F2,
Ctrl+Alt+Delete/BackSpace/T/F1-F12, the VT switches, Terminate_Server, MouseKeys pointer keys) act outside any
app the workflow allows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from deskhand.workflows.keys import KEY_OF_CHARACTER, Chord, parse_chord

Effect = Literal[
    "none",  # types, moves the caret or the focus
    "enter",  # activates what has the focus: its meaning depends on the widget
    "activate",  # Space: presses a focused control
    "send",
    "close",
    "quit",
    "delete",
    "navigate",  # leaves the page for an address deskhand may not see
    "history",  # back / forward through pages already judged
    "new_window",
    "desktop",  # acts on the desktop session, outside every app
]
Widget = Literal["address_bar", "web_form_field", "one_line_field", "multi_line_field", "control", "other"]

ENTER_KEYSYMS = frozenset(
    {
        0xFF0D,  # Return
        0xFF8D,  # KP_Enter
        0xFE34,  # ISO_Enter
        0xFD1E,  # 3270_Enter
        0xFF0A,  # Linefeed
        0xFF60,  # Select
        0xFF62,  # Execute
    }
)
SPACE_KEYSYMS = frozenset({0x20, 0xFF80})  # space, KP_Space
_F4 = 0xFFC1
_DELETE = frozenset({0xFFFF, 0xFF9F})  # Delete, KP_Delete
_LEFT, _RIGHT = frozenset({0xFF51, 0xFF96}), frozenset({0xFF53, 0xFF98})
_HOME = frozenset({0xFF50, 0xFF95})

# XF86 keys, by python-xlib's name: what a desktop or an app does with them.
_XF86_EFFECTS: dict[str, Effect] = {
    "XF86_Close": "close",
    "XF86_Send": "send",
    "XF86_Reply": "send",
    "XF86_MailForward": "send",
    "XF86_Back": "history",
    "XF86_Forward": "history",
    "XF86_HomePage": "navigate",
    "XF86_Search": "navigate",
    "XF86_OpenURL": "navigate",
    "XF86_Go": "navigate",
    "XF86_New": "new_window",
    "XF86_RockerEnter": "enter",
}
# Everything else under XF86 (launchers, power, VT switches, the screensaver…) belongs to the desktop,
# apart from keys an app handles in place:
_XF86_IN_APP = frozenset(
    {
        "XF86_Copy",
        "XF86_Cut",
        "XF86_Paste",
        "XF86_Undo",
        "XF86_Redo",
        "XF86_Refresh",
        "XF86_Reload",
        "XF86_Stop",
        "XF86_ScrollUp",
        "XF86_ScrollDown",
        "XF86_ZoomIn",
        "XF86_ZoomOut",
        "XF86_Save",
        "XF86_Open",
        "XF86_Find",
    }
)
_DESKTOP_KEYSYM_NAMES = frozenset(
    {"Terminate_Server", "Pointer_EnableKeys", "Pointer_Accelerate", "Super_L", "Super_R"}
)


@dataclass(frozen=True, slots=True)
class KeyMeaning:
    """What a chord does on one widget: the effect, and the word the policy weighs ("submit", "send"…)."""

    effect: Effect
    meaning: str = ""


def held(chord: Chord) -> frozenset[str]:
    """The modifiers as a toolkit sees them: Meta is Alt on every common keymap, Hyper is Super."""
    seen = set()
    for modifier in chord.modifiers:
        base = modifier.split("_", 1)[0]
        seen.add({"Meta": "Alt", "Hyper": "Super", "Control": "Ctrl"}.get(base, base))
    return frozenset(seen)


def chord_effect(chord: Chord) -> Effect:
    """What ``chord`` does wherever the focus is (before the widget is taken into account)."""
    mods, key, keysym = held(chord), chord.key, chord.keysym
    if _is_desktop_key(chord, mods):
        return "desktop"
    if key.startswith("XF86_"):
        return _XF86_EFFECTS.get(key, "none" if key in _XF86_IN_APP else "desktop")
    if keysym in ENTER_KEYSYMS:
        return "send" if "Ctrl" in mods else "enter"
    letter = chr(keysym).upper() if keysym < 0x80 else ""
    if keysym == _F4 and "Alt" in mods:
        return "quit"
    if keysym == _F4 and "Ctrl" in mods:
        return "close"
    if "Ctrl" in mods and "Alt" not in mods:
        if letter == "Q":
            return "quit"
        if letter == "W":
            return "close"
        if letter in ("N", "T"):
            return "new_window"
    if letter == "S" and "Alt" in mods and "Ctrl" not in mods:
        return "send"
    if keysym in _DELETE and "Shift" in mods:
        return "delete"
    if "Alt" in mods and (keysym in _LEFT or keysym in _RIGHT):
        return "history"
    if "Alt" in mods and keysym in _HOME:
        return "navigate"
    if keysym in SPACE_KEYSYMS:
        return "activate"
    return "none"


def _is_desktop_key(chord: Chord, mods: frozenset[str]) -> bool:
    name = chord.key
    if "Super" in mods or name in _DESKTOP_KEYSYM_NAMES or name.startswith(("Pointer_", "Hyper_")):
        return True
    if name.startswith("XF86_Switch_VT") or name in ("XF86_Ungrab", "XF86_ClearGrab"):
        return True
    is_function_key = 0xFFBE <= chord.keysym <= 0xFFE0  # F1…F35
    if "Ctrl" in mods and "Alt" in mods:
        # Ctrl+Alt+Delete, +BackSpace (ends X), +T (a terminal), +F1…F12 (the consoles), +L (lock).
        return is_function_key or chord.keysym in (0xFFFF, 0xFF08, 0x74, 0x6C, 0xFF9F)
    return "Alt" in mods and chord.keysym in (0xFFBF, 0xFFC0)  # Alt+F2 runs a command, Alt+F3 a launcher


def key_meaning(chord: Chord, widget: Widget) -> KeyMeaning:
    """What ``chord`` does when ``widget`` has the focus (see the table in the module doc)."""
    effect = chord_effect(chord)
    if effect == "enter":
        if widget == "address_bar":
            return KeyMeaning("navigate")
        if widget == "web_form_field":
            return KeyMeaning("enter", "submit")
        if widget == "multi_line_field":
            return KeyMeaning("none")
        return KeyMeaning("enter")  # a control's own meaning decides (see rules.Policy)
    if effect == "send" and widget == "address_bar":
        return KeyMeaning("navigate")
    if effect == "activate" and widget != "control":
        return KeyMeaning("none")
    words: dict[Effect, str] = {"send": "send", "delete": "delete"}
    return KeyMeaning(effect, words.get(effect, ""))


def meaning_of(keys: str, widget: Widget) -> KeyMeaning | None:
    """``key_meaning`` of a chord as written; None when it is no chord deskhand can send."""
    chord = parse_chord(keys)
    return None if chord is None else key_meaning(chord, widget)


TAB_KEYS = frozenset({0xFF09, 0xFF89, 0xFE20})  # Tab, KP_Tab, ISO_Left_Tab: the focus moves on


def typed_pieces(text: str) -> tuple[list[str | Chord], str]:
    """``text`` split into runs of plain text and the keys its control characters produce ("\\r\\n" is one
    Enter), and the first character that is neither (a control or separator character no key types), or ""."""
    pieces: list[str | Chord] = []
    run = ""
    previous = ""
    for char in text:
        if char == "\n" and previous == "\r":
            previous = char
            continue  # \r\n: one Enter
        previous = char
        if char in KEY_OF_CHARACTER:
            if run:
                pieces.append(run)
                run = ""
            chord = parse_chord(char)
            assert chord is not None
            pieces.append(chord)
        elif unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return pieces, char
        else:
            run += char
    if run:
        pieces.append(run)
    return pieces, ""
