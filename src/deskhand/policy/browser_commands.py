"""Browser commands the guard refuses whatever page is shown, by what they do, however they are reached (a key,
a menu item clicked or pressed):

- the developer tools (F12, Ctrl+Shift+I/J/C in Chromium; Ctrl+Shift+K/E too in Firefox; "Inspect"): their
  console runs any script on the page, so a form is sent, a secret read or a button pressed with nothing
  judged;
- "Paste and go" / "Paste and search": the browser goes to the clipboard's text, an address deskhand cannot
  read before it goes there (a page can put one there with any click); a middle click on the browser's own
  controls does the same with the X selection.
"""

from __future__ import annotations

import re

from deskhand.policy.key_effects import chord_effect, held
from deskhand.policy.rules import ActionKind, Decision, is_browser
from deskhand.policy.targets import Seen
from deskhand.workflows.keys import Chord, parse_chord

_F12 = 0xFFC9
_DEVTOOLS_LETTERS = frozenset("IJCKE")  # with Ctrl+Shift: inspector, console, picker; Firefox's console, network
_DEVTOOLS_ITEMS = re.compile(r"(inspect|inspect element|inspect accessibility properties|developer tools)\b")
_PASTE_AND_GO = re.compile(r"paste\s*(and|&)\s*(go|search)\b")


def opens_devtools(chord: Chord) -> bool:
    mods = held(chord)
    letter = chr(chord.keysym).upper() if chord.keysym < 0x80 else ""
    return chord.keysym == _F12 or ({"Ctrl", "Shift"} <= mods and letter in _DEVTOOLS_LETTERS)


def browser_command_refusal(kind: ActionKind, seen: Seen, keys: str) -> Decision | None:
    """A refusal when ``kind`` (with ``keys``, for a press) on ``seen`` runs one of the commands above."""
    if not is_browser(seen.app):
        return None
    chord = parse_chord(keys) if kind == "press" else None
    if chord is not None and opens_devtools(chord):
        return _devtools(f"press {chord.spelling}")
    pressing = kind == "click" or (chord is not None and chord_effect(chord) in ("enter", "activate", "send"))
    node = seen.node
    if not pressing or node is None or seen.in_web_page:
        return None  # a page's own button named "Inspect" is judged like any other
    name = " ".join(node.name.split()).casefold()
    what = f"{kind} on {seen.target().describe()}"
    if _DEVTOOLS_ITEMS.match(name):
        return _devtools(what)
    if _PASTE_AND_GO.match(name):
        return Decision(
            "deny",
            f"{what} refused: it goes to the clipboard's text, an address deskhand cannot read before it goes there",
            hint="Type the address into the address bar and press Enter, or open it with an Open step.",
        )
    return None


def middle_click_refusal(seen: Seen) -> Decision | None:
    """A refusal for a middle click on a browser's own controls (its address bar aside): on Linux a middle click
    on the new-tab button or the tab strip opens the X selection's text as an address — text any page sets by
    selecting it — which deskhand cannot read before the browser goes there. (On a page it is judged as a
    click: a link by its href.)"""
    if not is_browser(seen.app) or seen.node is None or seen.in_web_page or seen.is_address_bar:
        return None
    return Decision(
        "deny",
        f"middle click on {seen.target().describe()} refused: on the browser's own controls it opens the "
        "selected text as an address, which deskhand cannot read before it goes there",
        hint="Click with the left button; close a tab with Ctrl+W; open pages with an Open step.",
    )


def _devtools(what: str) -> Decision:
    return Decision(
        "deny",
        f"{what} refused: it opens the browser's developer tools, whose console runs any script on the page "
        "with nothing judged (a form sent, a secret read)",
        hint="Act on the page itself: every click, key and field is judged there.",
    )
